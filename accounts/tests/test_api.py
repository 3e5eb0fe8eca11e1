import pytest
from django.test import Client

from accounts.services import create_token
from softlanding.testing import DB, bearer

pytestmark = DB


@pytest.fixture
def api(alice):
    return bearer(alice)


def test_it_reads_settings(client, api, alice):
    body = client.get("/api/v1/me", **api).json()
    assert body["email"] == alice.email
    assert body["quiet_hours_start"] == "22:00"
    assert body["has_consent"] is True


def test_it_changes_only_what_is_sent(client, api, alice):
    response = client.patch(
        "/api/v1/me",
        {"pronouns": "she/her", "quiet_hours_end": "09:15"},
        content_type="application/json",
        **api,
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.pronouns == "she/her"
    assert alice.display_name == "Alice"
    assert alice.quiet_hours_end.strftime("%H:%M") == "09:15"


def test_it_changes_the_follow_up_schedule(client, api, alice):
    body = client.patch(
        "/api/v1/me",
        {"follow_up_hours": [72, 3, 3], "tell_automatically": True},
        content_type="application/json",
        **api,
    ).json()
    assert (body["follow_up_hours"], body["tell_automatically"]) == ([3, 72], True)
    alice.refresh_from_db()
    assert alice.follow_up_hours == [3, 72]


@pytest.mark.parametrize(
    "payload",
    [
        {"favourite_colour": "blue"},
        {"time_zone": "Mars/Olympus"},
        {"quiet_hours_start": "25:00"},
        {"discreet_mode": "yes please"},
        {"country": "XX"},
        {"follow_up_hours": [5]},
        {"follow_up_hours": "24"},
        {"tell_automatically": 1},
    ],
)
def test_it_refuses_bad_fields_with_a_detail(client, api, payload):
    response = client.patch("/api/v1/me", payload, content_type="application/json", **api)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_without_credentials_it_answers_401_with_a_detail(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_session_writes_need_the_csrf_token(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get("/api/v1/me").status_code == 200
    response = browser.patch("/api/v1/me", {"pronouns": "x"}, content_type="application/json")
    assert response.status_code == 403
    browser.get("/settings/")
    token = browser.cookies["csrftoken"].value
    response = browser.patch(
        "/api/v1/me",
        {"pronouns": "x"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200


def test_an_inactive_person_cannot_use_a_token(client, api, alice):
    alice.is_active = False
    alice.save()
    assert client.get("/api/v1/me", **api).status_code == 401


def test_tokens_are_listed_and_revoked_by_code(client, api, alice):
    tokens = client.get("/api/v1/me/tokens", **api).json()
    assert [t["name"] for t in tokens] == ["tests"]
    assert "token_hash" not in tokens[0]
    other, _ = create_token(alice, "other")
    assert client.delete(f"/api/v1/me/tokens/{other.code}", **api).status_code == 204
    assert client.delete(f"/api/v1/me/tokens/{other.code}", **api).status_code == 404
