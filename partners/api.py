"""The API of connections, invites and the shared plan."""

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from lib.pagination import WINDOW_OPENAPI, Window, window
from lib.schemas import KEEP, StrictSchema
from partners import access, services
from partners.models import (
    Connection,
    Invite,
)
from partners.plan import shared_plan

router = Router(tags=["partners"])


AnswerKey = Literal[
    "mood", "feelings", "wants_care", "fun", "next_time", "not_right", "need_now", "care_given"
]


class InviteIn(StrictSchema):
    nickname: str = Field("", max_length=80)


class InviteOut(Schema):
    code: uuid.UUID
    nickname: str
    expires_at: dt.datetime


class NewInviteOut(InviteOut):
    secret: str = Field(description="Shown once: give it to the person you invite.")


class AcceptIn(StrictSchema):
    secret: str = Field(min_length=1, max_length=40)
    nickname: str = Field("", max_length=80)


class SharingOut(Schema):
    nickname: str
    share_profile: bool
    share_checkins: bool
    shared_answers: list[str]
    share_drop_alerts: bool
    share_insights: bool
    paused: bool


class SharingIn(StrictSchema):
    nickname: str = Field(KEEP, max_length=80)
    share_profile: StrictBool = KEEP
    share_checkins: StrictBool = Field(
        KEEP,
        description="Follows shared_answers: true needs at least one answer ticked (else 400); "
        "false forgets the ticks",
    )
    shared_answers: list[AnswerKey] = Field(
        KEEP, description="The check-in answers they can see; ticking any turns sharing on"
    )
    share_drop_alerts: StrictBool = KEEP
    share_insights: StrictBool = Field(
        KEEP, description="Insights together: shown only while both sides turn it on"
    )


class ConnectionOut(Schema):
    code: uuid.UUID
    name: str
    created_at: dt.datetime
    ended: bool
    sharing: bool
    mine: SharingOut | None


class PlanItem(Schema):
    item: uuid.UUID
    key: str | None
    label: str
    answer: str


class PlanOut(Schema):
    ready: bool
    waiting_for: str
    your_step: Literal["share", "finish", "ready", ""] = Field(
        description="share: share your profile with them; finish: finish your profile"
    )
    their_step: Literal["share", "finish", "ready", ""] = Field(
        description="Their step, the same way; empty while the connection is paused"
    )
    they_can_give_you: list[PlanItem]
    you_can_give_them: list[PlanItem]
    not_in_plan_yet: list[PlanItem]
    your_boundaries: str
    their_boundaries: str


def _sharing_out(side) -> dict:
    return {
        "nickname": side.nickname,
        "share_profile": side.share_profile,
        "share_checkins": side.share_checkins,
        "shared_answers": side.shared_answers,
        "share_drop_alerts": side.share_drop_alerts,
        "share_insights": side.share_insights,
        "paused": side.paused_at is not None,
    }


def _connection_out(connection: Connection, person) -> dict:
    mine = services.side_of(connection, person)
    other = None if connection.is_ended else services.other_side(connection, person)
    return {
        "code": connection.code,
        "name": str(services.partner_name(mine, other)),
        "created_at": connection.created_at,
        "ended": connection.is_ended,
        "sharing": connection.is_sharing,
        "mine": None if connection.is_ended else _sharing_out(mine),
    }


def _invite_out(invite: Invite) -> dict:
    return {"code": invite.code, "nickname": invite.nickname, "expires_at": invite.expires_at}


@router.get(
    "/connections",
    response=list[ConnectionOut],
    summary="Your connections",
    openapi_extra=WINDOW_OPENAPI,
)
def connections(request, response: HttpResponse, chosen: Query[Window]):
    found = Connection.objects.for_person(request.auth).prefetch_related("sides__person")
    return window(
        found.order_by("-created_at", "-id"),
        request,
        response,
        chosen,
        lambda c: _connection_out(c, request.auth),
    )


@router.get("/connections/{code}", response=ConnectionOut, summary="One connection")
def connection(request, code: uuid.UUID):
    return _connection_out(access.connection_for(request, code), request.auth)


@router.patch("/connections/{code}", response=ConnectionOut, summary="Change what you share")
def update_connection(request, code: uuid.UUID, payload: SharingIn):
    found = access.live_connection_for(request, code)
    services.update_side(
        services.side_of(found, request.auth), **payload.model_dump(exclude_unset=True)
    )
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/pause", response=ConnectionOut, summary="Pause sharing")
def pause(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    services.pause(services.side_of(found, request.auth))
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/resume", response=ConnectionOut, summary="Resume sharing")
def resume(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    services.resume(services.side_of(found, request.auth))
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/end", response=ConnectionOut, summary="End a connection")
def end(request, code: uuid.UUID):
    services.end(access.live_connection_for(request, code))
    return _connection_out(access.connection_for(request, code), request.auth)


def _plan_items(rows, *, with_answer=True) -> list[dict]:
    return [
        {
            "item": item.code,
            "key": item.key,
            "label": str(item.label),
            "answer": answer if with_answer else "",
        }
        for item, answer in rows
    ]


@router.get("/connections/{code}/plan", response=PlanOut, summary="Your shared plan")
def plan(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    if not found.is_sharing:
        result = None
    else:
        result = shared_plan(
            request.auth,
            services.side_of(found, request.auth),
            services.other_side(found, request.auth),
        )
    if result is None or not result.ready:
        return {
            "ready": False,
            "waiting_for": result.waiting_for if result else "paused",
            "your_step": result.your_step if result else "",
            "their_step": result.their_step if result else "",
            "they_can_give_you": [],
            "you_can_give_them": [],
            "not_in_plan_yet": [],
            "your_boundaries": "",
            "their_boundaries": "",
        }
    return {
        "ready": True,
        "waiting_for": "",
        "your_step": result.your_step,
        "their_step": result.their_step,
        "they_can_give_you": _plan_items(result.they_can_give_you),
        "you_can_give_them": _plan_items(result.you_can_give_them),
        "not_in_plan_yet": _plan_items(
            [(i, "") for i in result.not_in_plan_yet], with_answer=False
        ),
        "your_boundaries": result.your_boundaries,
        "their_boundaries": result.their_boundaries,
    }


@router.get(
    "/invites",
    response=list[InviteOut],
    summary="Your invites still open",
    openapi_extra=WINDOW_OPENAPI,
)
def invites(request, response: HttpResponse, chosen: Query[Window]):
    found = Invite.objects.open().filter(person=request.auth)
    return window(found, request, response, chosen, _invite_out)


@router.post("/invites", response={201: NewInviteOut}, summary="Make an invite")
def create_invite(request, payload: InviteIn):
    invite, secret = services.create_invite(request.auth, nickname=payload.nickname)
    return Status(201, {**_invite_out(invite), "secret": secret})


@router.post("/invites/accept", response={201: ConnectionOut}, summary="Accept an invite")
def accept_invite(request, payload: AcceptIn):
    found = services.accept_invite(request.auth, payload.secret, nickname=payload.nickname)
    return Status(201, _connection_out(access.connection_for(request, found.code), request.auth))


@router.delete("/invites/{code}", response={204: None}, summary="Withdraw an invite")
def revoke_invite(request, code: uuid.UUID):
    services.revoke_invite(access.invite_for_owner(request, code))
    return Status(204, None)
