"""Passkeys beside TOTP on the two-step sign-in page, and two-step sign-in for staff. The
passkey ceremony itself runs in Chromium: tests/browser/test_passkeys.py."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret

from softlanding.testing import DB, make_person, sign_in

pytestmark = DB


def with_totp(person):
    Authenticator.objects.create(
        user=person, type=Authenticator.Type.TOTP, data={"secret": generate_totp_secret()}
    )


def test_the_security_page_offers_passkeys_and_keeps_the_authenticator_app(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/2fa/").content.decode()
    assert "Passkeys" in page and 'href="/accounts/2fa/webauthn/add/"' in page
    assert "Set up an authenticator app" in page
    assert "Security Key" not in page


def test_the_add_page_loads_only_our_own_scripts(client, alice):
    sign_in(client, alice)
    response = client.get("/accounts/2fa/webauthn/add/")
    page = response.content.decode()
    assert 'id="mfa_webauthn_add"' in page
    # Every script is a file of ours; the rest is JSON data, which no browser runs.
    for tag in page.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert 'src="/static/' in opening or 'type="application/json"' in opening, opening


def test_the_sign_in_page_offers_a_passkey(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'id="passkey_login"' in page and "Use a passkey" in page
    assert 'src="/static/js/passkeys.js"' in page


def test_a_staff_account_without_two_step_sign_in_is_sent_to_set_it_up(client):
    staff = make_person("Sam", is_staff=True)
    client.force_login(staff)
    for path in ("/", "/settings/", "/partners/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/", path
    page = client.get("/accounts/2fa/").content.decode()
    assert "Please add a passkey or an authenticator app first" in page
    assert client.get("/accounts/2fa/totp/activate/").status_code in {200, 302}
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "two-step sign-in" in api.json()["detail"]
    assert client.get("/healthz").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_a_staff_account_with_two_step_sign_in_goes_anywhere(client):
    staff = make_person("Sam", is_staff=True)
    with_totp(staff)
    client.force_login(staff)
    assert client.get("/settings/").status_code == 200
    assert "Please add a passkey" not in client.get("/accounts/2fa/").content.decode()


def test_people_who_are_not_staff_choose_for_themselves(client, alice):
    client.force_login(alice)
    assert client.get("/settings/").status_code == 200
    assert "Please add a passkey" not in client.get("/accounts/2fa/").content.decode()
