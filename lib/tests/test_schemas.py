import datetime as dt
import re

import pytest
from pydantic import BaseModel, ValidationError

from lib.schemas import FIRST_YEAR, LAST_YEAR, YEAR_IN_RANGE, Moment, WholeNumber


class Example(BaseModel):
    when: Moment | None = None
    count: WholeNumber | None = None


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "2026-01-01T20:00:00",
        0,
        1700000000,
    ],
)
def test_out_of_range_naive_or_numeric_times_are_refused(value):
    with pytest.raises(ValidationError):
        Example(when=value)


def test_a_time_with_an_offset_is_kept_as_utc():
    assert Example(when="2026-01-01T21:30:00+01:00").when.isoformat() == "2026-01-01T20:30:00+00:00"


@pytest.mark.parametrize("value", ["7", True, 7.5])
def test_whole_numbers_are_whole_numbers(value):
    with pytest.raises(ValidationError):
        Example(count=value)


def test_seven_point_oh_is_seven():
    assert Example(count=7.0).count == 7


@pytest.mark.parametrize("value", ["1901-01-01T00:00:00+14:00", "8999-12-31T23:59:59-23:59"])
def test_the_first_and_last_documented_years_are_accepted_in_any_offset(value):
    assert Example(when=value).when.tzinfo == dt.UTC


@pytest.mark.parametrize("value", ["1900-12-31T23:59:59-10:00", "9000-01-01T00:00:00+00:00"])
def test_years_outside_the_documented_range_are_refused(value):
    with pytest.raises(ValidationError, match="Please pick a date in the years 1901 to 8999"):
        Example(when=value)


def test_the_documented_pattern_allows_exactly_the_accepted_years():
    documented = Example.model_json_schema()["properties"]["when"]["anyOf"][0]
    assert documented["pattern"] == YEAR_IN_RANGE
    for year in range(10000):
        allowed = re.match(YEAR_IN_RANGE, f"{year:04d}-01-01T00:00:00+00:00") is not None
        assert allowed == (FIRST_YEAR <= year <= LAST_YEAR), year
