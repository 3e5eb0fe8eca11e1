"""What a person's own check-ins say, computed when read and never stored: how the hours and
days after go, which care acts came before better follow-ups, and mood over time.

Everything comes from columns kept in clear (pleasantness, energy, drop reasons, kinds, times,
follow-up offsets, which care acts) through grouped queries: the same few queries with ten
encounters or two years of them, and nothing a person typed is opened. The one place text is
decrypted is the label of a person's own care item, once per item shown."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from care.models import CareItem
from checkins.models import SELF_CARE_KINDS, CheckIn, Encounter, Kind
from followups.models import FollowUp, FollowUpState

# Below this many times, nothing is said about a care act: a few good days prove nothing.
ENOUGH = 5
# A difference in average pleasantness (on 1 to 7) smaller than this reads as "about the same".
NOTICEABLE = 0.5
# Longer histories are shown by month rather than by week.
WEEKS_SHOWN_BY_WEEK = 26


@dataclass
class Moment:
    """One point of "how the days after go": hours after (0 is right after)."""

    hours: int
    average: float
    answers: int


@dataclass
class DaysAfter:
    kind: str
    moments: list[Moment]


@dataclass
class CareTendency:
    """How the follow-ups went after encounters with a care act and without it. ``times``
    counts encounters; the averages are over their follow-up answers."""

    code: str
    label: str
    with_times: int
    with_average: float | None
    without_times: int
    without_average: float | None

    @property
    def enough(self) -> bool:
        return self.with_times >= ENOUGH and self.without_times >= ENOUGH

    @property
    def tendency(self) -> str:
        """ "better", "lower", "same", or "too_few"; what came together, never a cause."""
        if not self.enough or self.with_average is None or self.without_average is None:
            return "too_few"
        difference = self.with_average - self.without_average
        if difference >= NOTICEABLE:
            return "better"
        if difference <= -NOTICEABLE:
            return "lower"
        return "same"


@dataclass
class Period:
    start: dt.date
    pleasantness: float | None
    energy: float | None
    checkins: int
    drops: int
    shows: int = 0


@dataclass
class Insights:
    days_after: list[DaysAfter]
    received: list[CareTendency]
    given: list[CareTendency]
    unit: str  # "week" or "month"
    periods: list[Period]
    on_camera: bool
    checkins: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.checkins == 0


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def days_after(person) -> tuple[list[DaysAfter], int]:
    """Average pleasantness by kind and by hours after, in one grouped query. A check-in that
    answered a follow-up counts at that follow-up's hour; any other is "right after"."""
    answered_at_hour = (
        FollowUp.objects.filter(checkin=OuterRef("pk"), offset_hours__gt=0)
        .order_by("offset_hours")
        .values("offset_hours")[:1]
    )
    rows = (
        CheckIn.objects.filter(person=person, pleasantness__isnull=False)
        .exclude(encounter_kind="")
        .annotate(hours=Coalesce(Subquery(answered_at_hour), 0))
        .values("encounter_kind", "hours")
        .annotate(average=Avg("pleasantness"), answers=Count("id"))
        .order_by()
    )
    by_kind: dict[str, list[Moment]] = {}
    total = 0
    for row in rows:
        total += row["answers"]
        by_kind.setdefault(row["encounter_kind"], []).append(
            Moment(row["hours"], _rounded(row["average"]) or 0.0, row["answers"])
        )
    shown = [
        DaysAfter(kind, sorted(by_kind[kind], key=lambda m: m.hours))
        for kind in Kind.values
        if kind in by_kind
    ]
    return shown, total


def _care_sql() -> str:
    """One statement for both ways care goes. Each encounter and care act pair counts once
    (care given may be noted on more than one of a person's check-ins), so it joins distinct
    pairs — a derived table the ORM cannot write. Table names come from the models."""
    followup = FollowUp._meta.db_table
    checkin = CheckIn._meta.db_table
    encounter = Encounter._meta.db_table
    acts = Encounter.care_acts.through._meta.db_table
    given = CheckIn.care_given.through._meta.db_table
    self_care = ", ".join(f"'{kind}'" for kind in sorted(SELF_CARE_KINDS))
    # Only model table names and fixed kinds are formatted in; values are parameters.
    return f"""
        WITH base AS (
            SELECT f.encounter_id AS enc, c.pleasantness AS p,
                   CASE WHEN e.person_id = %(me)s THEN 1 ELSE 0 END AS own,
                   CASE WHEN f.encounter_kind IN ({self_care}) THEN 0 ELSE 1 END AS gives
            FROM {followup} f
            JOIN {checkin} c ON c.id = f.checkin_id
            JOIN {encounter} e ON e.id = f.encounter_id
            WHERE f.person_id = %(me)s AND f.state = %(answered)s AND f.offset_hours > 0
              AND c.pleasantness IS NOT NULL
        ),
        received AS (
            SELECT DISTINCT t.encounter_id AS enc, t.careitem_id AS item
            FROM {acts} t JOIN {encounter} e ON e.id = t.encounter_id
            WHERE e.person_id = %(me)s
        ),
        given AS (
            SELECT DISTINCT ci.encounter_id AS enc, t.careitem_id AS item
            FROM {given} t JOIN {checkin} ci ON ci.id = t.checkin_id
            WHERE ci.person_id = %(me)s AND ci.encounter_id IS NOT NULL
        )
        SELECT 'received', r.item, COUNT(DISTINCT b.enc), SUM(b.p), COUNT(*)
            FROM base b JOIN received r ON r.enc = b.enc WHERE b.own = 1 GROUP BY r.item
        UNION ALL
        SELECT 'given', g.item, COUNT(DISTINCT b.enc), SUM(b.p), COUNT(*)
            FROM base b JOIN given g ON g.enc = b.enc WHERE b.gives = 1 GROUP BY g.item
        UNION ALL
        SELECT 'received', NULL, COUNT(DISTINCT enc), SUM(p), COUNT(*) FROM base WHERE own = 1
        UNION ALL
        SELECT 'given', NULL, COUNT(DISTINCT enc), SUM(p), COUNT(*) FROM base WHERE gives = 1
    """  # noqa: S608


def _average(total, answers) -> float | None:
    return round(float(total) / answers, 1) if answers else None


def care_tendencies(person) -> tuple[list[CareTendency], list[CareTendency]]:
    """For each care act received and given: the follow-ups after encounters with it and
    without it (hours after > 0, answered with a pleasantness). Two queries: the sums, then
    the items' names."""
    with connection.cursor() as cursor:
        cursor.execute(_care_sql(), {"me": person.pk, "answered": FollowUpState.ANSWERED})
        rows = cursor.fetchall()
    totals = {
        way: (times, total or 0, answers)
        for way, item, times, total, answers in rows
        if item is None
    }
    per_item = [
        (way, item, times, total, answers)
        for way, item, times, total, answers in rows
        if item is not None
    ]
    if not per_item:
        return [], []
    items = CareItem.objects.filter(pk__in={item for _w, item, *_rest in per_item})
    order = {
        item.pk: (item.position, item.created_at, str(item.label), str(item.code)) for item in items
    }
    found: dict[str, list[CareTendency]] = {"received": [], "given": []}
    for way, item, times, total, answers in sorted(
        per_item, key=lambda r: order.get(r[1], (0,))[:2]
    ):
        if item not in order:
            continue
        all_times, all_total, all_answers = totals.get(way, (0, 0, 0))
        found[way].append(
            CareTendency(
                code=order[item][3],
                label=order[item][2],
                with_times=times,
                with_average=_average(total, answers),
                without_times=all_times - times,
                without_average=_average(all_total - total, all_answers - answers),
            )
        )
    for tendency in [*found["received"], *found["given"]]:
        if not tendency.enough:
            # Too few to say anything: the averages are not shown, so nothing is claimed.
            tendency.with_average = tendency.without_average = None
    return found["received"], found["given"]


def over_time(person) -> tuple[str, list[Period], bool]:
    """Mood and energy of all the person's check-ins, week by week (by month for a long
    history), with the drop signals raised and, for shows, how many there were. Two
    grouped queries."""
    when = Coalesce("encounter_at", "created_at")
    weeks = (
        CheckIn.objects.filter(person=person)
        .annotate(week=TruncWeek(when))
        .values("week")
        .annotate(
            pleasantness=Avg("pleasantness"),
            energy=Avg("energy"),
            checkins=Count("id"),
            drops=Count("id", filter=~Q(drop_reasons=[])),
        )
        .order_by("week")
    )
    shows = dict(
        Encounter.objects.filter(person=person, kind=Kind.ON_CAMERA)
        .annotate(week=TruncWeek("occurred_at"))
        .values("week")
        .annotate(shows=Count("id"))
        .order_by()
        .values_list("week", "shows")
    )
    periods = {
        _day(row["week"]): Period(
            _day(row["week"]),
            row["pleasantness"],
            row["energy"],
            row["checkins"],
            row["drops"],
        )
        for row in weeks
    }
    for week, count in shows.items():
        periods.setdefault(_day(week), Period(_day(week), None, None, 0, 0)).shows = count
    ordered = [periods[day] for day in sorted(periods)]
    unit = "week"
    if ordered and (ordered[-1].start - ordered[0].start).days > WEEKS_SHOWN_BY_WEEK * 7:
        unit, ordered = "month", _by_month(ordered)
    for period in ordered:
        period.pleasantness = _rounded(period.pleasantness)
        period.energy = _rounded(period.energy)
    return unit, ordered, bool(shows)


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _by_month(weeks: list[Period]) -> list[Period]:
    """Weeks folded into the month they start in, averages weighted by check-ins."""
    months: dict[dt.date, Period] = {}
    sums: dict[dt.date, list[float]] = {}
    for week in weeks:
        start = week.start.replace(day=1)
        month = months.setdefault(start, Period(start, None, None, 0, 0))
        total = sums.setdefault(start, [0.0, 0, 0.0, 0])
        if week.pleasantness is not None:
            total[0] += week.pleasantness * week.checkins
            total[1] += week.checkins
        if week.energy is not None:
            total[2] += week.energy * week.checkins
            total[3] += week.checkins
        month.checkins += week.checkins
        month.drops += week.drops
        month.shows += week.shows
    for start, month in months.items():
        p_sum, p_n, e_sum, e_n = sums[start]
        month.pleasantness = p_sum / p_n if p_n else None
        month.energy = e_sum / e_n if e_n else None
    return [months[start] for start in sorted(months)]


def insights_for(person) -> Insights:
    """Everything the insights page and the API show, computed now from the person's own
    check-ins and follow-ups."""
    days, checkins = days_after(person)
    received, given = care_tendencies(person) if checkins else ([], [])
    unit, periods, on_camera = over_time(person) if checkins else ("week", [], False)
    return Insights(days, received, given, unit, periods, on_camera, checkins)
