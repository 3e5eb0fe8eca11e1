"""A break-up is when drop is most likely: Alice logs an encounter with Bob, Bob checks in and
asks for care, then Bob ends the connection. His check-in and his follow-ups stay his."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from care import services as care
from followups.dispatcher import Dispatcher
from followups.models import FollowUp
from softlanding.testing import TRANSACTIONAL_DB, make_connection, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]
BOBS_WORDS = "Holding hands on the way home"
ENCOUNTER_PAGE = re.compile(r"/encounters/[0-9a-f-]{36}/")


def test_after_the_end_bob_keeps_his_check_in_and_follow_ups(visitors):
    alice = make_person("Alice", time_zone="Europe/London")
    bob = make_person("Bob", time_zone="Europe/London")
    for person in (alice, bob):
        person.quiet_hours_start = person.quiet_hours_end = dt.time(0, 0)
        person.save()
    make_connection(alice, bob)  # alice calls him "B", he calls her "A"
    care.sync_catalogue()  # a transactional test starts from empty tables
    a_visitor, b_visitor = visitors(), visitors()

    a = a_visitor.sign_in(alice)
    a = a_visitor.go("/encounters/new/")
    a.get_by_text("With a partner").click()
    a.get_by_label("B", exact=True).check()
    a.get_by_role("button", name="Save and check in").click()
    a.wait_for_url("**/checkin/")

    b = b_visitor.sign_in(bob)
    b.get_by_role("link", name="Check in").first.click()
    b.wait_for_url("**/checkin/")
    b.locator("label[for=id_pleasantness_1]").click()
    b.get_by_label("I'd like some care right now").check()
    b.get_by_text("A few words, if you like").click()
    b.get_by_role("textbox", name="What was fun?").fill(BOBS_WORDS)
    b.get_by_role("button", name="Save my check-in").click()
    b.get_by_role("heading", name="You asked for care. Here it is.").wait_for()
    checkin_path = b.url.replace(b_visitor.base_url, "")
    assert FollowUp.objects.filter(person=bob, state="scheduled").count() == 3

    # Bob ends the connection.
    b = b_visitor.go("/partners/")
    b.get_by_role("link", name="A", exact=True).first.click()
    b.wait_for_url("**/partners/*/")
    b.get_by_role("link", name="End the connection").click()
    b.wait_for_url("**/end/")
    b.get_by_role("button", name="End the connection").click()
    b.get_by_text("The connection has ended.").wait_for()

    # His dashboard still shows his check-in, and it opens without a way into a 404.
    b = b_visitor.go("/")
    section = b.locator("section", has=b.get_by_role("heading", name="Your check-ins on"))
    section.wait_for()
    assert section.get_by_text("With a partner").is_visible()
    b_visitor.check_accessibility()
    b_visitor.screenshot("breakup-dashboard")
    section.get_by_role("link", name=re.compile("With a partner")).click()
    b.wait_for_url("**" + checkin_path)
    assert b.get_by_text(BOBS_WORDS).is_visible()
    assert b.get_by_text("no longer shared with you").is_visible()
    assert not ENCOUNTER_PAGE.search(b.content())
    b_visitor.check_accessibility()
    b_visitor.screenshot("breakup-checkin")

    # His list of encounters leads to it too, and to the page of all such check-ins.
    b = b_visitor.go("/encounters/")
    assert not b.get_by_text("Nothing logged yet").is_visible()
    b.get_by_role("link", name="All of them").click()
    b.wait_for_url("**/checkins/")
    b.get_by_role("link", name=re.compile("With a partner")).wait_for()
    assert not ENCOUNTER_PAGE.search(b.content())
    b_visitor.check_accessibility()
    b_visitor.screenshot("breakup-checkin-list")

    # His follow-ups are all still coming up.
    b = b_visitor.go("/follow-ups/")
    coming_up = b.locator("section", has=b.get_by_role("heading", name="Coming up"))
    assert coming_up.locator("li").count() == 3
    assert set(FollowUp.objects.filter(person=bob).values_list("state", flat=True)) == {"scheduled"}
    b_visitor.check_accessibility()
    b_visitor.screenshot("breakup-followups")

    # The first one is delivered, and he answers it.
    first = FollowUp.objects.filter(person=bob).order_by("due_at").first()
    FollowUp.objects.filter(pk=first.pk).update(due_at=timezone.now())
    assert Dispatcher(worker="browser-test").run(until_idle=True) == 1
    b = b_visitor.go("/")
    b.get_by_role("link", name="Answer").click()
    b.get_by_role("heading", name="How are you doing now?").wait_for()
    b_visitor.check_accessibility()
    b_visitor.screenshot("breakup-followup-answer")
    b.get_by_role("button", name="I'm OK").click()
    b.wait_for_url(b_visitor.base_url + "/")
    first.refresh_from_db()
    assert first.state == "answered"

    # Alice sees nothing of Bob's any more.
    a = a_visitor.go("/")
    assert BOBS_WORDS not in a.content()
