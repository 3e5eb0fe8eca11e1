from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class StrictSchema(Schema):
    """Request bodies refuse fields they do not know, so a typo is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid")


class Detail(Schema):
    detail: str


# The default of a field a client may leave out. Only the fields a client sent are applied
# (``model_dump(exclude_unset=True)``), so this value is never stored; being Any, it does not
# pretend to be a str, and the schema does not make the field nullable.
KEEP: Any = None
