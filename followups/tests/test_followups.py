"""Every rule of the follow-up schedule, with the clock moved by time_machine."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.services import update_settings
from checkins import services
from consent.services import withdraw_consent
from followups import services as followups
from followups.dispatcher import claim, deliver
from followups.models import FollowUp, FollowUpEvent
from softlanding.testing import DB, NO_QUIET, make_connection, make_person

pytestmark = DB
UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


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
    assert schedule_of(alice) == []  # hers go with it: their times would tell when it was
    assert not FollowUpEvent.objects.exists()


def test_a_partner_gets_the_same_follow_ups_when_they_check_in(alice, bob):
    connection = make_connection(alice, bob)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12), kind="partnered", connections=[connection])
    assert schedule_of(bob) == []
    with time_machine.travel(at(2026, 3, 1, 12, 30), tick=False):
        services.add_checkin(bob, encounter, pleasantness=5)
    assert [o for o, _d, _s in schedule_of(bob, encounter)] == [3, 24, 48]


def test_hours_from_the_repeated_hour_are_real_hours():
    alice = person(time_zone="Europe/Berlin", **NO_QUIET)
    occurred = at(2026, 10, 25, 1, 30)  # 02:30 Berlin, the second time round
    with time_machine.travel(occurred, tick=False):
        log(alice, occurred)
    assert FollowUp.objects.get(offset_hours=3).due_at == at(2026, 10, 25, 4, 30)


def test_the_one_asked_at_once_also_waits_for_the_end_of_quiet_hours():
    alice = person()  # quiet 22:00-08:00 UTC
    with time_machine.travel(at(2026, 3, 2, 23), tick=False):
        log(alice, at(2026, 3, 1, 22))  # 25 h later, in quiet hours
    assert schedule_of(alice)[0] == (0, at(2026, 3, 3, 8), "scheduled")


def test_a_check_in_made_on_its_own_answers_what_is_asking():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 2, 13), tick=False):
        encounter = log(alice, at(2026, 3, 1, 12))  # one is asked at once
        services.add_checkin(alice, encounter, pleasantness=6)  # ...and answered right here
    assert schedule_of(alice) == [
        (0, at(2026, 3, 2, 13), "answered"),
        (48, at(2026, 3, 3, 12), "scheduled"),
    ]


def test_editing_never_brings_back_what_ended():
    alice = person(follow_up_hours=[3, 24, 48, 72], **NO_QUIET)
    start = at(2026, 3, 1, 12)
    with time_machine.travel(start, tick=False):
        encounter = log(alice, start)
    send_all(at(2026, 3, 1, 15))
    send_all(at(2026, 3, 2, 12))
    with time_machine.travel(at(2026, 3, 2, 13), tick=False):
        for followup in FollowUp.objects.filter(state="sent"):
            followups.answer(followup)  # OK twice: the rest is cancelled
        services.update_encounter(encounter, occurred_at=at(2026, 3, 1, 20))
    assert sorted(s for _o, _d, s in schedule_of(alice)) == [
        "answered", "answered", "cancelled", "cancelled"
    ]  # fmt: skip


def test_snoozing_one_still_ahead_pushes_it_back_never_forward():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        log(alice, at(2026, 3, 1, 12))
        later = FollowUp.objects.get(offset_hours=48)
        followups.snooze(later, 1)
    later.refresh_from_db()
    assert later.due_at == at(2026, 3, 3, 13)


def test_withdrawing_consent_stops_follow_ups(alice):
    log(alice, timezone_now())
    withdraw_consent(alice)
    assert not FollowUp.objects.filter(person=alice).open().exists()
    assert FollowUpEvent.objects.filter(reason="consent_withdrawn").count() == 3


def timezone_now():
    return timezone.now()


def test_changing_the_schedule_settings_moves_what_is_still_scheduled():
    alice = person(**NO_QUIET)
    with time_machine.travel(at(2026, 3, 1, 12), tick=False):
        log(alice, at(2026, 3, 1, 12))
        update_settings(alice, follow_up_hours=[24, 72], time_zone="Europe/Berlin")
    assert [(o, s) for o, _d, s in schedule_of(alice)] == [
        (3, "cancelled"), (24, "scheduled"), (48, "cancelled"), (72, "scheduled")
    ]  # fmt: skip
    with time_machine.travel(at(2026, 3, 1, 13), tick=False):
        update_settings(alice, quiet_hours_start=dt.time(11), quiet_hours_end=dt.time(14))
    due = {o: d for o, d, s in schedule_of(alice) if s == "scheduled"}
    assert due[24] == at(2026, 3, 2, 13)  # 13:00 Berlin is quiet now: moved to 14:00 Berlin
