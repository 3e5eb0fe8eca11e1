"""Ending or pausing stops what is shared; it never cancels anyone's own follow-ups or hides
their own check-ins (DESIGN.md §2). Every way sharing stops, for the person on each side."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from checkins import services
from checkins.models import CheckIn
from consent.services import withdraw_consent
from followups import services as followups
from followups.dispatcher import claim, deliver
from followups.models import FollowUp, FollowUpState
from partners import services as partners
from privacy import export, importer
from privacy.erasure import erase_person
from softlanding.testing import DB, NO_QUIET, make_connection, make_encounter, make_person

pytestmark = DB
ALICES_NOTE = "alices-note-nobody-else-reads"
BOBS_WORDS = "bobs-own-words-about-that-night"


@pytest.fixture
def alice(db):
    return make_person("Alice", password=None, **NO_QUIET)


@pytest.fixture
def bob(db):
    return make_person("Bob", password=None, **NO_QUIET)


@pytest.fixture
def together(alice, bob):
    """Alice logged an encounter with Bob an hour ago; Bob checked in and asked for care."""
    connection = make_connection(alice, bob)
    encounter = make_encounter(alice, note=ALICES_NOTE, connections=[connection])
    checkin = services.add_checkin(bob, encounter, pleasantness=2, wants_care=True, fun=BOBS_WORDS)
    return connection, encounter, checkin


def _end_by_alice(alice, bob, connection, encounter):
    partners.end(connection)


def _end_by_bob(alice, bob, connection, encounter):
    partners.end(connection)


def _pause_by_alice(alice, bob, connection, encounter):
    partners.pause(partners.side_of(connection, alice))


def _pause_by_bob(alice, bob, connection, encounter):
    partners.pause(partners.side_of(connection, bob))


def _alice_withdraws_consent(alice, bob, connection, encounter):
    withdraw_consent(alice)


def _alice_takes_bob_off(alice, bob, connection, encounter):
    services.update_encounter(encounter, connections=[])


def _alice_deletes_the_encounter(alice, bob, connection, encounter):
    services.delete_encounter(encounter)


def _alice_deletes_her_account(alice, bob, connection, encounter):
    erase_person(alice)


SHARING_STOPS = {
    "ended by alice": _end_by_alice,
    "ended by bob": _end_by_bob,
    "paused by alice": _pause_by_alice,
    "paused by bob": _pause_by_bob,
    "alice withdrew her consent": _alice_withdraws_consent,
    "alice took the connection off": _alice_takes_bob_off,
    "alice deleted the encounter": _alice_deletes_the_encounter,
    "alice deleted her account": _alice_deletes_her_account,
}
# Where Alice is still there with her own encounter, her own series runs on too.
ALICE_KEEPS_HERS = {"ended by alice", "ended by bob", "paused by alice", "paused by bob"}


@pytest.fixture(params=SHARING_STOPS)
def sharing_stopped(request, alice, bob, together):
    connection, encounter, checkin = together
    SHARING_STOPS[request.param](alice, bob, connection, encounter)
    return request.param, checkin


def test_bobs_check_in_and_follow_ups_are_still_his(sharing_stopped, alice, bob):
    how, checkin = sharing_stopped
    kept = CheckIn.objects.get(person=bob)
    assert (kept.code, kept.fun, kept.encounter_kind) == (checkin.code, BOBS_WORDS, "partnered")
    assert sorted(FollowUp.objects.filter(person=bob).values_list("offset_hours", "state")) == [
        (3, "scheduled"),
        (24, "scheduled"),
        (48, "scheduled"),
    ]
    if how in ALICE_KEEPS_HERS:
        assert FollowUp.objects.filter(person=alice, state="scheduled").count() == 3


def test_the_dispatcher_delivers_bobs_follow_ups_and_he_can_answer(sharing_stopped, bob):
    later = timezone.now() + dt.timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        assert deliver("w", claim("w")) >= 1
    first = FollowUp.objects.get(person=bob, offset_hours=3)
    assert first.state == FollowUpState.SENT
    answer = followups.answer(first, pleasantness=3, need_now="a walk")
    first.refresh_from_db()
    assert (first.state, first.checkin) == (FollowUpState.ANSWERED, answer)
    assert (answer.encounter_kind, answer.encounter_at) == (
        first.encounter_kind,
        first.encounter_at,
    )
    assert FollowUp.objects.filter(person=bob, state="scheduled").count() == 2


def test_bobs_pages_keep_his_check_in_without_a_link_into_nothing(
    sharing_stopped, client, alice, bob
):
    _how, checkin = sharing_stopped
    client.force_login(bob)
    detail = reverse("checkins:checkin_detail", args=[checkin.code])
    for url in (
        reverse("home"),
        reverse("checkins:encounter_list"),
        reverse("checkins:checkin_list"),
    ):
        page = client.get(url).content.decode()
        assert detail in page, url
    page = client.get(detail).content.decode()
    assert BOBS_WORDS in page and "With a partner" in page
    assert not re.search(r"/encounters/[0-9a-f-]{36}/", page)  # no way into a 404
    assert ALICES_NOTE not in page
    followups_page = client.get(reverse("checkins:followups")).content.decode()
    assert followups_page.count("/skip/") == 3  # each one coming up can still be skipped
    first = FollowUp.objects.filter(person=bob).order_by("due_at").first()
    asked = client.get(reverse("checkins:followup", args=[first.code]))
    assert asked.status_code == 200
    assert not re.search(r"/encounters/[0-9a-f-]{36}/", asked.content.decode())
    answered = client.post(reverse("checkins:followup", args=[first.code]), {"ok": "1"})
    assert answered.status_code == 302
    first.refresh_from_db()
    assert first.state == FollowUpState.ANSWERED


def test_bobs_api_and_export_keep_his_check_in_and_follow_ups(sharing_stopped, client, bob):
    _how, checkin = sharing_stopped
    client.force_login(bob)
    listed = client.get("/api/v1/checkins").json()["items"]
    assert [c["code"] for c in listed] == [str(checkin.code)]
    assert listed[0]["fun"] == BOBS_WORDS
    scheduled = client.get("/api/v1/follow-ups?state=scheduled").json()["items"]
    assert len(scheduled) == 3
    answered = client.post(
        f"/api/v1/follow-ups/{scheduled[-1]['code']}/answer",
        {"pleasantness": 4},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    document = export.build_document(bob)
    assert BOBS_WORDS in [c["fun"] for c in document["checkins"]]
    states = sorted(f["state"] for f in document["followups"])
    assert states == ["answered", "scheduled", "scheduled"]
    assert ALICES_NOTE not in str(document)


def test_withdrawing_ones_own_consent_still_stops_ones_own(together, alice, bob):
    withdraw_consent(bob)
    assert not FollowUp.objects.filter(person=bob).open().exists()
    assert FollowUp.objects.filter(person=alice, state="scheduled").count() == 3


def test_after_the_end_alices_changes_no_longer_reach_bob(together, alice, bob):
    connection, encounter, checkin = together
    known = encounter.occurred_at
    before = sorted(FollowUp.objects.filter(person=bob).values_list("due_at", flat=True))
    partners.end(connection)
    services.update_encounter(
        encounter, occurred_at=encounter.occurred_at - dt.timedelta(minutes=30), kind="casual"
    )
    checkin.refresh_from_db()
    assert (checkin.encounter_kind, checkin.encounter_at) == ("partnered", known)
    assert sorted(FollowUp.objects.filter(person=bob).values_list("due_at", flat=True)) == before
    assert set(FollowUp.objects.filter(person=bob).values_list("encounter_kind", flat=True)) == {
        "partnered"
    }


def test_while_shared_bob_learns_a_new_time(together, alice, bob):
    _connection, encounter, checkin = together
    earlier = encounter.occurred_at - dt.timedelta(minutes=30)
    services.update_encounter(encounter, occurred_at=earlier)
    checkin.refresh_from_db()
    assert checkin.encounter_at == earlier
    three = FollowUp.objects.get(person=bob, offset_hours=3)
    assert (three.encounter_at, three.due_at) == (earlier, earlier + dt.timedelta(hours=3))


def test_a_detached_series_is_planned_again_and_ends_after_two_oks(together, alice, bob):
    _connection, encounter, _checkin = together
    services.delete_encounter(encounter)
    bob.follow_up_hours = [3, 24, 48, 72]
    bob.save()
    followups.replan(bob)
    assert sorted(FollowUp.objects.filter(person=bob).values_list("offset_hours", flat=True)) == [
        3,
        24,
        48,
        72,
    ]
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
        deliver("w", claim("w"))
        for sent in FollowUp.objects.filter(person=bob, state="sent"):
            followups.answer(sent)
    states = dict(FollowUp.objects.filter(person=bob).values_list("offset_hours", "state"))
    assert states == {3: "answered", 24: "answered", 48: "cancelled", 72: "cancelled"}


def test_taking_bob_off_and_moving_the_time_at_once_leaves_his_time_alone(together, bob):
    _connection, encounter, checkin = together
    known = encounter.occurred_at
    services.update_encounter(
        encounter, connections=[], occurred_at=known - dt.timedelta(minutes=30)
    )
    checkin.refresh_from_db()
    assert checkin.encounter_at == known
    assert set(FollowUp.objects.filter(person=bob).values_list("encounter_at", flat=True)) == {
        known
    }


def test_the_list_of_check_ins_on_others_encounters_is_bobs_alone(together, client, alice, bob):
    _connection, _encounter, checkin = together
    client.force_login(alice)
    assert str(checkin.code) not in client.get(reverse("checkins:checkin_list")).content.decode()
    client.force_login(bob)
    page = client.get(reverse("checkins:checkin_list")).content.decode()
    assert reverse("checkins:checkin_detail", args=[checkin.code]) in page


def test_bobs_export_moves_his_check_in_and_follow_ups_whole(sharing_stopped, bob):
    _how, checkin = sharing_stopped
    travelling = json.dumps(export.build_document(bob))  # as it travels: a file
    erase_person(bob)
    moved = make_person("Moved", password=None, **NO_QUIET)
    importer.import_document(moved, importer.parse(travelling))
    kept = CheckIn.objects.get(person=moved)
    assert (kept.encounter, kept.fun) == (None, BOBS_WORDS)
    assert (kept.encounter_kind, kept.encounter_at) == ("partnered", checkin.encounter_at)
    rows = FollowUp.objects.filter(person=moved)
    assert sorted(rows.values_list("state", flat=True)) == ["scheduled"] * 3
    assert set(rows.values_list("encounter_at", flat=True)) == {checkin.encounter_at}
