import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Header, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from lib import moments


class StrictSchema(Schema):
    """Request bodies refuse fields they do not know, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class Detail(Schema):
    detail: str


# How a 422 names each field that did not fit (pydantic's own error shape, trimmed).
FIELD_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string"},
        "type": {"type": "string"},
    },
    "required": ["loc", "msg", "type"],
}


# The default of a field a client may leave out. Only the fields a client sent are applied
# (``model_dump(exclude_unset=True)``), so this value is never stored; being Any, it does not
# pretend to be a str, and the schema does not make the field nullable.
KEEP: Any = None


def _no_numbers(value: Any) -> Any:
    # JSON has no time type: a number here is a mistake, not a Unix timestamp.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("expected a date and time as an ISO 8601 string")
    return value


def _whole(value: Any) -> Any:
    # JSON Schema counts 7.0 as an integer; a string or a boolean is not one.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("expected a whole number")
    return int(value)


# The years a moment may fall in, as written (before its offset is applied): the schema says
# the same with a pattern, so a client can check a date before sending it. A day inside the
# years 1900 to 9000 on either side, so no offset can take it out of them in UTC.
FIRST_YEAR, LAST_YEAR = 1901, 8999
YEAR_IN_RANGE = r"^(190[1-9]|19[1-9][0-9]|[2-8][0-9]{3})-"


def _reasonable_moment(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("expected a time zone offset, for example 2026-01-01T21:30:00+01:00")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Please pick a date in the years {FIRST_YEAR} to {LAST_YEAR}.")
    try:
        return moments.in_utc(value)
    except DjangoValidationError as exc:  # cannot happen inside the documented years
        raise ValueError(exc.messages[0]) from None


Moment = Annotated[
    dt.datetime,
    BeforeValidator(_no_numbers),
    AfterValidator(_reasonable_moment),
    # pydantic keeps `pattern` for strings only; a datetime gets it as plain schema.
    Field(
        examples=["2026-01-01T21:30:00+01:00"],
        description=f"With its offset; a year from {FIRST_YEAR} to {LAST_YEAR}.",
        json_schema_extra={"pattern": YEAR_IN_RANGE},
    ),
]


def one_of(values) -> Any:
    """A closed vocabulary (a model's choices, a catalogue's keys) as an enum in the schema."""
    return Literal[tuple(values)]


def enum_names(values: list[str]) -> dict[str, list[str]]:
    """``x-enum-varnames`` for an enum whose values would collide as identifiers in a
    generated client (``GMT+0``, ``GMT-0`` and ``GMT0`` all become ``GMT0``)."""
    names = []
    for value in values:
        signed = re.sub(r"-(?=[0-9])", "_MINUS_", value.replace("+", "_PLUS_"))
        names.append(re.sub(r"[^A-Za-z0-9]+", "_", signed).strip("_").upper() or "NONE")
    assert len(set(names)) == len(names), "two values of this enum share a name"
    return {"x-enum-varnames": names}


WholeNumber = Annotated[int, BeforeValidator(_whole)]


def idempotency_key():
    """The optional Idempotency-Key header of an operation that creates something: a retry
    with the same key (after a lost answer) gets the first result instead of a second one."""
    return Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique string, e.g. a UUID. Sent again with the same body, the first "
        "result comes back (for a day); with another body, 409.",
    )
