import pytest
from django.urls import reverse

from accounts.services import create_token
from consent.models import CONSENT_VERSION, Consent
from consent.services import ConsentRequired, has_consent, require_consent
from softlanding.testing import DB, make_person

pytestmark = DB


@pytest.fixture
def newcomer(db):
    return make_person("Newcomer", consent=False)


def test_the_screen_names_the_purposes_and_asks_about_age(client, newcomer):
    client.force_login(newcomer)
    page = client.get(reverse("privacy:consent")).content.decode()
    assert "18 or over" in page
    assert "encrypted" in page
    assert "partner" in page


def test_consent_needs_both_boxes_and_keeps_the_page(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {"agree": "on"})
    assert response.status_code == 200
    assert "please confirm you are 18 or over" in response.content.decode()
    assert not has_consent(newcomer)


def test_consent_is_recorded_with_its_version(client, newcomer):
    client.force_login(newcomer)
    response = client.post(reverse("privacy:consent"), {"agree": "on", "adult": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get(person=newcomer)
    assert consent.version == CONSENT_VERSION
    assert consent.adult_confirmed
    assert set(consent.purposes) == {"store", "remind", "share"}


def test_withdrawing_is_one_click(client, alice):
    client.force_login(alice)
    assert has_consent(alice)
    response = client.post(reverse("privacy:withdraw"))
    assert response.status_code == 302
    assert not has_consent(alice)
    with pytest.raises(ConsentRequired):
        require_consent(alice)


def test_an_older_version_does_not_count(alice):
    Consent.objects.filter(person=alice).update(version=CONSENT_VERSION - 1)
    assert not has_consent(alice)


def test_a_new_person_is_sent_to_consent_after_sign_up(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a calm harbour 42",
            "password2": "a calm harbour 42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:consent")


def test_the_api_gives_and_withdraws_consent(client, newcomer):
    _token, secret = create_token(newcomer, "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/consent", **auth).json()["given"] is False
    refused = client.post(
        "/api/v1/consent", {"adult_confirmed": False}, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    given = client.post(
        "/api/v1/consent", {"adult_confirmed": True}, content_type="application/json", **auth
    )
    assert given.status_code == 201
    assert given.json()["given"] is True
    assert client.delete("/api/v1/consent", **auth).json()["given"] is False
    assert not has_consent(newcomer)
