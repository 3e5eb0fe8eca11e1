"""The API of guest links and their answers."""

import datetime as dt
import uuid

from django.urls import reverse
from ninja import Field, Router, Schema, Status

from lib.schemas import StrictSchema
from partners import access, guests
from partners.models import (
    GuestAnswer,
    GuestLink,
)

router = Router(tags=["partners"])


class GuestLinkIn(StrictSchema):
    nickname: str = Field("", max_length=80)


class GuestLinkOut(Schema):
    code: uuid.UUID
    nickname: str
    expires_at: dt.datetime
    answered: bool


class NewGuestLinkOut(GuestLinkOut):
    url: str = Field(description="Shown once: send it to your guest.")


class GuestAnswerOut(Schema):
    link: uuid.UUID
    nickname: str
    created_at: dt.datetime
    feeling: int | None
    message: str
    wants_to_hear_back: bool


def _guest_link_out(link: GuestLink) -> dict:
    return {
        "code": link.code,
        "nickname": link.nickname,
        "expires_at": link.expires_at,
        "answered": link.answered_at is not None,
    }


@router.get("/guest-links", response=list[GuestLinkOut], summary="Your open guest links")
def guest_links(request):
    return [
        _guest_link_out(link)
        for link in GuestLink.objects.open().filter(person=request.auth).order_by("-created_at")
    ]


@router.post("/guest-links", response={201: NewGuestLinkOut}, summary="Make a guest link")
def create_guest_link(request, payload: GuestLinkIn):
    link, secret = guests.create_link(request.auth, nickname=payload.nickname)
    url = request.build_absolute_uri(reverse("partners:guest", args=[secret]))
    return Status(201, {**_guest_link_out(link), "url": url})


@router.delete("/guest-links/{code}", response={204: None}, summary="Withdraw a guest link")
def revoke_guest_link(request, code: uuid.UUID):
    guests.revoke_link(access.guest_link_for_owner(request, code))
    return Status(204, None)


@router.get(
    "/guest-answers",
    response=list[GuestAnswerOut],
    summary="What your guests told you (kept 30 days)",
)
def guest_answers(request):
    found = GuestAnswer.objects.filter(person=request.auth).select_related("link")
    return [
        {
            "link": a.link.code,
            "nickname": a.link.nickname,
            "created_at": a.created_at,
            "feeling": a.feeling,
            "message": a.message,
            "wants_to_hear_back": a.wants_to_hear_back,
        }
        for a in found.order_by("-created_at")
    ]
