import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema

from accounts import access, services
from accounts.models import AccessToken
from lib.schemas import Detail, StrictSchema
from privacy.services import has_consent

router = Router(tags=["me"])


class PersonOut(Schema):
    code: uuid.UUID
    email: str
    display_name: str
    pronouns: str
    time_zone: str
    country: str
    language: str
    quiet_hours_start: dt.time
    quiet_hours_end: dt.time
    discreet_mode: bool
    has_consent: bool


class PersonPatch(StrictSchema):
    display_name: str | None = None
    pronouns: str | None = None
    time_zone: str | None = None
    country: str | None = None
    language: str | None = None
    quiet_hours_start: dt.time | None = None
    quiet_hours_end: dt.time | None = None
    discreet_mode: bool | None = None


class TokenOut(Schema):
    code: uuid.UUID
    name: str
    hint: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


def _person_out(person) -> dict:
    data = {name: getattr(person, name) for name in services.SETTINGS_FIELDS}
    return {**data, "code": person.code, "email": person.email, "has_consent": has_consent(person)}


@router.get("", response=PersonOut, summary="Your settings")
def me(request):
    return _person_out(request.auth)


@router.patch("", response={200: PersonOut, 400: Detail}, summary="Change your settings")
def update_me(request, payload: PersonPatch):
    changes = payload.model_dump(exclude_unset=True)
    if any(value is None for value in changes.values()):
        return 400, {"detail": _("Settings cannot be null; leave a field out to keep it.")}
    services.update_settings(request.auth, **changes)
    return _person_out(request.auth)


@router.get("/tokens", response=list[TokenOut], summary="Your access tokens")
def tokens(request):
    return list(AccessToken.objects.for_person(request.auth))


@router.delete("/tokens/{code}", response={204: None, 404: Detail}, summary="Revoke a token")
def revoke_token(request, code: uuid.UUID):
    services.revoke_token(access.token_for_owner(request, code))
    return 204, None
