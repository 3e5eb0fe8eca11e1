"""What a person's own check-ins say, computed when read and never stored: how the hours and
days after go, which care acts came before better follow-ups, and mood over time.

Everything comes from columns kept in clear (pleasantness, energy, drop reasons, kinds, times,
follow-up offsets, which care acts) through grouped queries: the same few queries with ten
encounters or two years of them, and nothing a person typed is opened. The one place text is
decrypted is the label of a person's own care item, once per item shown."""

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Func, IntegerField
from django.utils import timezone

from care.models import CareItem
from checkins.models import SELF_CARE_KINDS, CheckIn, Encounter, Kind
from followups.models import FollowUp, FollowUpState

# Below this many times, nothing is said about a care act: a few good days prove nothing.
ENOUGH = 5
# A difference in average pleasantness (on 1 to 7) smaller than this reads as "about the same".
NOTICEABLE = 0.5
# Weeks are counted from this far back; nothing older is ever shown.
WEEKS_BACK = 52 * 200
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

    @property
    def is_empty(self) -> bool:
        return self.checkins == 0


def _weeks_sql(vendor: str, moment: str, origin: str) -> str:
    """Whole weeks from the origin (the SQL ``origin``, a parameter) to ``moment``, worked out
    by the database as a plain number."""
    if vendor == "postgresql":
        # EXTRACT gives a numeric, whose division costs PostgreSQL several times a float's;
        # seconds since the origin fit a float's exact range many times over.
        return f"FLOOR(EXTRACT(EPOCH FROM ({moment} - {origin}))::float8 / 604800)::integer"
    # Stored as UTC text; the origin lies before any moment, so truncating is flooring.
    return f"CAST((julianday({moment}) - julianday({origin})) / 7 AS INTEGER)"


def _origin_value(vendor: str, origin: dt.datetime) -> Any:
    if vendor == "postgresql":
        return origin
    return origin.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


class WeeksSince(Func):
    """Whole weeks from ``origin`` (an aware moment, long ago) to a moment. Django's
    TruncWeek calls Python once a row on SQLite and hands back moments to convert; for two
    years of check-ins that was most of the page's time."""

    output_field = IntegerField()

    def __init__(self, expression, origin: dt.datetime):
        super().__init__(expression)
        self.origin = origin

    def _weeks(self, compiler, connection):
        sql, params = compiler.compile(self.source_expressions[0])
        vendor = connection.vendor
        return _weeks_sql(vendor, sql, "%s"), [*params, _origin_value(vendor, self.origin)]

    def as_postgresql(self, compiler, connection, **extra):
        return self._weeks(compiler, connection)

    def as_sqlite(self, compiler, connection, **extra):
        return self._weeks(compiler, connection)


def _week_origin() -> dt.datetime:
    """A Monday midnight in the current time zone, long before any encounter: weeks are
    counted from it in whole weeks (so they start on Monday at midnight, give or take the
    hour a daylight-saving change moves)."""
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()))
    return start - dt.timedelta(weeks=WEEKS_BACK)


GROUP_COLUMNS = (
    "encounter_kind",
    "hours",
    "week",
    "p_sum",
    "p_count",
    "e_sum",
    "e_count",
    "checkins",
    "drops",
)


def _groups_sql(vendor: str) -> str:
    """The check-ins grouped, in one statement. The hour a check-in answered is the earliest
    follow-up it answered, joined from a table of them (one row a check-in) rather than looked
    up once a check-in: on PostgreSQL, for two years of history, a third of the time. Table
    names come from the models; values are parameters."""
    checkin, followup = CheckIn._meta.db_table, FollowUp._meta.db_table
    week = _weeks_sql(vendor, "COALESCE(c.encounter_at, c.created_at)", "%(origin)s")
    no_drop = "'[]'::jsonb" if vendor == "postgresql" else "'[]'"
    # A follow-up is answered by its own person's check-in: keeping to the person's
    # follow-ups leaves out no answer and reads no one else's.
    return f"""
        SELECT c.encounter_kind, COALESCE(a.hours, 0), {week},
               SUM(c.pleasantness), COUNT(c.pleasantness), SUM(c.energy), COUNT(c.energy),
               COUNT(*), SUM(CASE WHEN c.drop_reasons = {no_drop} THEN 0 ELSE 1 END)
        FROM {checkin} c
        LEFT JOIN (
            SELECT checkin_id, MIN(offset_hours) AS hours FROM {followup}
            WHERE person_id = %(me)s AND offset_hours > 0 AND checkin_id IS NOT NULL
            GROUP BY checkin_id
        ) a ON a.checkin_id = c.id
        WHERE c.person_id = %(me)s
        GROUP BY 1, 2, 3
    """  # noqa: S608


def _checkin_groups(person, origin: dt.datetime) -> Sequence[Mapping[str, Any]]:
    """The person's check-ins grouped by kind, by hours after and by week, with sums and
    counts (so any grouping of them can be averaged exactly): one query. A check-in that
    answered a follow-up counts at that follow-up's hour; any other is "right after"."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(
            _groups_sql(vendor), {"me": person.pk, "origin": _origin_value(vendor, origin)}
        )
        return [dict(zip(GROUP_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def days_after(groups: Sequence[Mapping[str, Any]]) -> list[DaysAfter]:
    """Average pleasantness by kind and by hours after."""
    sums: dict[tuple[str, int], list[int]] = {}
    for row in groups:
        if row["encounter_kind"] and row["p_count"]:
            total = sums.setdefault((row["encounter_kind"], row["hours"]), [0, 0])
            total[0] += row["p_sum"]
            total[1] += row["p_count"]
    return [
        DaysAfter(
            kind,
            [
                Moment(hours, round(total / count, 1), count)
                for (k, hours), (total, count) in sorted(sums.items())
                if k == kind
            ],
        )
        for kind in Kind.values
        if any(k == kind for k, _hours in sums)
    ]


def _can_materialize() -> bool:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35)
    return True


def _care_sql() -> str:
    """One statement for both ways care goes. Each encounter and care act pair counts once
    (care given may be noted on more than one of a person's check-ins), so it joins distinct
    pairs — a derived table the ORM cannot write. Table names come from the models.

    The follow-ups and the care given are each worked out once and kept (MATERIALIZED):
    SQLite would otherwise join them row by row against each other, some fifty times slower
    for two years of history. PostgreSQL keeps a CTE used more than once anyway."""
    kept = "MATERIALIZED" if _can_materialize() else ""
    followup = FollowUp._meta.db_table
    checkin = CheckIn._meta.db_table
    encounter = Encounter._meta.db_table
    acts = Encounter.care_acts.through._meta.db_table
    given = CheckIn.care_given.through._meta.db_table
    self_care = ", ".join(f"'{kind}'" for kind in sorted(SELF_CARE_KINDS))
    # Only model table names and fixed kinds are formatted in; values are parameters.
    return f"""
        WITH base AS {kept} (
            SELECT f.encounter_id AS enc, c.pleasantness AS p,
                   CASE WHEN e.person_id = %(me)s THEN 1 ELSE 0 END AS own,
                   CASE WHEN f.encounter_kind IN ({self_care}) THEN 0 ELSE 1 END AS gives
            FROM {followup} f
            JOIN {checkin} c ON c.id = f.checkin_id
            JOIN {encounter} e ON e.id = f.encounter_id
            WHERE f.person_id = %(me)s AND f.state = %(answered)s AND f.offset_hours > 0
              AND c.pleasantness IS NOT NULL
        ),
        given AS {kept} (
            SELECT DISTINCT ci.encounter_id AS enc, t.careitem_id AS item
            FROM {given} t JOIN {checkin} ci ON ci.id = t.checkin_id
            WHERE ci.person_id = %(me)s AND ci.encounter_id IS NOT NULL
        )
        SELECT 'received', r.careitem_id, COUNT(DISTINCT b.enc), SUM(b.p), COUNT(*)
            FROM base b JOIN {acts} r ON r.encounter_id = b.enc
            WHERE b.own = 1 GROUP BY r.careitem_id
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


def _shows_by_week(person, origin: dt.datetime) -> dict[int, int]:
    return {
        week: count
        for week, count in Encounter.objects.filter(person=person, kind=Kind.ON_CAMERA)
        .annotate(week=WeeksSince("occurred_at", origin))
        .values("week")
        .annotate(shows=Count("id"))
        .order_by()
        .values_list("week", "shows")
    }


def over_time(
    groups: Sequence[Mapping[str, Any]], shows: dict[int, int], origin: dt.datetime
) -> tuple[str, list[Period]]:
    """Mood and energy of all the person's check-ins, week by week (by month for a long
    history), with the drop signals raised and how many shows there were."""
    weeks = sorted({row["week"] for row in groups} | set(shows))
    unit = "week"
    if weeks and weeks[-1] - weeks[0] > WEEKS_SHOWN_BY_WEEK:
        unit = "month"

    first = timezone.localtime(origin).date()
    starts = {
        week: (day.replace(day=1) if unit == "month" else day)
        for week in weeks
        for day in [first + dt.timedelta(weeks=week)]
    }

    sums: dict[dt.date, list[int]] = {}
    for row in groups:
        total = sums.setdefault(starts[row["week"]], [0] * 7)
        for index, name in enumerate(("p_sum", "p_count", "e_sum", "e_count", "checkins", "drops")):
            total[index] += row[name] or 0
    for week, count in shows.items():
        sums.setdefault(starts[week], [0] * 7)[6] += count
    return unit, [
        Period(
            day,
            round(p_sum / p_count, 1) if p_count else None,
            round(e_sum / e_count, 1) if e_count else None,
            checkins,
            drops,
            shown,
        )
        for day, (p_sum, p_count, e_sum, e_count, checkins, drops, shown) in sorted(sums.items())
    ]


def insights_for(person) -> Insights:
    """Everything the insights page and the API show of the person's own check-ins,
    computed now: at most four queries, whatever the length of the history."""
    origin = _week_origin()
    groups = _checkin_groups(person, origin)
    checkins = sum(row["checkins"] for row in groups)
    if not checkins:
        return Insights([], [], [], "week", [], False, 0)
    received, given = care_tendencies(person)
    shows = _shows_by_week(person, origin)
    unit, periods = over_time(groups, shows, origin)
    return Insights(days_after(groups), received, given, unit, periods, bool(shows), checkins)
