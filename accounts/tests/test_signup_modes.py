"""Who may make an account: SIGNUP=open, invite (a partner's invite or an operator's link from
`manage.py invite`) and closed, on the page and wherever else an account could be made."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import get_resolver

from accounts import signup
from accounts.models import Person, SignUpLink
from partners import services as partners
from softlanding.testing import DB, PASSWORD

pytestmark = DB

BY_INVITATION = "Sign-up is by invitation"
CLOSED = "Sign-up is closed for now"


def sign_up(client, email="river@example.org"):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )


def made(email="river@example.org") -> bool:
    return Person.objects.filter(email=email).exists()


def operator_link(**options) -> str:
    out = io.StringIO()
    call_command("invite", stdout=out, **options)
    return re.search(r"https?://\S+", out.getvalue())[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_anyone_may_sign_up_when_it_is_open(client, settings):
    settings.SIGNUP = "open"
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="password1"' in page
    assert sign_up(client).status_code == 302
    assert made()


@pytest.mark.parametrize(("mode", "words"), [("invite", BY_INVITATION), ("closed", CLOSED)])
def test_the_page_says_plainly_when_sign_up_needs_an_invite_or_is_closed(
    client, settings, mode, words
):
    settings.SIGNUP = mode
    page = client.get("/accounts/signup/").content.decode()
    assert words in page
    assert 'name="password1"' not in page
    assert 'href="/accounts/login/"' in page
    response = sign_up(client)
    assert words in response.content.decode()
    assert not made()


def test_an_operators_link_opens_sign_up_once(client, settings):
    settings.SIGNUP = "invite"
    link = operator_link()
    response = client.get(path_of(link))
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    assert 'name="password1"' in client.get("/accounts/signup/").content.decode()
    assert sign_up(client).status_code == 302
    assert made()
    assert SignUpLink.objects.get().used_at is not None

    # Used: neither the same visitor again, nor someone else who has the link.
    client.logout()
    assert BY_INVITATION in client.get("/accounts/signup/").content.decode()
    assert client.get(path_of(link)).status_code == 404
    assert not made("sky@example.org") and sign_up(client, "sky@example.org").status_code == 200
    assert not made("sky@example.org")


def test_a_link_opened_in_two_places_makes_one_account(client, settings):
    settings.SIGNUP = "invite"
    link = path_of(operator_link())
    other = type(client)()
    client.get(link)
    other.get(link)
    assert sign_up(client).status_code == 302
    response = sign_up(other, "sky@example.org")
    assert BY_INVITATION in response.content.decode()
    assert made() and not made("sky@example.org")


def test_an_operators_link_expires(client, settings):
    settings.SIGNUP = "invite"
    link = path_of(operator_link(days=2))
    with time_machine.travel(dt.timedelta(days=2, minutes=1)):
        page = client.get(link)
        assert page.status_code == 404
        assert "no longer works" in page.content.decode()
        assert BY_INVITATION in client.get("/accounts/signup/").content.decode()


def test_a_link_opened_in_time_but_used_too_late_makes_nothing(client, settings):
    settings.SIGNUP = "invite"
    client.get(path_of(operator_link(days=1)))
    with time_machine.travel(dt.timedelta(days=1, minutes=1)):
        assert BY_INVITATION in sign_up(client).content.decode()
    assert not made()


def test_the_invite_command_stores_only_a_hash(settings):
    settings.SIGNUP = "invite"
    link = operator_link()
    secret = link.rstrip("/").rsplit("/", 1)[1]
    stored = SignUpLink.objects.get()
    assert secret not in stored.secret_hash
    assert dt.timedelta(days=6, hours=23) < stored.expires_at - stored.created_at


def test_the_invite_command_refuses_what_would_open_nothing(settings):
    settings.SIGNUP = "closed"
    with pytest.raises(CommandError):
        operator_link()
    settings.SIGNUP = "invite"
    with pytest.raises(CommandError):
        operator_link(days=0)


def test_closed_means_nobody_new_even_with_a_link(client, settings):
    settings.SIGNUP = "invite"
    link = path_of(operator_link())
    settings.SIGNUP = "closed"
    client.get(link)
    assert CLOSED in client.get("/accounts/signup/").content.decode()
    assert CLOSED in sign_up(client).content.decode()
    assert not made()


def test_a_partners_invite_still_opens_sign_up(client, settings, alice):
    settings.SIGNUP = "invite"
    _invite, secret = partners.create_invite(alice)
    assert client.get(f"/join/{secret}/").status_code == 200
    assert 'name="password1"' in client.get("/accounts/signup/").content.decode()
    assert sign_up(client).status_code == 302
    assert made()


def test_an_expired_partners_invite_opens_nothing(client, settings, alice):
    settings.SIGNUP = "invite"
    invite, secret = partners.create_invite(alice)
    with time_machine.travel(invite.expires_at + dt.timedelta(minutes=1)):
        assert client.get(f"/join/{secret}/").status_code == 404
        assert BY_INVITATION in client.get("/accounts/signup/").content.decode()
    client.get(f"/join/{secret}/")
    with time_machine.travel(invite.expires_at + dt.timedelta(minutes=1)):
        assert BY_INVITATION in sign_up(client).content.decode()
    assert not made()


def test_the_api_makes_no_accounts(client, settings):
    """Accounts are made only through allauth's sign-up form, whose gate is above: the JSON
    API has no operation that makes one, and allauth's headless API is not installed."""
    assert "allauth.headless" not in settings.INSTALLED_APPS
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        assert not re.search(r"sign.?up|register|account", path), path
        assert "post" not in operations or not path.rstrip("/").endswith("/people"), path
    for pattern in get_resolver().reverse_dict:
        if isinstance(pattern, str) and "signup" in pattern:
            assert pattern in {"account_signup", "mfa_signup_webauthn"}, pattern


def test_a_broken_pass_in_the_session_opens_nothing(client, settings):
    settings.SIGNUP = "invite"
    session = client.session
    session[signup.PASS_KEY] = {"until": "not a time"}
    session.save()
    assert BY_INVITATION in client.get("/accounts/signup/").content.decode()
