"""The API of the inbox and of channels."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Literal, TypeAlias

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from lib.pagination import (
    OFFSET_MAX,
    WINDOW_MAX,
    WINDOW_OPENAPI,
    LimitOffset,
    Mapped,
    Window,
    window,
)
from lib.schemas import StrictSchema, one_of
from notify import access, inbox, messengers, services
from notify.models import Channel, Delivery, Notification

inbox_router = Router(tags=["inbox"])

if TYPE_CHECKING:
    NotificationKind: TypeAlias = str
    ChannelKind: TypeAlias = str
    DeliveryStatus: TypeAlias = str
else:
    NotificationKind = one_of(Notification.Kind.values)
    ChannelKind = one_of(Channel.Kind.values)
    DeliveryStatus = one_of(Delivery.Status.values)
channels_router = Router(tags=["channels"])


class NotificationOut(Schema):
    code: uuid.UUID
    kind: NotificationKind
    text: str = Field(description="What the inbox shows, after sign-in.")
    created_at: dt.datetime
    read: bool
    followup: uuid.UUID | None


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


def _line_out(line: dict) -> dict:
    notification = line["notification"]
    return {
        "code": notification.code,
        "kind": notification.kind,
        "text": str(line["text"]),
        "created_at": notification.created_at,
        "read": not line["unread"],
        "followup": notification.followup.code if notification.followup else None,
    }


@inbox_router.get(
    "",
    response=InboxOut,
    summary="Your inbox, newest first, and the unread count",
    openapi_extra=WINDOW_OPENAPI,
)
def inbox_list(
    request,
    response: HttpResponse,
    limit: int = 50,
    offset: int = Query(0, ge=0, le=OFFSET_MAX, description="How many to skip first."),
):
    chosen = Window(limit=max(1, min(limit, WINDOW_MAX)), offset=offset)
    found = (
        Notification.objects.filter(person=request.auth)
        .select_related("followup")
        .order_by("-created_at", "-id")
    )
    items = window(
        found,
        request,
        response,
        chosen,
        _line_out,
        prepare=lambda rows: inbox.describe(list(rows), request.auth),
    )
    return {"unread": services.unread_count(request.auth), "items": items}


@inbox_router.post("/{code}/read", response={204: None}, summary="Mark one as read")
def inbox_read(request, code: uuid.UUID):
    services.mark_read(access.notification_for_owner(request, code))
    return Status(204, None)


@inbox_router.post("/read", response={204: None}, summary="Mark everything as read")
def inbox_read_all(request):
    services.mark_all_read(request.auth)
    return Status(204, None)


class DeliveryOut(Schema):
    created_at: dt.datetime
    status: DeliveryStatus
    error: str


class ChannelOut(Schema):
    code: uuid.UUID
    kind: ChannelKind
    label: str
    enabled: bool
    disabled_reason: str
    created_at: dt.datetime
    last_deliveries: list[DeliveryOut]


class ChannelIn(StrictSchema):
    kind: Literal["email", "apprise", "push"]
    target: str = Field(
        max_length=4000,
        description="An e-mail address, an Apprise URL, or a browser's push subscription "
        "as JSON. Stored encrypted and never returned.",
    )
    label: str = Field("", max_length=60)


class ForgetPushIn(StrictSchema):
    endpoint: str = Field(max_length=2000)


def _channel_out(channel: Channel) -> dict:
    recent = getattr(channel, "recent_deliveries", None)
    if recent is None:  # one channel, not from the list: its last few, looked up
        recent = channel.deliveries.order_by("-created_at", "-id")[: access.RECENT_DELIVERIES]
    return {
        "code": channel.code,
        "kind": channel.kind,
        "label": channel.label,
        "enabled": channel.enabled,
        "disabled_reason": channel.disabled_reason,
        "created_at": channel.created_at,
        "last_deliveries": [
            {"created_at": d.created_at, "status": d.status, "error": d.error} for d in recent
        ],
    }


@channels_router.get("", response=list[ChannelOut], summary="Where you are reached")
@paginate(LimitOffset)
def channel_list(request):
    return Mapped(access.channels_with_recent_deliveries(request.auth), _channel_out)


@channels_router.post("", response={201: ChannelOut}, summary="Add a channel")
def channel_add(request, payload: ChannelIn):
    channel = services.add_channel(request.auth, request=request, **payload.model_dump())
    return Status(201, _channel_out(channel))


class ReachOut(Schema):
    answered_at: dt.datetime | None = Field(
        description="When “How should we reach you?” was answered; null while it is open."
    )
    email: str
    email_verified: bool = Field(description="Whether e-mail to this address can be chosen.")


def _reach_out(person) -> dict:
    return {
        "answered_at": person.reach_answered_at,
        "email": person.email,
        "email_verified": services.verified_email(person) is not None,
    }


@channels_router.get("/reach", response=ReachOut, summary="How should we reach you?")
def reach(request):
    return _reach_out(request.auth)


@channels_router.post(
    "/reach",
    response=ReachOut,
    summary="Only here in the app, or not now",
    description="Puts the question away for good. Adding a channel answers it too.",
)
def reach_done(request):
    services.answer_reach(request.auth)
    return _reach_out(request.auth)


@channels_router.post(
    "/email", response={201: ChannelOut}, summary="E-mail to your confirmed sign-in address"
)
def channel_add_email(request):
    channel = services.add_verified_email(request.auth, request=request)
    return Status(201, _channel_out(channel))


_SERVER = Field(max_length=300, description="https://host[:port] (http:// for a home server).")
_PHONE = Field(pattern=messengers.PHONE, description="With its country code: +447700900123.")


class NtfyIn(StrictSchema):
    service: Literal["ntfy"]
    server: str = _SERVER
    topic: str = Field(pattern=messengers.TOPIC)


class SignalIn(StrictSchema):
    service: Literal["signal"]
    server: str = Field(max_length=300, description="Your signal-cli REST API.")
    from_number: str = _PHONE
    to_number: str = _PHONE


class MatrixIn(StrictSchema):
    service: Literal["matrix"]
    homeserver: str = _SERVER
    user: str = Field("", max_length=300, description="Empty when a token is given.")
    password_or_token: str = Field(min_length=1, max_length=300)
    room: str = Field(pattern=messengers.MATRIX_ROOM)


class TelegramIn(StrictSchema):
    service: Literal["telegram"]
    bot_token: str = Field(pattern=messengers.TELEGRAM_TOKEN)
    chat_id: str = Field(pattern=messengers.TELEGRAM_CHAT)


MessengerIn = Annotated[NtfyIn | SignalIn | MatrixIn | TelegramIn, Field(discriminator="service")]


@channels_router.post(
    "/messenger",
    response={201: ChannelOut},
    summary="Add a messenger from its details",
    description="ntfy, Signal (signal-cli REST API), Matrix or Telegram: the server writes "
    "the Apprise URL and checks it like any other. Secrets are stored encrypted.",
)
def channel_add_messenger(request, payload: MessengerIn):
    fields = payload.model_dump()
    service = fields.pop("service")
    channel = services.add_messenger(request.auth, service, fields, request=request)
    return Status(201, _channel_out(channel))


@channels_router.post(
    "/push/forget", response={204: None}, summary="Remove the push channel of one browser"
)
def channel_forget_push(request, payload: ForgetPushIn):
    # No fresh sign-in needed: the browser already unsubscribed, the channel is dead anyway.
    services.forget_push(request.auth, payload.endpoint)
    return Status(204, None)


@channels_router.post(
    "/{code}/test", response={202: ChannelOut}, summary="Send a test through a channel"
)
def channel_test(request, code: uuid.UUID):
    channel = access.channel_for_owner(request, code)
    services.test_channel(channel)
    return Status(202, _channel_out(access.channel_for_owner(request, code)))


@channels_router.delete("/{code}", response={204: None}, summary="Remove a channel")
def channel_remove(request, code: uuid.UUID):
    services.remove_channel(access.channel_for_owner(request, code), request=request)
    return Status(204, None)
