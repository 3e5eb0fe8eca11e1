"""The drop watch and nudges: who is told, what they see, and what they never see."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import dropwatch, nudges
from alerts.models import Alert, AlertRecipient
from care import services as care
from care.models import CareItem
from checkins import services as checkins
from followups.dispatcher import claim, deliver
from followups.models import FollowUp
from notify import services as notify
from notify.models import Notification
from partners import services as partners
from softlanding.testing import DB, make_connection, make_contact, make_encounter

pytestmark = DB
SECRET_ANSWER = "the-words-only-alice-knows"


@pytest.fixture
def pair(alice, bob):
    """alice and bob connected; alice chose to tell bob when she could use some care."""
    connection = make_connection(alice, bob)
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    # No quiet hours: these tests run at any time of day.
    alice.quiet_hours_start = alice.quiet_hours_end = dt.time(0, 0)
    alice.save()
    return connection


def low_checkin(alice, encounter):
    return checkins.add_checkin(
        alice,
        encounter,
        pleasantness=1,
        feelings=["tearful"],
        wants_care=True,
        need_now=SECRET_ANSWER,
    )


def test_one_tap_tells_the_chosen_partner_and_contacts(
    alice, bob, pair, django_capture_on_commit_callbacks
):
    make_contact(alice)
    checkin = low_checkin(alice, make_encounter(alice, connections=[pair]))
    assert not Alert.objects.exists()  # nothing automatic unless turned on
    assert dropwatch.who_can_be_told(alice, checkin) == ["B", "Jo"]
    with django_capture_on_commit_callbacks(execute=True):
        alert = dropwatch.tell(alice, checkin)
    contact_told = alert.recipients.get(support_contact__isnull=False)
    assert contact_told.status == "pending"
    dropwatch.tell_support_contact.call(contact_told.pk)
    assert {(r.partner, r.status) for r in alert.recipients.filter(partner__isnull=False)} == {
        (bob, "sent")
    }
    inbox_line = Notification.objects.get(person=bob, kind="drop_alert")
    assert inbox_line.alert.alert == alert
    # The support contact got a content-free e-mail, through a task given an id only.
    message = mail.outbox[-1]
    assert message.to == ["jo@example.org"]
    text = re.sub(r"https?://\S+", "", message.subject + message.body).lower()
    for word in ("sex", "drop", "feel", "tearful", SECRET_ANSWER.lower(), "1"):
        assert word not in text, word
    assert AlertRecipient.objects.get(support_contact__isnull=False).status == "sent"
    # Tapping again tells nobody twice.
    assert dropwatch.tell(alice, checkin) is None
    assert dropwatch.who_can_be_told(alice, checkin) == []


def test_nothing_to_tell_without_a_drop_signal_or_about_someone_elses(alice, bob, pair):
    encounter = make_encounter(alice, connections=[pair])
    fine = checkins.add_checkin(alice, encounter, pleasantness=6)
    with pytest.raises(ValidationError):
        dropwatch.tell(alice, fine)
    low = low_checkin(alice, encounter)
    with pytest.raises(ValidationError):
        dropwatch.tell(bob, low)


def test_automatically_when_turned_on(alice, bob, pair):
    alice.tell_automatically = True
    alice.save()
    make_contact(alice, may_tell="ask_me")  # this one waits for the tap
    automatic = make_contact(alice, may_tell="automatic", email="sam@example.org")
    checkin = low_checkin(alice, make_encounter(alice, connections=[pair]))
    alert = Alert.objects.get()
    assert alert.automatic
    told = {(r.partner_id, r.support_contact_id) for r in alert.recipients.all()}
    assert told == {(bob.pk, None), (None, automatic.pk)}
    assert dropwatch.who_can_be_told(alice, checkin) == ["Jo"]


def test_a_paused_or_ended_connection_is_not_told(alice, bob, pair):
    partners.pause(partners.side_of(pair, bob))
    checkin = low_checkin(alice, make_encounter(alice, connections=[pair]))
    assert dropwatch.tell(alice, checkin) is None


def test_the_partner_sees_what_they_can_give_never_the_answers(client, alice, bob, pair):
    # Both profiles finished and shared: alice wants water, bob is glad to give it.
    water = CareItem.objects.get(key="water")
    care.set_preference(alice, water, receive="yes")
    care.set_preference(bob, water, give="yes")
    for person in (alice, bob):
        care.update_profile(person, boundaries=f"{person} boundaries")
        care.complete_profile(person)
    pair.sides.update(share_profile=True)
    checkin = low_checkin(alice, make_encounter(alice, connections=[pair]))
    dropwatch.tell(alice, checkin)
    line = Notification.objects.get(person=bob)
    client.force_login(bob)
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "A could use some care from you" in inbox
    page = client.get(reverse("notify:open", args=[line.code])).content.decode()
    assert "could use some care from you" in page
    assert str(water.label) in page
    assert "Alice boundaries" in page
    for secret in (SECRET_ANSWER, "tearful", "Tearful"):
        assert secret not in page
    line.refresh_from_db()
    assert line.read_at is not None


def test_a_follow_up_answered_low_leads_to_the_tell_panel(client, alice, bob, pair):
    make_encounter(alice, connections=[pair], hours_ago=4)
    ids = claim("w", now=timezone.now() + dt.timedelta(hours=1))
    deliver("w", ids)
    followup = FollowUp.objects.get(person=alice, state="sent")
    client.force_login(alice)
    response = client.post(
        reverse("checkins:followup", args=[followup.code]),
        {"pleasantness": 1, "wants_care": "on"},
    )
    checkin = alice.checkins.latest("created_at")
    assert response["Location"] == reverse("checkins:checkin_detail", args=[checkin.code])
    page = client.get(response["Location"]).content.decode()
    assert "Let someone know?" in page and "B" in page
    response = client.post(reverse("checkins:tell_them", args=[checkin.code]), follow=True)
    assert "They know you could use some care" in response.content.decode()
    assert Notification.objects.filter(person=bob, kind="drop_alert").count() == 1
    alerts = client.get(reverse("checkins:alerts")).content.decode()
    assert "B" in alerts and "Told" in alerts


def test_the_quick_ok_and_snooze_and_skip_pages(client, alice, pair):
    make_encounter(alice, connections=[pair], hours_ago=4)
    first, second, _third = FollowUp.objects.filter(person=alice).order_by("due_at")
    client.force_login(alice)
    assert client.get(reverse("checkins:followup", args=[first.code])).status_code == 200
    assert (
        client.post(reverse("checkins:followup", args=[first.code]), {"ok": "1"}).status_code == 302
    )
    first.refresh_from_db()
    assert (first.state, first.answered_ok) == ("answered", True)
    again = client.post(reverse("checkins:followup", args=[first.code]), {"ok": "1"})
    assert again.status_code == 302  # a double tap is not an error
    url = reverse("checkins:followup_snooze", args=[second.code])
    assert client.post(url, {"hours": "3"}).status_code == 302
    assert client.post(url, {"hours": "7"}).status_code == 302  # refused with a message
    client.post(reverse("checkins:followup_skip", args=[second.code]))
    second.refresh_from_db()
    assert second.state == "cancelled"
    page = client.get(reverse("checkins:followups")).content.decode()
    assert "Skipped" in page and "Snoozed" in page


def test_the_follow_up_api(client, alice, bob, pair):
    make_encounter(alice, connections=[pair], hours_ago=4)
    client.force_login(alice)
    listed = client.get("/api/v1/follow-ups?state=scheduled").json()["items"]
    assert len(listed) == 3
    code = listed[-1]["code"]
    snoozed = client.post(
        f"/api/v1/follow-ups/{code}/snooze", {"hours": 2}, content_type="application/json"
    )
    assert snoozed.status_code == 422
    answered = client.post(
        f"/api/v1/follow-ups/{code}/answer",
        {"pleasantness": 1, "wants_care": True},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    body = answered.json()
    assert body["followup"]["state"] == "answered"
    assert body["checkin"]["drop_signal"] and body["told"] is None
    told = client.post(
        "/api/v1/alerts", {"checkin": body["checkin"]["code"]}, content_type="application/json"
    )
    assert told.status_code == 201
    assert [r["kind"] for r in told.json()["recipients"]] == ["partner"]
    assert client.get("/api/v1/alerts").json()[0]["recipients"][0]["name"] == "B"
    again = client.post(
        "/api/v1/alerts", {"checkin": body["checkin"]["code"]}, content_type="application/json"
    )
    assert again.status_code == 400
    skipped = client.post(f"/api/v1/follow-ups/{code}/skip")
    assert skipped.status_code == 400  # answered already


def test_a_nudge_opens_a_check_in_for_the_partner(client, alice, bob, pair):
    encounter = make_encounter(alice, connections=[pair])
    nudge = nudges.send_nudge(alice, encounter, pair.code)
    with pytest.raises(ValidationError):
        nudges.send_nudge(alice, encounter, pair.code)  # one an hour is enough
    line = Notification.objects.get(person=bob, kind="nudge")
    assert line.nudge == nudge
    client.force_login(bob)
    assert "A is thinking of you" in client.get(reverse("notify:inbox")).content.decode()
    response = client.get(reverse("notify:open", args=[line.code]))
    assert response["Location"] == reverse("checkins:checkin_new", args=[encounter.code])
    # Bob can nudge back, from the encounter page.
    page = client.get(reverse("checkins:encounter_detail", args=[encounter.code]))
    assert "Nudge A" in page.content.decode()
    response = client.post(
        reverse("checkins:nudge", args=[encounter.code]), {"connection": str(pair.code)}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(person=alice, kind="nudge").count() == 1


def test_a_nudge_needs_a_live_connection_on_the_encounter(alice, bob, charlie, pair):
    encounter = make_encounter(alice, connections=[pair])
    other = make_connection(alice, charlie)
    with pytest.raises(ValidationError):
        nudges.send_nudge(alice, encounter, other.code)  # charlie was not there
    partners.end(pair)
    with pytest.raises(ValidationError):
        nudges.send_nudge(alice, encounter, pair.code)


def test_answers_are_kept_out_of_alerts_and_task_rows(alice, bob, pair):
    make_contact(alice)
    checkin = low_checkin(alice, make_encounter(alice, connections=[pair]))
    dropwatch.tell(alice, checkin)
    rows = str(list(DBTaskResult.objects.values())) + str(list(Alert.objects.values()))
    assert SECRET_ANSWER not in rows


def test_a_nudge_waits_for_the_end_of_quiet_hours_outside_the_app(alice, bob, pair):
    bob.time_zone = "UTC"
    bob.save()  # quiet hours 22:00-08:00 by default
    notify.add_channel(bob, kind="email", target="bob.phone@example.org")
    encounter = make_encounter(alice, connections=[pair])
    night = timezone.now().replace(hour=23, minute=30, second=0, microsecond=0)
    with time_machine.travel(night, tick=False):
        nudges.send_nudge(alice, encounter, pair.code)
    assert Notification.objects.filter(person=bob, kind="nudge").exists()  # in the inbox now
    task = DBTaskResult.objects.filter(task_path="notify.services.send_delivery").get()
    assert task.run_after == night.replace(hour=8, minute=0) + dt.timedelta(days=1)
