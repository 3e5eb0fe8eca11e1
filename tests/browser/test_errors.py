"""Error pages on a phone: our own layout with the quick exit, and axe-clean."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory

from softlanding import errors
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def forget_expected_status_lines(visitor, *statuses):
    """Chromium logs every 4xx page load as a console error; these ones are the point."""
    visitor.console_problems = [
        line
        for line in visitor.console_problems
        if not any(f"status of {status}" in line for status in statuses)
    ]


def test_a_missing_page_and_a_stale_form_get_calm_pages(visitor):
    make_person("Robin")
    page = visitor.go("/partners/no-such-page/")
    assert page.get_by_role("heading", name="Nothing here").is_visible()
    assert page.get_by_role("button", name="Quick exit").is_visible()
    visitor.check_accessibility()
    visitor.screenshot("error-404")

    # A sign-in form left open until its CSRF cookie has gone.
    page = visitor.go("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Please try that once more").wait_for()
    assert page.get_by_role("button", name="Quick exit").is_visible()
    assert "CSRF" not in page.content()
    visitor.check_accessibility()
    visitor.screenshot("error-403-csrf")
    forget_expected_status_lines(visitor, 403, 404)


def test_a_rate_limited_sign_up_keeps_the_typed_email(visitor, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/h/ip"}
    cache.clear()
    page = visitor.go("/accounts/signup/")
    page.get_by_label("Email").fill("first@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/consent/")
    page.context.clear_cookies()

    page = visitor.go("/accounts/signup/")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_text("Please wait a while and try again.").wait_for()
    assert page.get_by_label("Email").input_value() == "robin@example.org"
    assert page.get_by_label("Password:", exact=True).input_value() == ""
    visitor.check_accessibility()
    visitor.screenshot("error-429-signup")
    forget_expected_status_lines(visitor, 429)
    cache.clear()


def rendered(status):
    """Our own error page for ``status``, as Django's handler makes it for a stranger."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = {}
    handler = {
        400: errors.bad_request,
        403: errors.permission_denied,
        429: errors.too_many_requests,
        500: lambda r, exception=None: errors.server_error(r),
    }[status]
    response = handler(request, None)
    assert response.status_code == status
    return response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_every_other_error_page_is_ours_with_the_quick_exit(visitor, status):
    html = rendered(status)
    # Served at the app's own address, so its styles load as they would for real.
    visitor.page.route(
        f"**/error-{status}/",
        lambda route: route.fulfill(status=status, body=html, content_type="text/html"),
    )
    page = visitor.go(f"/error-{status}/")
    assert page.locator("h1").is_visible()
    # A button that signs out where the page can; a plain link on the 500 page, which
    # renders without the request's session.
    role = "link" if status == 500 else "button"
    assert page.get_by_role(role, name="Quick exit").is_visible()
    assert page.get_by_role("link", name="Back to the start").is_visible()
    visitor.check_accessibility()
    visitor.screenshot(f"error-{status}")
    forget_expected_status_lines(visitor, status)
