"""Moments people give us: kept within years that every time zone, both databases and the
follow-up arithmetic can hold. Python's datetime ends at years 1 and 9999; a wall-clock time
near either end has no UTC equivalent in zones east or west of it, and turns into an
OverflowError deep inside a comparison or a database adapter instead of a message."""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 9000


def range_problem(year: int) -> str | None:
    """What to tell someone whose date falls outside the years we keep, or None."""
    if year < EARLIEST_YEAR:
        return _("Please pick a date after 1 January %(year)s.") % {"year": EARLIEST_YEAR}
    if year > LATEST_YEAR:
        return _("Please pick a date before the year %(year)s.") % {"year": LATEST_YEAR}
    return None


def from_wall_clock(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A time as the person's own clock showed it, made aware in their zone. The year is
    checked on the wall clock, with room to spare, before any zone arithmetic can overflow."""
    problem = range_problem(wall.year)
    if problem:
        raise ValidationError(problem, code="out_of_range")
    return wall.replace(tzinfo=tz)


def in_utc(moment: dt.datetime) -> dt.datetime:
    """An aware moment in UTC, refused with a message when it is outside the years we keep."""
    problem = range_problem(moment.year)
    if problem is None:
        # Safe now: a year between the limits is far from where an offset could overflow.
        utc = moment.astimezone(dt.UTC)
        problem = range_problem(utc.year)
    if problem:
        raise ValidationError(problem, code="out_of_range")
    return utc


def localize(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time in tz, as an aware time. A time skipped by a daylight-saving change
    (02:30 on the night clocks go forward) comes out as the moment just after the gap."""
    return wall.replace(tzinfo=tz).astimezone(dt.UTC).astimezone(tz)


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
    return localize(dt.datetime.combine(end_day, end), tz)
