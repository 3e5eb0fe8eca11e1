from django.urls import reverse

from accounts.models import AccessToken, hash_token
from accounts.services import create_token
from softlanding.testing import DB, sign_in

pytestmark = DB


def test_settings_page_saves_what_the_person_chose(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Al",
            "pronouns": "they/them",
            "time_zone": "Europe/Berlin",
            "country": "DE",
            "language": "en",
            "quiet_hours_start": "23:00",
            "quiet_hours_end": "07:30",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.pronouns, alice.time_zone, alice.country) == (
        "Al",
        "they/them",
        "Europe/Berlin",
        "DE",
    )
    assert alice.quiet_hours_end.strftime("%H:%M") == "07:30"


def test_bad_settings_rerender_with_a_message_and_keep_the_input(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("accounts:settings"),
        {
            "display_name": "Kept",
            "time_zone": "Mars/Olympus",
            "language": "en",
            "quiet_hours_start": "25:00",
            "quiet_hours_end": "07:00",
        },
    )
    assert response.status_code == 400
    assert b"Kept" in response.content
    assert b"Please choose a time zone" in response.content or b"valid choice" in response.content
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_settings_need_sign_in(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_token_is_shown_once_and_stored_hashed(client, alice):
    sign_in(client, alice)
    response = client.post(reverse("accounts:token_create"), {"name": "phone"})
    assert response.status_code == 200
    secret = response.context["new_secret"]
    assert secret.startswith("sl_")
    token = AccessToken.objects.get(person=alice)
    assert token.token_hash == hash_token(secret)
    assert secret not in str(AccessToken.objects.values_list().get(pk=token.pk))
    again = client.get(reverse("accounts:settings"))
    assert secret.encode() not in again.content


def test_a_token_without_a_name_is_refused_with_a_message(client, alice):
    sign_in(client, alice)
    response = client.post(reverse("accounts:token_create"), {"name": ""})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_revoking_someone_elses_token_is_not_found(client, alice, charlie):
    token, _ = create_token(charlie, "theirs")
    client.force_login(alice)
    response = client.post(reverse("accounts:token_revoke", args=[token.code]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_revoked_token_stops_working(client, alice):
    token, secret = create_token(alice, "script")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    client.force_login(alice)
    client.post(reverse("accounts:token_revoke", args=[token.code]))
    client.logout()
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_creating_a_token_asks_for_the_password_again_after_a_while(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:token_create"), {"name": "phone"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    assert not AccessToken.objects.exists()
