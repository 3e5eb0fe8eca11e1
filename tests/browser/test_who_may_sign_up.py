"""Where sign-up is by invitation, a stranger reads why on a phone; someone with an
operator's link makes their account."""

import pytest

from accounts import signup
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_a_stranger_reads_why_and_someone_invited_signs_up(visitors, settings):
    settings.SIGNUP = "invite"
    stranger = visitors()
    page = stranger.go("/accounts/signup/")
    assert page.get_by_role("heading", name="Sign-up is by invitation").is_visible()
    stranger.check_accessibility()
    stranger.screenshot("signup-by-invitation")

    _link, secret = signup.create_link()
    invited = visitors()
    page = invited.go(f"/welcome/{secret}/")
    page.wait_for_url("**/accounts/signup/")
    page.get_by_label("Email").fill("river@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/consent/")

    settings.SIGNUP = "closed"
    page = stranger.go("/accounts/signup/")
    assert page.get_by_role("heading", name="Sign-up is closed for now").is_visible()
    stranger.screenshot("signup-closed")
