"""Dave, who usually gives care, on his phone: he logs an encounter, checks in, records the
care he gave beside the care he received, finds both on his check-in, and adds to
what he gave later."""

import datetime as dt

import pytest
from django.utils import timezone

from care import services as care
from checkins.models import CheckIn, Encounter
from softlanding.testing import TRANSACTIONAL_DB, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]


def test_dave_records_the_care_he_gave_and_received_and_sees_both(visitor):
    dave = make_person("Dave", time_zone="Europe/London")
    care.sync_catalogue()  # a transactional test starts from empty tables
    page = visitor.sign_in(dave)

    page.get_by_role("link", name="Log an encounter").first.click()
    earlier = timezone.localtime(timezone.now() - dt.timedelta(hours=2), dave.tz)
    page.get_by_label("When was it?").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_text("With a partner").click()
    page.locator(".pills label", has_text="Cuddling").click()
    page.get_by_role("button", name="Save and check in").click()

    page.wait_for_url("**/checkin/")
    page.locator("label[for=id_pleasantness_4]").click()
    page.locator("summary", has_text="The care you gave and received").click()
    given = page.get_by_role("group", name="What did you give?")
    given.locator("label", has_text="Blanket or warmth").click()
    given.locator("label", has_text="Praise").click()
    given.locator("label", has_text="Reassurance").click()
    received = page.get_by_role("group", name="What did you receive?")
    received.locator("label", has_text="A warm drink").click()
    given.evaluate("fieldset => fieldset.scrollIntoView({block: 'start'})")
    visitor.check_accessibility()
    visitor.screenshot("givers-checkin-form", full_page=False)
    page.get_by_role("button", name="Save my check-in").click()
    page.get_by_text("Thank you for checking in").wait_for()
    visitor.check_accessibility()

    checkin = CheckIn.objects.get(person=dave)
    assert {i.key for i in checkin.care_given.all()} == {"warmth", "praise", "reassurance"}
    encounter = Encounter.objects.get(person=dave)
    assert {i.key for i in encounter.care_acts.all()} == {"cuddling", "warm_drink"}

    assert page.get_by_text("You gave: Blanket or warmth, Reassurance, Praise").is_visible()
    visitor.screenshot("givers-encounter")
    page.locator(f"a[href='/checkins/{checkin.code}/']").click()
    page.wait_for_url(f"**/checkins/{checkin.code}/")
    answers = page.locator("#answers-heading").locator("..")
    received_list = answers.locator("h3:has-text('The care you received') + ul")
    given_list = answers.locator("h3:has-text('The care you gave') + ul")
    assert received_list.inner_text().split("\n") == ["A warm drink", "Cuddling"]
    assert given_list.inner_text().split("\n") == ["Blanket or warmth", "Reassurance", "Praise"]
    visitor.check_accessibility()
    visitor.screenshot("givers-checkin-detail")

    # Later, with more room to think, he notes one more thing he gave.
    page.get_by_role("link", name="Note the care you gave").click()
    page.wait_for_url(f"**/checkins/{checkin.code}/care-given/")
    group = page.get_by_role("group", name="What did you give?")
    assert group.get_by_label("Praise").is_checked()
    group.locator("label", has_text="Saying thank you").click()
    group.locator("label", has_text="Praise").click()
    visitor.check_accessibility()
    page.get_by_role("button", name="Save the care you gave").click()
    page.wait_for_url(f"**/checkins/{checkin.code}/")
    page.get_by_text("Saved the care you gave.").wait_for()
    assert given_list.inner_text().split("\n") == [
        "Blanket or warmth",
        "Reassurance",
        "Saying thank you",
    ]
    visitor.screenshot("givers-checkin-changed", full_page=False)
