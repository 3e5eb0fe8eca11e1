import pytest
from pydantic import BaseModel, ValidationError

from lib.schemas import Moment, WholeNumber


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
