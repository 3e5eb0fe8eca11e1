"""Every rule of the follow-up schedule, with the clock moved by time_machine."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from checkins import followups, services
from checkins.models import FollowUp, FollowUpEvent
from notify.dispatcher import claim, deliver
from softlanding.testing import DB, make_person

pytestmark = DB
UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NO_QUIET = {"quiet_hours_start": dt.time(0, 0), "quiet_hours_end": dt.time(0, 0)}


def at(*args, tz=UTC) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)


def person(name="Alice", **settings):
    return make_person(name, password=None, **settings)


def log(who, when, kind="solo", **extra):
    return services.log_encounter(who, occurred_at=when, kind=kind, **extra)


def schedule_of(who, encounter=None):
    rows = FollowUp.objects.filter(person=who)
    if encounter is not None:
        rows = rows.filter(encounter=encounter)
    return [(f.offset_hours, f.due_at, f.state) for f in rows.order_by("due_at", "id")]


def open_due(who):
    return [(f.offset_hours, f.due_at) for f in FollowUp.objects.filter(person=who).open()]


def send_all(now):
    with time_machine.travel(now, tick=False):
        ids = claim("test-worker")
        return deliver("test-worker", ids)


def test_default_offsets_in_utc():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12))
    assert schedule_of(alice, encounter) == [
        (3, at(2026, 3, 1, 15), "scheduled"),
        (24, at(2026, 3, 2, 12), "scheduled"),
        (48, at(2026, 3, 3, 12), "scheduled"),
    ]


def test_optional_72h_and_an_empty_choice():
    alice = person(follow_up_hours=[3, 24, 48, 72], **NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        log(alice, at(2026, 3, 1, 12))
    assert [o for o, _due, _s in schedule_of(alice)] == [3, 24, 48, 72]
    bob = person("Bob", follow_up_hours=[], **NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        log(bob, at(2026, 3, 1, 12))
    assert schedule_of(bob) == []


def test_whole_days_keep_the_local_time_across_daylight_saving():
    # Clocks in Berlin go forward at 02:00 on 29 March 2026: that day has 23 hours.
    alice = person(time_zone="Europe/Berlin", **NO_QUIET)
    occurred = at(2026, 3, 28, 20, 0, tz=BERLIN)
    with time_machine.travel(occurred, tick=False):
        log(alice, occurred)
    due = {offset: when for offset, when, _s in schedule_of(alice)}
    assert due[3].astimezone(BERLIN) == at(2026, 3, 28, 23, 0, tz=BERLIN)
    assert due[24].astimezone(BERLIN) == at(2026, 3, 29, 20, 0, tz=BERLIN)
    assert due[24] - occurred.astimezone(UTC) == dt.timedelta(hours=23)
    assert due[48].astimezone(BERLIN) == at(2026, 3, 30, 20, 0, tz=BERLIN)


def test_hours_are_real_hours_across_the_autumn_change():
    # Clocks in Berlin go back at 03:00 on 25 October 2026: 02:00-03:00 happens twice.
    alice = person(time_zone="Europe/Berlin", **NO_QUIET)
    occurred = at(2026, 10, 25, 0, 30, tz=BERLIN)
    with time_machine.travel(occurred, tick=False):
        log(alice, occurred)
    due = {offset: when for offset, when, _s in schedule_of(alice)}
    assert due[3] - occurred.astimezone(UTC) == dt.timedelta(hours=3)
    assert due[3].astimezone(BERLIN).hour == 2  # the second 02:30 of the night
    assert due[24].astimezone(BERLIN) == at(2026, 10, 26, 0, 30, tz=BERLIN)


def test_quiet_hours_move_a_follow_up_to_their_end():
    alice = person(time_zone="Europe/Berlin")  # default quiet hours 22:00-08:00
    occurred = at(2026, 6, 10, 21, 0, tz=BERLIN)
    with time_machine.travel(occurred, tick=False):
        log(alice, occurred)
    due = {offset: when.astimezone(BERLIN) for offset, when, _s in schedule_of(alice)}
    assert due[3] == at(2026, 6, 11, 8, 0, tz=BERLIN)  # 00:00 is quiet: moved to 08:00
    assert due[24] == at(2026, 6, 11, 21, 0, tz=BERLIN)  # not quiet: unchanged


def test_quiet_hours_within_one_day_and_just_after_midnight():
    tz = zoneinfo.ZoneInfo("Asia/Tokyo")
    quiet = followups.outside_quiet_hours
    assert quiet(at(2026, 1, 5, 13, 30, tz=tz), tz, dt.time(13), dt.time(15)) == at(
        2026, 1, 5, 15, tz=tz
    )
    assert quiet(at(2026, 1, 5, 1, 0, tz=tz), tz, dt.time(22), dt.time(8)) == at(
        2026, 1, 5, 8, tz=tz
    )
    assert quiet(at(2026, 1, 5, 8, 0, tz=tz), tz, dt.time(22), dt.time(8)) == at(
        2026, 1, 5, 8, tz=tz
    )


def test_logged_after_the_fact_schedules_what_is_ahead_and_one_now():
    alice = person(**NO_QUIET)
    now = at(2026, 3, 2, 13)  # 25 h after: +3 h and +24 h have passed, +24 h an hour ago
    with time_machine.travel(now, tick=False):
        log(alice, at(2026, 3, 1, 12))
    assert schedule_of(alice) == [
        (0, now, "scheduled"),
        (48, at(2026, 3, 3, 12), "scheduled"),
    ]
    reasons = set(FollowUpEvent.objects.values_list("reason", flat=True))
    assert reasons == {"late_log", "scheduled"}


def test_logged_long_after_the_fact_asks_nothing_now():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 5, 13), tick=False):
        log(alice, at(2026, 3, 1, 12))  # the last one (+48 h) passed two days ago
    assert schedule_of(alice) == []


def test_two_ok_answers_in_a_row_cancel_the_rest():
    alice = person(follow_up_hours=[3, 24, 48, 72], **NO_QUIET)
    start = at(2026, 3, 1, 12)
    with time_machine.travel(start, tick=False):
        log(alice, start)
    send_all(at(2026, 3, 1, 15))
    first = FollowUp.objects.get(person=alice, offset_hours=3)
    with time_machine.travel(at(2026, 3, 1, 16), tick=False):
        followups.answer(first)  # "I'm OK"
    send_all(at(2026, 3, 2, 12))
    second = FollowUp.objects.get(person=alice, offset_hours=24)
    with time_machine.travel(at(2026, 3, 2, 13), tick=False):
        followups.answer(second, pleasantness=6)
    states = {o: s for o, _due, s in schedule_of(alice)}
    assert states == {3: "answered", 24: "answered", 48: "cancelled", 72: "cancelled"}
    assert FollowUpEvent.objects.filter(reason="two_ok").count() == 2


def test_a_low_answer_breaks_the_run_of_ok():
    alice = person(follow_up_hours=[3, 24, 48], **NO_QUIET)
    start = at(2026, 3, 1, 12)
    with time_machine.travel(start, tick=False):
        log(alice, start)
    send_all(at(2026, 3, 1, 15))
    with time_machine.travel(at(2026, 3, 1, 16), tick=False):
        followups.answer(FollowUp.objects.get(offset_hours=3), pleasantness=1)
    send_all(at(2026, 3, 2, 12))
    with time_machine.travel(at(2026, 3, 2, 13), tick=False):
        followups.answer(FollowUp.objects.get(offset_hours=24))
    assert FollowUp.objects.get(offset_hours=48).state == "scheduled"


def test_unanswered_for_twelve_hours_passes_silently():
    alice = person(**NO_QUIET)
    start = at(2026, 3, 1, 12)
    with time_machine.travel(start, tick=False):
        log(alice, start)
    send_all(at(2026, 3, 1, 15))
    assert followups.mark_missed(at(2026, 3, 2, 2, 59)) == 0
    assert followups.mark_missed(at(2026, 3, 2, 3, 0)) == 1
    first = FollowUp.objects.get(offset_hours=3)
    assert first.state == "missed"
    assert [e.reason for e in first.events.all()] == ["scheduled", "delivered", "missed"]
    # Silently: the only inbox line is the one that asked.
    assert alice.notifications.count() == 1


def test_snooze_moves_it_and_respects_quiet_hours():
    alice = person(time_zone="Europe/Berlin")
    start = at(2026, 6, 10, 12, tz=BERLIN)
    with time_machine.travel(start, tick=False):
        log(alice, start)
    send_all(at(2026, 6, 10, 15, tz=BERLIN))
    first = FollowUp.objects.get(offset_hours=3)
    with time_machine.travel(at(2026, 6, 10, 15, 5, tz=BERLIN), tick=False):
        followups.snooze(first, 1)
    first.refresh_from_db()
    assert (first.state, first.due_at) == ("scheduled", at(2026, 6, 10, 16, 5, tz=BERLIN))
    send_all(at(2026, 6, 10, 16, 5, tz=BERLIN))
    with time_machine.travel(at(2026, 6, 10, 21, 30, tz=BERLIN), tick=False):
        followups.snooze(first, 3)  # 00:30 is quiet: it waits for the morning
    first.refresh_from_db()
    assert first.due_at == at(2026, 6, 11, 8, 0, tz=BERLIN)
    with pytest.raises(ValidationError):
        followups.snooze(first, 2)


def test_skip_and_what_can_no_longer_change():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        log(alice, at(2026, 3, 1, 12))
    first = FollowUp.objects.get(offset_hours=3)
    followups.skip(first)
    first.refresh_from_db()
    assert first.state == "cancelled"
    for change in (followups.skip, lambda f: followups.snooze(f, 1), followups.answer):
        with pytest.raises(ValidationError):
            change(first)


def test_editing_the_time_moves_what_is_still_scheduled():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12))
    send_all(at(2026, 3, 1, 15))  # +3 h went out
    with time_machine.travel(at(2026, 3, 1, 16), tick=False):
        services.update_encounter(encounter, occurred_at=at(2026, 3, 1, 14))
    assert schedule_of(alice) == [
        (3, at(2026, 3, 1, 15), "sent"),
        (24, at(2026, 3, 2, 14), "scheduled"),
        (48, at(2026, 3, 3, 14), "scheduled"),
    ]
    assert FollowUpEvent.objects.filter(reason="rescheduled").count() == 2


def test_deleting_the_encounter_cancels():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12))
    services.delete_encounter(encounter)
    assert {s for _o, _d, s in schedule_of(alice)} == {"cancelled"}
    assert FollowUpEvent.objects.filter(reason="encounter_gone").count() == 3


def test_a_partner_gets_the_same_follow_ups_when_they_check_in(alice, bob):
    from partners.tests.test_services import connect

    connection = connect(alice, bob)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12), kind="partnered", connections=[connection])
    assert schedule_of(bob) == []
    with time_machine.travel(at(2026, 3, 1, 12, 30), tick=False):
        services.add_checkin(bob, encounter, pleasantness=5)
    assert [o for o, _d, _s in schedule_of(bob, encounter)] == [3, 24, 48]
