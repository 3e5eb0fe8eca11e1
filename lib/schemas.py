import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Header, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from lib import moments


class StrictSchema(Schema):
    """Request bodies refuse fields they do not know, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class Detail(Schema):
    detail: str


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


def _reasonable_moment(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("expected a time zone offset, for example 2026-01-01T21:30:00+01:00")
    try:
        return moments.in_utc(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from None


Moment = Annotated[dt.datetime, BeforeValidator(_no_numbers), AfterValidator(_reasonable_moment)]
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
