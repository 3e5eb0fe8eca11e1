import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import moments

ZONES = st.sampled_from(sorted(zoneinfo.available_timezones()))
ANY_WALL_CLOCK = st.datetimes(min_value=dt.datetime.min, max_value=dt.datetime.max)


@settings(max_examples=2000, deadline=None)
@given(wall=ANY_WALL_CLOCK, zone=ZONES)
def test_any_wall_clock_in_any_zone_is_a_utc_moment_or_a_message(wall, zone):
    try:
        aware = moments.from_wall_clock(wall, zoneinfo.ZoneInfo(zone))
        utc = moments.in_utc(aware)
    except ValidationError as exc:
        assert exc.code == "out_of_range"
        assert "Please pick a date" in exc.messages[0]
    else:
        assert moments.EARLIEST_YEAR <= utc.year <= moments.LATEST_YEAR
        # Compared by arithmetic: Python calls a wall time in a gap (a clock jumping forward)
        # unequal to every other moment, so == would fail on a correct answer.
        assert utc.utcoffset() == dt.timedelta(0)
        assert utc.replace(tzinfo=None) == wall - aware.utcoffset()


@settings(max_examples=1000, deadline=None)
@given(utc=ANY_WALL_CLOCK, zone=ZONES)
def test_any_aware_moment_is_in_range_or_refused_with_a_message(utc, zone):
    try:
        aware = utc.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(zone))
    except OverflowError:
        aware = utc.replace(tzinfo=dt.UTC)
    try:
        in_utc = moments.in_utc(aware)
    except ValidationError as exc:
        assert exc.code == "out_of_range"
    else:
        assert moments.EARLIEST_YEAR <= in_utc.year <= moments.LATEST_YEAR


@pytest.mark.parametrize(
    ("wall", "zone", "message"),
    [
        (dt.datetime(1, 1, 1), "Asia/Tokyo", "Please pick a date after 1 January 1900."),
        (dt.datetime(1, 1, 1), "Pacific/Pago_Pago", "Please pick a date after 1 January 1900."),
        (dt.datetime(9999, 12, 31, 23, 59), "Pacific/Pago_Pago", "before the year 9000"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message(wall, zone, message):
    with pytest.raises(ValidationError, match=message):
        moments.from_wall_clock(wall, zoneinfo.ZoneInfo(zone))


def test_the_first_minutes_of_1900_east_of_greenwich_are_still_1899_in_utc():
    tokyo = dt.datetime(1900, 1, 1, 0, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    with pytest.raises(ValidationError, match="after 1 January 1900"):
        moments.in_utc(tokyo)
