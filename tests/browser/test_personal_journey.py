"""A new person on a phone: profile, last night's encounter, a low check-in, the drop response,
then an on-camera encounter with the wind-down routine."""

import datetime as dt

import pytest
from django.utils import timezone

from care.models import Preference
from checkins.models import CheckIn, Encounter
from softlanding.testing import TRANSACTIONAL_DB

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_a_personal_journey_from_profile_to_drop_response(visitor):
    page = visitor.sign_up("robin@example.org")
    visitor.check_accessibility()
    visitor.screenshot("dashboard-empty")

    page.get_by_role("link", name="Settings").first.click()
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Save settings").click()

    visitor.go("/")
    page.get_by_role("link", name="Set up my profile").click()
    visitor.check_accessibility()
    # One tap per answer, saved at once by htmx.
    water = page.locator(".item", has_text="Water").first
    water.get_by_text("Yes").first.click()
    water.locator(".saved").wait_for()
    page.locator("summary", has_text="Closeness").click()
    hug = page.locator(".item", has_text="Being held").first
    hug.get_by_text("Maybe").first.click()
    hug.locator(".saved").wait_for()
    assert Preference.objects.filter(receive="yes").count() == 1
    assert Preference.objects.filter(receive="maybe").count() == 1
    page.get_by_label("What helps when you drop?").fill("Tea, a blanket, and a text to Jo.")
    page.get_by_label("What helps when you drop?").blur()
    page.locator("#words-status", has_text="Saved").wait_for()
    page.locator(".item", has_text="Being held").first.scroll_into_view_if_needed()
    visitor.screenshot("profile", full_page=False)

    visitor.go("/")
    page.get_by_role("link", name="Log an encounter").click()
    last_night = timezone.localtime(timezone.now() - dt.timedelta(hours=10))
    page.get_by_label("When was it?").fill(last_night.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_text("With a partner").click()
    page.locator(".pills label", has_text="Cuddling").click()
    page.get_by_label("A private note").fill("Slow and sweet, then I felt wobbly.")
    visitor.check_accessibility()
    visitor.screenshot("encounter-form")
    page.get_by_role("button", name="Save and check in").click()

    page.wait_for_url("**/checkin/")
    visitor.check_accessibility()
    page.get_by_text("Really not good").first.wait_for()
    page.locator("label[for=id_pleasantness_0]").click()
    page.locator("label[for=id_energy_1]").click()
    page.locator(".pills label", has_text="tearful").click()
    page.get_by_label("I'd like some care right now.").check()
    visitor.screenshot("checkin-form")
    page.get_by_role("button", name="Save my check-in").click()

    page.get_by_role("heading", name="You asked for care. Here it is.").wait_for()
    assert page.get_by_text("Tea, a blanket, and a text to Jo.").is_visible()
    assert page.get_by_text("116 123").first.is_visible()
    assert page.get_by_text("A minute to ground yourself").is_visible()
    visitor.check_accessibility()
    visitor.screenshot("drop-response")
    checkin = CheckIn.objects.get()
    assert checkin.drop_reasons == ["very_low", "low_feeling", "asked_for_care"]

    visitor.go("/encounters/new/")
    page.get_by_text("On camera").click()
    page.get_by_role("button", name="Save and check in").click()
    page.wait_for_url("**/checkin/")
    page.get_by_role("group", name="Wind down").wait_for()
    page.locator(".winddown label", has_text="Water").click()
    page.locator(".winddown label", has_text="Step away from screens").click()
    page.locator("label[for=id_pleasantness_4]").click()
    visitor.check_accessibility()
    visitor.screenshot("winddown")
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Thank you for checking in").wait_for()
    show = Encounter.objects.get(kind="on_camera")
    assert {item.key for item in show.care_acts.all()} == {"water", "step_away"}

    visitor.go("/")
    visitor.check_accessibility()
    visitor.screenshot("dashboard")
    visitor.go("/encounters/")
    visitor.check_accessibility()
    visitor.go("/profile/card/")
    visitor.check_accessibility()
    visitor.screenshot("card")
    visitor.go("/guide/")
    visitor.check_accessibility()
