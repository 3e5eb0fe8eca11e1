"""The follow-up schedule (DESIGN.md §3): when to ask again how someone is, after an encounter.

Rules, each tested with a moving clock in tests/test_followups.py:
- Offsets are the person's own (default +3 h, +24 h, +48 h; +72 h optional). Whole days are
  counted on the person's wall clock, so "+24 h" is the same local time the next day even
  across a daylight-saving change; the hours left over are real hours.
- A follow-up that would land in the person's quiet hours moves to their end.
- An encounter logged after the fact gets only the follow-ups still ahead, plus one at once
  when the latest one that has passed did so less than 24 h ago.
- Two "I'm OK" answers in a row end the series; a follow-up left unanswered for 12 h passes
  silently (`missed`); one can be snoozed (1 h, 3 h) or skipped.
- Changing an encounter's time moves what is still scheduled; deleting it cancels.
Every change is a FollowUpEvent the person can read.
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import default_follow_up_hours
from checkins.models import CheckIn, Encounter, FollowUp, FollowUpEvent, FollowUpState

Reason = FollowUpEvent.Reason
MISSED_AFTER = dt.timedelta(hours=12)
LATE_LOG_WINDOW = dt.timedelta(hours=24)
SNOOZE_HOURS = (1, 3)
AT_ONCE = 0  # offset_hours of the follow-up asked at once for an encounter logged late


def _localize(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time in tz, as an aware time. A time skipped by a daylight-saving change
    (02:30 on the night clocks go forward) comes out as the moment just after the gap."""
    return wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz)


def after(start: dt.datetime, hours: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    days, rest = divmod(hours, 24)
    if not days:  # real hours only: no wall clock involved (and no ambiguous hour to lose)
        return start.astimezone(dt.UTC) + dt.timedelta(hours=rest)
    wall = start.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=days)
    # Added in UTC: arithmetic on a zone-aware time would count wall-clock hours instead.
    return _localize(wall, tz).astimezone(dt.UTC) + dt.timedelta(hours=rest)


def outside_quiet_hours(
    when: dt.datetime, tz: zoneinfo.ZoneInfo, start: dt.time, end: dt.time
) -> dt.datetime:
    """The same moment, or the end of the quiet hours it falls in."""
    if start == end:
        return when
    local = when.astimezone(tz)
    now = local.time()
    if start < end:  # quiet within one day, e.g. 13:00-15:00
        quiet, end_day = start <= now < end, local.date()
    else:  # across midnight, e.g. 22:00-08:00
        quiet = now >= start or now < end
        end_day = local.date() + dt.timedelta(days=1 if now >= start else 0)
    if not quiet:
        return when
    return _localize(dt.datetime.combine(end_day, end), tz)


def plan(person, occurred_at: dt.datetime, now: dt.datetime) -> list[tuple[int, dt.datetime]]:
    """(offset in hours, due time) of the follow-ups to schedule for an encounter."""
    tz = person.tz
    chosen = person.follow_up_hours
    hours = sorted(set(chosen if isinstance(chosen, list) else default_follow_up_hours()))
    ahead: list[tuple[int, dt.datetime]] = []
    passed: list[tuple[int, dt.datetime]] = []
    for offset in hours:
        due = outside_quiet_hours(
            after(occurred_at, offset, tz), tz, person.quiet_hours_start, person.quiet_hours_end
        )
        (ahead if due > now else passed).append((offset, due))
    if passed and now - passed[-1][1] <= LATE_LOG_WINDOW:
        at_once = outside_quiet_hours(now, tz, person.quiet_hours_start, person.quiet_hours_end)
        ahead.insert(0, (AT_ONCE, at_once))
        ahead.sort(key=lambda pair: pair[1])
    return ahead


def as_data(followup: FollowUp) -> dict:
    """A follow-up with its history, as the API and the export give it (events prefetched)."""
    return {
        "code": followup.code,
        "encounter": followup.encounter.code if followup.encounter else None,
        "offset_hours": followup.offset_hours,
        "due_at": followup.due_at,
        "state": followup.state,
        "sent_at": followup.sent_at,
        "answered_at": followup.answered_at,
        "answered_ok": followup.answered_ok,
        "checkin": followup.checkin.code if followup.checkin else None,
        "events": [
            {"state": e.state, "reason": e.reason, "due_at": e.due_at, "at": e.at}
            for e in followup.events.all()
        ],
    }


def _record(followups, reason: str, at: dt.datetime | None = None) -> None:
    at = at or timezone.now()
    FollowUpEvent.objects.bulk_create(
        FollowUpEvent(followup=f, state=f.state, reason=reason, due_at=f.due_at, at=at)
        for f in followups
    )


@transaction.atomic
def schedule(person, encounter: Encounter) -> list[FollowUp]:
    """The follow-ups of one person for one encounter, once: logging it, or (for a partner
    named on it) their first check-in."""
    if FollowUp.objects.filter(person=person, encounter=encounter).exists():
        return []
    now = timezone.now()
    made = FollowUp.objects.bulk_create(
        FollowUp(person=person, encounter=encounter, offset_hours=offset, due_at=due)
        for offset, due in plan(person, encounter.occurred_at, now)
    )
    for followup in made:
        reason = Reason.LATE_LOG if followup.offset_hours == AT_ONCE else Reason.SCHEDULED
        _record([followup], reason, now)
    return made


@transaction.atomic
def reschedule(encounter: Encounter) -> None:
    """After the encounter's time changed: move what is still scheduled, for everyone whose
    follow-ups hang on it. What was already sent or answered stays as it was."""
    now = timezone.now()
    rows = list(
        FollowUp.objects.select_for_update().select_related("person").filter(encounter=encounter)
    )
    people = {row.person_id: row.person for row in rows}
    for person_id, person in people.items():
        mine = [row for row in rows if row.person_id == person_id]
        # Answered, missed, skipped or ended early: never asked again.
        done = {row.offset_hours for row in mine if not row.is_open}
        waiting = {row.offset_hours: row for row in mine if row.state == FollowUpState.SCHEDULED}
        ever_sent = any(row.state != FollowUpState.SCHEDULED for row in mine)
        wanted = {
            offset: due
            for offset, due in plan(person, encounter.occurred_at, now)
            if offset not in done and not (offset == AT_ONCE and ever_sent)
        }
        for offset, row in waiting.items():
            if offset not in wanted:
                row.state = FollowUpState.CANCELLED
                row.save(update_fields=["state"])
                _record([row], Reason.RESCHEDULED, now)
            elif row.due_at != wanted[offset]:
                row.due_at = wanted[offset]
                row.lease_until = None
                row.save(update_fields=["due_at", "lease_until"])
                _record([row], Reason.RESCHEDULED, now)
        new = [
            FollowUp(person=person, encounter=encounter, offset_hours=offset, due_at=due)
            for offset, due in wanted.items()
            if offset not in waiting and offset not in {r.offset_hours for r in mine}
        ]
        _record(FollowUp.objects.bulk_create(new), Reason.RESCHEDULED, now)


def replan(person) -> None:
    """The person changed their time zone, quiet hours or offsets: their encounters' series
    are planned again (what was sent or answered stays as it was)."""
    encounters = Encounter.objects.filter(
        followups__person=person, followups__state=FollowUpState.SCHEDULED
    ).distinct()
    for encounter in encounters:
        reschedule(encounter)


def cancel_for_encounter(encounter: Encounter) -> None:
    """The encounter is going: nothing more will be asked about it, of anyone. The author's
    own follow-ups go with it (their times would tell when it happened); a partner's are
    theirs, and are kept, cancelled."""
    FollowUp.objects.filter(encounter=encounter, person_id=encounter.person_id).delete()
    _cancel(FollowUp.objects.open().filter(encounter=encounter), Reason.ENCOUNTER_GONE)


@transaction.atomic
def _cancel(queryset, reason: str) -> None:
    rows = list(queryset.select_for_update())
    now = timezone.now()
    for row in rows:
        row.state = FollowUpState.CANCELLED
        row.lease_until = None
    FollowUp.objects.bulk_update(rows, ["state", "lease_until"])
    _record(rows, reason, now)


def _locked_open(followup: FollowUp) -> FollowUp:
    row = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not row.is_open:
        raise ValidationError(_("This follow-up is no longer waiting for an answer."))
    return row


@transaction.atomic
def answer(followup: FollowUp, **checkin_answers) -> CheckIn:
    """Answer with a check-in (all of it optional: no answers is "I'm OK"). Returns the
    check-in, which carries any drop signal."""
    from checkins.services import add_checkin

    row = _locked_open(followup)
    encounter = row.encounter
    if encounter is None or not (
        encounter.person_id == row.person_id or encounter.is_shared_live_with(row.person)
    ):
        raise ValidationError(_("This follow-up is no longer waiting for an answer."))
    checkin = add_checkin(row.person, encounter, answers_followups=False, **checkin_answers)
    now = timezone.now()
    row.state = FollowUpState.ANSWERED
    row.answered_at = now
    row.answered_ok = not checkin.raised_drop
    row.checkin = checkin
    row.lease_until = None
    row.save(update_fields=["state", "answered_at", "answered_ok", "checkin", "lease_until"])
    _record([row], Reason.ANSWERED, now)
    _stop_early_after_two_ok(row)
    followup.refresh_from_db()
    return checkin


def answered_by(checkin: CheckIn) -> int:
    """A check-in made on its own answers what is already asking (sent, or due now) of the
    same person about the same encounter: nobody is asked right after they answered."""
    now = timezone.now()
    rows = list(
        FollowUp.objects.select_for_update()
        .filter(person_id=checkin.person_id, encounter=checkin.encounter)
        .filter(Q(state=FollowUpState.SENT) | Q(state=FollowUpState.SCHEDULED, due_at__lte=now))
    )
    for row in rows:
        row.state = FollowUpState.ANSWERED
        row.answered_at = now
        row.answered_ok = not checkin.raised_drop
        row.checkin = checkin
        row.lease_until = None
    FollowUp.objects.bulk_update(
        rows, ["state", "answered_at", "answered_ok", "checkin", "lease_until"]
    )
    _record(rows, Reason.ANSWERED, now)
    if rows:
        _stop_early_after_two_ok(rows[-1])
    return len(rows)


def cancel_no_longer_shared(encounters) -> int:
    """Partners' open follow-ups on encounters that no longer reach them (the connection
    ended or paused, or was taken off the encounter) are not needed any more."""
    rows = (
        FollowUp.objects.open()
        .filter(encounter__in=encounters)
        .exclude(person_id=F("encounter__person_id"))
        .select_related("encounter", "person")
        .prefetch_related("encounter__connections__sides")
    )
    gone = [
        row.pk
        for row in rows
        if row.encounter is None or not row.encounter.is_shared_live_with(row.person)
    ]
    _cancel(FollowUp.objects.filter(pk__in=gone), Reason.NOT_SHARED)
    return len(gone)


def cancel_for_person(person, reason: str) -> None:
    _cancel(FollowUp.objects.open().filter(person=person), reason)


def _stop_early_after_two_ok(row: FollowUp) -> None:
    series = FollowUp.objects.filter(person_id=row.person_id, encounter=row.encounter)
    finished = list(
        series.filter(state__in=[FollowUpState.ANSWERED, FollowUpState.MISSED])
        .order_by("-due_at", "-id")
        .values_list("answered_ok", flat=True)[:2]
    )
    if finished == [True, True]:
        _cancel(series.open(), Reason.TWO_OK)


@transaction.atomic
def snooze(followup: FollowUp, hours: int) -> FollowUp:
    if hours not in SNOOZE_HOURS:
        raise ValidationError({"hours": _("Please choose one or three hours.")})
    row = _locked_open(followup)
    person = row.person
    # Later than planned, never earlier: snoozing a follow-up still ahead pushes it back.
    row.due_at = outside_quiet_hours(
        max(row.due_at, timezone.now()) + dt.timedelta(hours=hours),
        person.tz,
        person.quiet_hours_start,
        person.quiet_hours_end,
    )
    row.state = FollowUpState.SCHEDULED
    row.sent_at = None
    row.lease_until = None
    row.save(update_fields=["due_at", "state", "sent_at", "lease_until"])
    _record([row], Reason.SNOOZED)
    return row


@transaction.atomic
def skip(followup: FollowUp) -> FollowUp:
    row = _locked_open(followup)
    row.state = FollowUpState.CANCELLED
    row.lease_until = None
    row.save(update_fields=["state", "lease_until"])
    _record([row], Reason.SKIPPED)
    return row


def mark_missed(now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Follow-ups sent more than 12 h ago and still unanswered pass, silently."""
    now = now or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                FollowUp.objects.select_for_update(skip_locked=True)
                .filter(state=FollowUpState.SENT, sent_at__lte=now - MISSED_AFTER)
                .only("pk", "due_at")[:batch]
            )
            if not rows:
                return total
            for row in rows:
                row.state = FollowUpState.MISSED
            FollowUp.objects.filter(pk__in=[r.pk for r in rows], state=FollowUpState.SENT).update(
                state=FollowUpState.MISSED
            )
            _record(rows, Reason.MISSED, now)
            total += len(rows)
