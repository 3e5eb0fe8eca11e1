"""Kai signs up on a phone set to Tokyo time and is saved in it. Signing in later on devices
set to other zones, Kai is offered the switch, once per zone, and nothing changes without a tap."""

import pytest

from accounts.models import Person
from softlanding.testing import TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]

OFFER = "[data-time-zone-offer]"


def test_sign_up_takes_the_phones_zone_and_a_new_zone_is_offered_never_imposed(visitors):
    phone = visitors(timezone_id="Asia/Tokyo")
    page = phone.fill_sign_up("kai@example.org")
    assert page.locator("input[name=time_zone]").input_value() == "Asia/Tokyo"
    phone.screenshot("time-zone-sign-up")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/consent/")
    kai = Person.objects.get(email="kai@example.org")
    assert kai.time_zone == "Asia/Tokyo"

    page.get_by_label("I am 18 or over.").check()
    page.get_by_label("I agree that Soft Landing").check()
    page.get_by_role("button", name="I agree").click()
    page.wait_for_url("**/reach/")
    page.get_by_role("button", name="Not now").click()
    page.wait_for_url(phone.base_url + "/")
    # The phone's zone is the saved one: nothing to offer.
    assert page.locator(OFFER).is_hidden()

    laptop = visitors(timezone_id="Europe/Berlin")
    page = laptop.sign_in(kai)
    offer = page.locator(OFFER)
    assert offer.is_visible()
    assert offer.inner_text().startswith(
        "Your device is set to Europe/Berlin; times here use Asia/Tokyo. Use Europe/Berlin?"
    )
    laptop.check_accessibility()
    laptop.screenshot("time-zone-offer", full_page=False)
    offer.get_by_role("button", name="Keep").click()
    page.wait_for_url(laptop.base_url + "/")
    assert page.get_by_text(
        "Times stay in Asia/Tokyo. We won't ask about Europe/Berlin again."
    ).is_visible()
    assert offer.is_hidden()
    laptop.screenshot("time-zone-kept", full_page=False)
    kai.refresh_from_db()
    assert (kai.time_zone, kai.declined_time_zone) == ("Asia/Tokyo", "Europe/Berlin")
    for path in ("/", "/settings/"):
        laptop.go(path)
        assert page.locator(OFFER).is_hidden(), path

    travelling = visitors(timezone_id="America/New_York")
    page = travelling.sign_in(kai)
    offer = page.locator(OFFER)
    assert "Your device is set to America/New York" in offer.inner_text()
    offer.get_by_role("button", name="Switch").click()
    page.wait_for_url(travelling.base_url + "/")
    assert page.get_by_text("Times now use America/New York.").is_visible()
    assert offer.is_hidden()
    travelling.screenshot("time-zone-switched", full_page=False)
    kai.refresh_from_db()
    assert kai.time_zone == "America/New_York"

    assert kai.declined_time_zone == ""

    # Back on the phone and the laptop, neither zone is the saved one now: each is offered
    # again (Keep was said while Tokyo was saved), and nothing switches back by itself.
    for device, zone in ((phone, "Asia/Tokyo"), (laptop, "Europe/Berlin")):
        device.go("/")
        assert f"Your device is set to {zone}" in device.page.locator(OFFER).inner_text()
    kai.refresh_from_db()
    assert kai.time_zone == "America/New_York"


def test_without_javascript_sign_up_works_and_keeps_the_default(visitors):
    visitor = visitors(java_script_enabled=False, timezone_id="Asia/Tokyo")
    page = visitor.fill_sign_up("noor@example.org")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/consent/")
    assert Person.objects.get(email="noor@example.org").time_zone == "UTC"
