"""The API of support contacts."""

import uuid
from typing import Literal

from ninja import Field, Router, Schema, Status

from lib.schemas import StrictSchema
from partners import access, support
from partners.models import (
    SupportContact,
)

router = Router(tags=["partners"])


When = Literal["ask_me", "automatic"]


class SupportContactIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80, pattern=r"\S")
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    notify_url: str = Field("", max_length=500, description="Instead of an e-mail address.")
    may_tell: When = "ask_me"


class SupportContactPatch(StrictSchema):
    may_tell: When


class SupportContactOut(Schema):
    code: uuid.UUID
    name: str
    email: str
    notify_url: str
    may_tell: When
    confirmed: bool


def _contact_out(contact: SupportContact) -> dict:
    return {
        "code": contact.code,
        "name": contact.name,
        "email": contact.email,
        "notify_url": contact.notify_url,
        "may_tell": contact.may_tell,
        "confirmed": contact.verified_at is not None,
    }


@router.get(
    "/support-contacts",
    response=list[SupportContactOut],
    summary="People you trust, who may be asked to check in on you",
)
def support_contacts(request):
    found = SupportContact.objects.filter(person=request.auth).order_by("created_at")
    return [_contact_out(c) for c in found]


@router.post(
    "/support-contacts",
    response={201: SupportContactOut},
    summary="Add someone you trust; they get an e-mail to confirm",
)
def add_support_contact(request, payload: SupportContactIn):
    return Status(201, _contact_out(support.add_contact(request.auth, **payload.model_dump())))


@router.patch(
    "/support-contacts/{code}", response=SupportContactOut, summary="Change when they may be told"
)
def update_support_contact(request, code: uuid.UUID, payload: SupportContactPatch):
    contact = access.support_contact_for_owner(request, code)
    return _contact_out(support.update_contact(contact, may_tell=payload.may_tell))


@router.delete("/support-contacts/{code}", response={204: None}, summary="Remove a contact")
def remove_support_contact(request, code: uuid.UUID):
    support.remove_contact(access.support_contact_for_owner(request, code))
    return Status(204, None)
