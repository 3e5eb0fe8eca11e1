"""The days after: alice logs last night's encounter with bob a day late, the follow-up reaches
her inbox, she answers low and taps "tell them"; bob sees only that she could use some care,
and what their shared plan says he can give."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from care import services as care
from care.models import CareItem
from followups.dispatcher import Dispatcher
from notify.services import send_delivery
from softlanding.testing import PASSWORD, TRANSACTIONAL_DB, make_connection, make_person

pytestmark = [pytest.mark.browser, TRANSACTIONAL_DB]
SECRET_ANSWER = "I keep replaying it"


def test_a_late_follow_up_a_low_answer_and_a_partner_told(visitors):
    alice = make_person("Alice", time_zone="Europe/London")
    bob = make_person("Bob", time_zone="Europe/London")
    for person in (alice, bob):
        person.quiet_hours_start = person.quiet_hours_end = dt.time(0, 0)
        person.save()
    connection = make_connection(alice, bob)  # alice calls him "B", he calls her "A"
    connection.sides.update(share_profile=True)
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    care.sync_catalogue()  # a transactional test starts from empty tables
    blanket = CareItem.objects.get(key="warmth")
    care.set_preference(alice, blanket, receive="yes")
    care.set_preference(bob, blanket, give="yes")
    for person in (alice, bob):
        care.complete_profile(person)

    a_visitor, b_visitor = visitors(), visitors()
    a = a_visitor.sign_in(alice)

    # Logged 25 hours after the fact: the +3 h and +24 h follow-ups have passed, so one is
    # asked at once, and +48 h is still ahead.
    a = a_visitor.go("/encounters/new/")
    when = (timezone.now() - dt.timedelta(hours=25)).astimezone(alice.tz)
    a.get_by_label("When was it?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    a.get_by_text("With a partner").click()
    a.get_by_label("B", exact=True).check()
    a.get_by_role("button", name="Save and check in").click()
    a.wait_for_url("**/checkin/")
    # She does not check in now (a check-in here would answer the follow-up asked at once).

    # The dispatcher delivers what is due (it runs beside the web server in production).
    assert Dispatcher(worker="browser-test").run(until_idle=True) == 1

    a = a_visitor.go("/")
    badge = a.locator("header .badge")
    assert badge.inner_text().startswith("1")
    a_visitor.check_accessibility()
    a.get_by_role("link", name="Inbox").click()
    a_visitor.check_accessibility()
    a_visitor.screenshot("followup-inbox")
    a.get_by_role("link", name="A check-in is waiting for you").click()
    a.get_by_role("heading", name="How are you doing now?").wait_for()
    a_visitor.check_accessibility()
    a.locator("label[for$='pleasantness_0']").click()
    a.get_by_label("I'd like some care right now").check()
    a.get_by_text("A few words, if you like").click()
    a.get_by_label("What do you need right now?").fill(SECRET_ANSWER)
    a_visitor.screenshot("followup-answer")
    a.get_by_role("button", name="Save my check-in").click()

    a.get_by_role("heading", name="Let someone know?").wait_for()
    a_visitor.check_accessibility()
    a.get_by_role("button", name="Tell them I could use some care").click()
    a.get_by_text("They know you could use some care").wait_for()
    assert a.locator(".told").get_by_text("B — Told").is_visible()
    a_visitor.screenshot("followup-told")

    b = b_visitor.sign_in(bob)
    b.get_by_role("link", name="Inbox").click()
    b.get_by_role("link", name="A could use some care from you").click()
    b.get_by_role("heading", name="A could use some care from you").wait_for()
    b_visitor.check_accessibility()
    b_visitor.screenshot("followup-partner-alert")
    text = b.locator("main").inner_text()
    assert str(blanket.label) in text
    for secret in (SECRET_ANSWER, "Really not good", "pleasantness"):
        assert secret not in text

    # Her follow-ups page shows what happened, and what is still ahead.
    a = a_visitor.go("/follow-ups/")
    a_visitor.check_accessibility()
    assert a.get_by_role("heading", name="Coming up").is_visible()
    assert a.get_by_text("Answered").first.is_visible()
    assert not a_visitor.console_problems and not b_visitor.console_problems


def test_channels_are_added_tested_and_shown(visitors):
    alice = make_person("Alice")
    visitor = visitors()
    page = visitor.sign_in(alice)
    page = visitor.go("/settings/")
    page.get_by_role("link", name="Where we reach you").click()
    page.get_by_role("heading", name="Where we reach you", exact=True).wait_for()
    visitor.check_accessibility()
    # A channel lets messages leave the server: adding one needs a fresh sign-in.
    page.get_by_role("link", name="Confirm it's you").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Where we reach you", exact=True).wait_for()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("E-mail address or URL").fill("not an address")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Please check the e-mail address.").wait_for()
    assert page.get_by_label("E-mail address or URL").input_value() == "not an address"
    # The refused form comes back as a 400 page on purpose; the browser logs that.
    assert all("status of 400" in p for p in visitor.console_problems)
    visitor.console_problems.clear()
    visitor.check_accessibility()
    page.get_by_label("E-mail address or URL").fill("alice.phone@example.org")
    page.get_by_label("A name for it (optional)").fill("phone mail")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("heading", name="phone mail").wait_for()
    page.get_by_role("button", name="Send a test").click()
    page.get_by_text("A test is on its way").wait_for()
    # The worker sends it; the page then shows the delivery and its outcome.
    for row in DBTaskResult.objects.filter(task_path__endswith="send_delivery"):
        send_delivery.call(*row.args_kwargs["args"])
    page = visitor.go("/settings/channels/")
    page.get_by_text("Delivered").wait_for()
    # This browser can receive push notifications: the button to turn them on is offered.
    page.locator("[data-push-on]").wait_for()
    visitor.check_accessibility()
    visitor.screenshot("channels")
    assert not visitor.console_problems
