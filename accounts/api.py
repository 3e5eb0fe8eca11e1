import datetime as dt
import uuid
import zoneinfo
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from accounts import access, services
from accounts.countries import COUNTRIES
from accounts.models import AccessToken
from consent.services import has_consent
from lib.pagination import WINDOW_OPENAPI, Window, window
from lib.schemas import KEEP, Detail, StrictSchema, enum_names

router = Router(tags=["me"])

# A wall-clock time in the person's own time zone, "HH:MM".
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


# Choices as enums in the schema, so a client knows in advance what will be accepted.
if TYPE_CHECKING:
    TimeZone: TypeAlias = str
    Country: TypeAlias = str
    Language: TypeAlias = str
else:
    _ZONES = sorted(zoneinfo.available_timezones())
    TimeZone = Annotated[Literal[tuple(_ZONES)], Field(json_schema_extra=enum_names(_ZONES))]
    Country = Literal[("", *(code for code, _name in COUNTRIES))]
    Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]
FollowUpHour = Literal[3, 24, 48, 72]
RetentionMonths = Literal[1, 3, 6, 12, 24]


class PersonOut(Schema):
    code: uuid.UUID
    email: str
    display_name: str
    pronouns: str
    time_zone: TimeZone
    declined_time_zone: TimeZone | Literal[""] = Field(
        description="A device's zone you chose not to switch to: not offered again."
    )
    country: Country
    language: Language
    quiet_hours_start: str = Field(pattern=CLOCK, examples=["22:00"])
    quiet_hours_end: str = Field(pattern=CLOCK, examples=["08:00"])
    follow_up_hours: list[FollowUpHour] = Field(description="Hours after an encounter to ask.")
    tell_automatically: bool
    retention_months: RetentionMonths | None = Field(
        description="Delete what is older; None keeps it."
    )
    discreet_mode: bool
    quick_exit_signs_out: bool
    has_consent: bool


class PersonPatch(StrictSchema):
    """Send only what changes; a field left out keeps its value."""

    display_name: str = Field(KEEP, max_length=60)
    pronouns: str = Field(KEEP, max_length=40)
    time_zone: TimeZone = KEEP
    declined_time_zone: TimeZone | Literal[""] = Field(
        KEEP, description='Keep your zone while a device shows this one; "" asks again.'
    )
    country: Country = KEEP
    language: Language = KEEP
    quiet_hours_start: str = Field(KEEP, pattern=CLOCK, examples=["22:00"])
    quiet_hours_end: str = Field(KEEP, pattern=CLOCK, examples=["08:00"])
    follow_up_hours: list[FollowUpHour] = Field(
        KEEP, max_length=4, description="Any of 3, 24, 48 and 72; an empty list asks only once."
    )
    tell_automatically: StrictBool = KEEP
    retention_months: RetentionMonths | None = KEEP
    discreet_mode: StrictBool = KEEP
    quick_exit_signs_out: StrictBool = KEEP


class TokenOut(Schema):
    code: uuid.UUID
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def _person_out(person) -> dict:
    data = {name: getattr(person, name) for name in services.SETTINGS_FIELDS}
    for name in ("quiet_hours_start", "quiet_hours_end"):
        data[name] = data[name].strftime("%H:%M")
    return {**data, "code": person.code, "email": person.email, "has_consent": has_consent(person)}


@router.get("", response=PersonOut, summary="Your settings")
def me(request):
    return _person_out(request.auth)


@router.patch("", response={200: PersonOut, 400: Detail}, summary="Change your settings")
def update_me(request, payload: PersonPatch):
    changes = payload.model_dump(exclude_unset=True)
    for name in ("quiet_hours_start", "quiet_hours_end"):
        if name in changes:
            changes[name] = dt.time.fromisoformat(changes[name])
    if "follow_up_hours" in changes:
        changes["follow_up_hours"] = sorted(set(changes["follow_up_hours"]))
    services.update_settings(request.auth, **changes)
    return _person_out(request.auth)


@router.get(
    "/tokens",
    response=list[TokenOut],
    summary="Your access tokens",
    openapi_extra=WINDOW_OPENAPI,
)
def tokens(request, response: HttpResponse, chosen: Query[Window]):
    found = AccessToken.objects.for_person(request.auth).order_by("-created_at", "-id")
    return window(found, request, response, chosen, lambda token: token)


@router.delete("/tokens/{code}", response={204: None, 404: Detail}, summary="Revoke a token")
def revoke_token(request, code: uuid.UUID):
    services.revoke_token(access.token_for_owner(request, code))
    return Status(204, None)
