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
- Changing an encounter's time moves what is still scheduled, for its author and the partners
  it is still shared with; deleting it removes the author's.
- A series is the person's own: ending or pausing a connection, taking it off the encounter,
  the author deleting the encounter or their account stops what is shared, never the
  follow-ups of the partner who checked in (a break-up is when drop is most likely).
  Withdrawing one's own consent stops one's own.
Every change is a FollowUpEvent the person can read.
"""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import default_follow_up_hours
from checkins.models import CheckIn, Encounter
from checkins.services import add_checkin
from followups.models import FollowUp, FollowUpEvent, FollowUpState
from lib.compiled import Compiled
from lib.moments import localize as _localize
from lib.moments import outside_quiet_hours
from notify.services import mark_read_about_followups

Reason = FollowUpEvent.Reason
MISSED_AFTER = dt.timedelta(hours=12)
LATE_LOG_WINDOW = dt.timedelta(hours=24)
SNOOZE_HOURS = (1, 3)
AT_ONCE = 0  # offset_hours of the follow-up asked at once for an encounter logged late


def after(start: dt.datetime, hours: int, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    days, rest = divmod(hours, 24)
    if not days:  # real hours only: no wall clock involved (and no ambiguous hour to lose)
        return start.astimezone(dt.UTC) + dt.timedelta(hours=rest)
    wall = start.astimezone(tz).replace(tzinfo=None) + dt.timedelta(days=days)
    # Added in UTC: arithmetic on a zone-aware time would count wall-clock hours instead.
    return _localize(wall, tz).astimezone(dt.UTC) + dt.timedelta(hours=rest)


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
        "encounter_kind": followup.encounter_kind,
        "encounter_at": followup.encounter_at,
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
        FollowUp(
            person=person,
            encounter=encounter,
            encounter_kind=encounter.kind,
            encounter_at=encounter.occurred_at,
            offset_hours=offset,
            due_at=due,
        )
        for offset, due in plan(person, encounter.occurred_at, now)
    )
    for followup in made:
        reason = Reason.LATE_LOG if followup.offset_hours == AT_ONCE else Reason.SCHEDULED
        _record([followup], reason, now)
    return made


def _series(person_id: int, encounter_id: int | None, encounter_at: dt.datetime | None) -> Q:
    """One person's follow-ups about one encounter; once it is deleted, the time they knew
    it by is all that tells its series apart."""
    if encounter_id is not None:
        return Q(person_id=person_id, encounter_id=encounter_id)
    return Q(person_id=person_id, encounter__isnull=True, encounter_at=encounter_at)


def _replan_series(person, rows: list[FollowUp], now: dt.datetime) -> None:
    """Plan one series again from the time the person knows the encounter by: move what is
    still scheduled; what was sent or answered stays as it was."""
    first = rows[0]
    assert first.encounter_at is not None  # only series with a known time are planned
    # Answered, missed, skipped or ended early: never asked again.
    done = {row.offset_hours for row in rows if not row.is_open}
    waiting = {row.offset_hours: row for row in rows if row.state == FollowUpState.SCHEDULED}
    ever_sent = any(row.state != FollowUpState.SCHEDULED for row in rows)
    wanted = {
        offset: due
        for offset, due in plan(person, first.encounter_at, now)
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
        FollowUp(
            person=person,
            encounter_id=first.encounter_id,
            encounter_kind=first.encounter_kind,
            encounter_at=first.encounter_at,
            offset_hours=offset,
            due_at=due,
        )
        for offset, due in wanted.items()
        if offset not in waiting and offset not in {r.offset_hours for r in rows}
    ]
    _record(FollowUp.objects.bulk_create(new), Reason.RESCHEDULED, now)


@transaction.atomic
def reschedule(encounter: Encounter, people) -> None:
    """After the encounter's time changed: the series of these people (its author, and the
    partners it is still shared with, who know the new time) count from it."""
    now = timezone.now()
    rows = list(
        FollowUp.objects.select_for_update()
        .select_related("person")
        .filter(encounter=encounter, person__in=people)
        .order_by("due_at", "id")
    )
    for person in {row.person_id: row.person for row in rows}.values():
        _replan_series(person, [row for row in rows if row.person_id == person.pk], now)


@transaction.atomic
def replan(person) -> None:
    """The person changed their time zone, quiet hours or offsets: each of their series
    still running is planned again, counted from the time they know the encounter by."""
    now = timezone.now()
    running = (
        FollowUp.objects.filter(person=person, state=FollowUpState.SCHEDULED)
        .exclude(encounter_at=None)
        .values_list("encounter_id", "encounter_at")
        .distinct()
    )
    for encounter_id, encounter_at in set(running):
        rows = list(
            FollowUp.objects.select_for_update()
            .filter(_series(person.pk, encounter_id, encounter_at))
            .order_by("due_at", "id")
        )
        _replan_series(person, rows, now)


def forget_authors_followups(encounter: Encounter) -> None:
    """The encounter is going: its author's own follow-ups go with it (their times would
    tell when it happened). A partner's are theirs and run on, detached."""
    FollowUp.objects.filter(encounter=encounter, person_id=encounter.person_id).delete()


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


def closed_words(followup: FollowUp) -> str:
    """What opening a follow-up that asks nothing any more says."""
    if followup.state == FollowUpState.ANSWERED:
        return _("You've answered this one already. Thank you.")
    return _("That follow-up has already passed. Nothing to do.")


@transaction.atomic
def answer(followup: FollowUp, **checkin_answers) -> CheckIn:
    """Answer with a check-in (all of it optional: no answers is "I'm OK"). Returns the
    check-in, which carries any drop signal."""
    row = _locked_open(followup)
    # The person's own series: answered whether or not the encounter is still in their sight.
    checkin = add_checkin(
        row.person,
        row.encounter,
        encounter_kind=row.encounter_kind,
        encounter_at=row.encounter_at,
        answers_followups=False,
        **checkin_answers,
    )
    now = timezone.now()
    row.state = FollowUpState.ANSWERED
    row.answered_at = now
    row.answered_ok = not checkin.raised_drop
    row.checkin = checkin
    row.lease_until = None
    row.save(update_fields=["state", "answered_at", "answered_ok", "checkin", "lease_until"])
    _record([row], Reason.ANSWERED, now)
    mark_read_about_followups([row.pk], now)
    _stop_early_after_two_ok(row)
    followup.refresh_from_db()
    return checkin


def _asking(person_id: int, encounter_id: int | None, now: dt.datetime):
    """What is asking the person about the encounter (None: one that is gone) now: sent, or
    due."""
    about = Q(encounter__isnull=True) if encounter_id is None else Q(encounter_id=encounter_id)
    return FollowUp.objects.filter(
        Q(state=FollowUpState.SENT) | Q(state=FollowUpState.SCHEDULED, due_at__lte=now),
        about,
        person_id=person_id,
    )


# Every check-in on an encounter asks it: compiled once per process (lib.compiled).
ASKING = Compiled(
    lambda person, encounter, now: _asking(person, encounter, now).values("pk")[:1],
    int,
    int,
    dt.datetime,
)


def answered_by(checkin: CheckIn) -> int:
    """A check-in made on its own answers what is already asking (sent, or due now) of the
    same person about the same encounter: nobody is asked right after they answered."""
    now = timezone.now()
    # Most check-ins answer nothing: one cheap look settles it, before any row is locked,
    # loaded or written (or even the query to do so built).
    if checkin.encounter_id is None:
        anything = _asking(checkin.person_id, None, now).exists()
    else:
        anything = bool(ASKING.rows(checkin.person_id, checkin.encounter_id, now))
    if not anything:
        return 0
    rows = list(_asking(checkin.person_id, checkin.encounter_id, now).select_for_update())
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
    mark_read_about_followups([row.pk for row in rows], now)
    if rows:
        _stop_early_after_two_ok(rows[-1])
    return len(rows)


def cancel_for_person(person, reason: str) -> None:
    _cancel(FollowUp.objects.open().filter(person=person), reason)


def _stop_early_after_two_ok(row: FollowUp) -> None:
    series = FollowUp.objects.filter(_series(row.person_id, row.encounter_id, row.encounter_at))
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
