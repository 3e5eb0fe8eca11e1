"""Jo adds a passkey on a phone, signs out, signs back in with it alone, and removes it, with a
virtual authenticator standing in for the phone's own (Chrome DevTools' WebAuthn domain)."""

import pytest
from allauth.mfa.models import Authenticator

from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def phone_with_a_passkey_lock(page) -> None:
    """A platform authenticator that keeps passkeys and always confirms the person's lock."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_a_passkey_is_added_used_to_sign_in_and_removed(visitor):
    jo = make_person("Jo")
    page = visitor.page
    phone_with_a_passkey_lock(page)
    visitor.sign_in(jo)

    visitor.go("/accounts/2fa/")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-1-two-step-page")
    page.get_by_role("link", name="Add a passkey").click()
    # Something important: the password once more first.
    page.wait_for_url("**/reauthenticate/**")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/webauthn/add/")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-2-add")
    page.get_by_role("button", name="Add a passkey").click()
    # The first key of two-step sign-in comes with recovery codes, shown once.
    page.wait_for_url("**/recovery-codes/")
    visitor.screenshot("passkeys-3-recovery-codes")
    [passkey] = Authenticator.objects.filter(user=jo, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().is_passwordless

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/")
    visitor.go("/accounts/login/")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-4-sign-in")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(visitor.base_url + "/")
    assert page.get_by_role("button", name="Sign out").is_visible()

    visitor.go("/accounts/2fa/webauthn/")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-5-list")
    page.get_by_role("link", name="Remove").click()
    # Something important: signed in with the passkey alone, the passkey confirms it's Jo.
    page.wait_for_url("**/reauthenticate/**")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-6-confirm")
    page.get_by_role("link", name="Use a passkey").click()
    page.wait_for_url("**/webauthn/reauthenticate/**")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/remove/")
    visitor.check_accessibility()
    visitor.screenshot("passkeys-7-remove")
    page.get_by_role("button", name="Remove the passkey").click()
    page.wait_for_url("**/accounts/2fa/webauthn/")
    assert page.get_by_text("Your passkey is removed.").is_visible()
    visitor.screenshot("passkeys-8-removed")
    assert not Authenticator.objects.filter(user=jo, type=Authenticator.Type.WEBAUTHN).exists()
