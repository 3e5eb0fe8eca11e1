"""Pages fit a phone's width, and pills look like pills: nothing runs off the side, no bare
radio circle beside a pill."""

import pytest

from softlanding.testing import TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_sessions_and_the_encounter_form_fit_a_phone(visitor):
    page = visitor.sign_up("fits@example.org")
    # A browser's own description is one long word; it wraps inside the table.
    visitor.go("/accounts/sessions/")
    assert overflow(page) <= 0
    visitor.screenshot("sessions-on-a-phone")

    visitor.go("/encounters/new/")
    assert overflow(page) <= 0
    kind = page.locator(".pills input[type=radio]").first
    box = kind.bounding_box()
    assert box is not None and box["width"] <= 1, "the radio beside a pill shows"
    page.get_by_text("On camera").click()
    assert page.locator(".pills input[type=radio]:checked").get_attribute("value") == "on_camera"
    visitor.screenshot("kind-pills")
