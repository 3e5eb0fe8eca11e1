"""The guards live in the services, so a page and the API cannot differ: for each refusal,
the API's `code` and the page's answer (the step that lifts a guard, or the form's error)
name the same one."""

import pytest
from django.urls import reverse

from consent.services import ConsentRequired, withdraw_consent
from notify import services
from notify.models import Channel, Delivery
from partners.models import SupportContact
from softlanding.testing import DB, sign_in

pytestmark = DB


def page_refusal(response) -> str:
    """The refusal a page answered with, as a code."""
    if response.status_code == 302:
        if response["Location"].startswith(reverse("privacy:consent")):
            return "consent"
        if response["Location"].startswith(reverse("account_reauthenticate")):
            return "fresh-sign-in"
        raise AssertionError(f"not a refusal: {response['Location']}")
    assert response.status_code == 400, response.status_code
    codes = [
        e.code for errors in response.context["form"].errors.as_data().values() for e in errors
    ]
    [code] = codes
    return code


def api_refusal(response) -> str:
    assert response.status_code in (400, 403), response.content
    return response.json()["code"]


def test_the_api_refuses_a_channel_test_without_consent(client, alice):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    withdraw_consent(alice)
    sign_in(client, alice)
    response = client.post(f"/api/v1/channels/{channel.code}/test")
    assert response.status_code == 403
    assert response.json()["code"] == "consent"
    assert "consent" in response.json()["detail"]
    assert not Delivery.objects.exists()


def test_the_service_refuses_a_channel_test_without_consent(alice):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    withdraw_consent(alice)
    with pytest.raises(ConsentRequired) as refused:
        services.test_channel(channel)
    assert refused.value.code == "consent"
    assert not Delivery.objects.exists()


def test_a_channel_test_without_consent_is_refused_alike(client, alice):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    withdraw_consent(alice)
    sign_in(client, alice)
    page = client.post(reverse("notify:channel_test", args=[channel.code]))
    api = client.post(f"/api/v1/channels/{channel.code}/test")
    assert page_refusal(page) == api_refusal(api) == "consent"
    assert not Delivery.objects.exists()


def test_adding_and_removing_a_channel_without_a_fresh_sign_in_is_refused_alike(client, alice):
    channel = services.add_channel(alice, kind="email", target="a@example.org")
    client.force_login(alice)  # no password typed in this session
    new = {"kind": "email", "target": "me@example.org"}
    page = client.post(reverse("notify:channels"), new)
    api = client.post("/api/v1/channels", new, content_type="application/json")
    assert page_refusal(page) == api_refusal(api) == "fresh-sign-in"
    page = client.post(reverse("notify:channel_remove", args=[channel.code]))
    api = client.delete(f"/api/v1/channels/{channel.code}")
    assert page_refusal(page) == api_refusal(api) == "fresh-sign-in"
    assert list(Channel.objects.all()) == [channel]


@pytest.mark.parametrize(
    ("kind", "target", "code"),
    [
        ("apprise", "json://10.0.0.1/x", "private"),
        ("apprise", "gopher://example.org/x", "scheme"),
        ("apprise", "json://", "unreadable"),
    ],
)
def test_a_refused_channel_target_is_refused_alike(client, alice, kind, target, code):
    sign_in(client, alice)
    new = {"kind": kind, "target": target}
    page = client.post(reverse("notify:channels"), new)
    api = client.post("/api/v1/channels", new, content_type="application/json")
    assert page_refusal(page) == api_refusal(api) == code
    assert not Channel.objects.exists()


@pytest.mark.parametrize(
    ("notify_url", "code"),
    [("json://10.0.0.1/x", "private"), ("gopher://example.org/x", "scheme")],
)
def test_a_refused_support_contact_is_refused_alike(client, alice, notify_url, code):
    sign_in(client, alice)
    new = {"name": "Jo", "notify_url": notify_url, "may_tell": "ask_me"}
    page = client.post(reverse("partners:support_add"), new)
    api = client.post("/api/v1/support-contacts", new, content_type="application/json")
    assert page_refusal(page) == api_refusal(api) == code
    assert not SupportContact.objects.exists()


def test_a_support_contact_without_consent_is_refused_alike(client, alice):
    withdraw_consent(alice)
    sign_in(client, alice)
    new = {"name": "Jo", "email": "jo@example.org", "may_tell": "ask_me"}
    page = client.post(reverse("partners:support_add"), new)
    api = client.post("/api/v1/support-contacts", new, content_type="application/json")
    assert page_refusal(page) == api_refusal(api) == "consent"
    assert not SupportContact.objects.exists()
