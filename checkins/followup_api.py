"""The API of follow-ups, the drop watch (alerts) and nudges."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts import submissions
from care import access as care_access
from checkins import access, dropwatch, followups
from checkins.api import CheckInIn, CheckInOut, body_of, checkin_out
from checkins.models import Alert, FollowUp, FollowUpEvent
from lib.pagination import WINDOW_OPENAPI, LimitOffset, Mapped, Window, window
from lib.schemas import Detail, StrictSchema, idempotency_key, one_of
from partners import nudges
from partners.models import Nudge

followups_router = Router(tags=["follow-ups"])
alerts_router = Router(tags=["drop watch"])
nudges_router = Router(tags=["nudges"])

StateValue = Literal["scheduled", "sent", "answered", "missed", "cancelled"]


if TYPE_CHECKING:
    EventReason: TypeAlias = str
else:
    EventReason = one_of(FollowUpEvent.Reason.values)


class FollowUpEventOut(Schema):
    state: StateValue
    reason: EventReason
    at: dt.datetime
    due_at: dt.datetime | None


class FollowUpOut(Schema):
    code: uuid.UUID
    encounter: uuid.UUID | None = Field(description="None once the encounter was deleted.")
    encounter_kind: str = Field(description="The encounter's kind as you knew it.")
    encounter_at: dt.datetime | None = Field(
        description="When it happened, as you knew it: kept when the encounter is no longer "
        "shared with you or was deleted."
    )
    offset_hours: int = Field(description="Hours after the encounter; 0 for 'at once'.")
    due_at: dt.datetime
    state: StateValue
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    answered_ok: bool | None
    checkin: uuid.UUID | None
    events: list[FollowUpEventOut]


class RecipientOut(Schema):
    name: str
    kind: Literal["partner", "support_contact", "gone"]
    status: str
    told_at: dt.datetime | None


class AlertOut(Schema):
    code: uuid.UUID
    checkin: uuid.UUID | None
    automatic: bool
    created_at: dt.datetime
    recipients: list[RecipientOut]


class FollowUpAnswerIn(CheckInIn):
    """The same answers as a check-in, all optional: none at all means "I'm OK"."""


class AnswerOut(Schema):
    followup: FollowUpOut
    checkin: CheckInOut
    told: AlertOut | None = Field(
        description="Set when the answer raised a drop signal and someone was told at once."
    )


class SnoozeIn(StrictSchema):
    hours: Literal[1, 3]


def _mine(request):
    return (
        FollowUp.objects.for_person(request.auth)
        .select_related("encounter", "checkin")
        .prefetch_related("events")
    )


def _one(request, code) -> FollowUp:
    access.followup_for_owner(request, code)  # not yours: 404
    return _mine(request).get(code=code)


@followups_router.get("", response=list[FollowUpOut], summary="Your follow-ups")
@paginate(LimitOffset)
def followup_list(request, state: StateValue | None = None):
    found = _mine(request).order_by("-due_at", "-id")
    if state:
        found = found.filter(state=state)
    return Mapped(found, followups.as_data)


@followups_router.get("/{code}", response=FollowUpOut, summary="One follow-up with its history")
def followup_detail(request, code: uuid.UUID):
    return followups.as_data(_one(request, code))


@followups_router.post(
    "/{code}/answer", response={201: AnswerOut, 409: Detail}, summary="Answer a follow-up"
)
def followup_answer(
    request, code: uuid.UUID, payload: FollowUpAnswerIn, key: str | None = idempotency_key()
):
    followup = _one(request, code)
    data = payload.model_dump(exclude_unset=True)
    data.pop("care_acts", None)
    data["care_given"] = care_access.items_visible(request.auth, data.get("care_given", []))
    submitted = submissions.once(
        request.auth,
        "followup_answer",
        key,
        body_of(request, payload),
        lambda: followups.answer(followup, **data),
    )
    checkin = submitted.made or access.checkin_read(request, submitted.earlier)
    told = dropwatch.with_names(checkin.alerts.all(), request.auth)
    return Status(
        201,
        {
            "followup": followups.as_data(_one(request, code)),
            "checkin": checkin_out(checkin),
            "told": dropwatch.as_data(told[0]) if told else None,
        },
    )


@followups_router.post("/{code}/snooze", response=FollowUpOut, summary="Ask again later")
def followup_snooze(request, code: uuid.UUID, payload: SnoozeIn):
    followups.snooze(_one(request, code), payload.hours)
    return followups.as_data(_one(request, code))


@followups_router.post("/{code}/skip", response=FollowUpOut, summary="Skip a follow-up")
def followup_skip(request, code: uuid.UUID):
    followups.skip(_one(request, code))
    return followups.as_data(_one(request, code))


class TellIn(StrictSchema):
    checkin: uuid.UUID = Field(description="Your check-in that raised a drop signal.")


@alerts_router.get(
    "", response=list[AlertOut], summary="Who was told, and when", openapi_extra=WINDOW_OPENAPI
)
def alert_list(request, response: HttpResponse, chosen: Query[Window]):
    return window(
        dropwatch.alerts_by(request.auth),
        request,
        response,
        chosen,
        dropwatch.as_data,
        prepare=lambda rows: dropwatch.with_names(rows, request.auth),
    )


@alerts_router.post(
    "",
    response={201: AlertOut},
    summary="Tell the people you chose that you could use some care",
    description="Only who was not told yet about this check-in. 400 when nobody is left.",
)
def tell(request, payload: TellIn):
    checkin = access.checkin_read(request, payload.checkin)
    alert = dropwatch.tell(request.auth, checkin)
    if alert is None:
        raise ValidationError("Everyone you chose already knows, or you have chosen nobody.")
    named = dropwatch.with_names(Alert.objects.filter(pk=alert.pk), request.auth)
    return Status(201, dropwatch.as_data(named[0]))


class NudgeIn(StrictSchema):
    encounter: uuid.UUID
    connection: uuid.UUID = Field(description="The connection of the partner to nudge.")


class NudgeOut(Schema):
    code: uuid.UUID
    encounter: uuid.UUID
    connection: uuid.UUID
    direction: Literal["sent", "received"]
    created_at: dt.datetime


def _nudge_out(nudge: Nudge, viewer) -> dict:
    return {
        "code": nudge.code,
        "encounter": nudge.encounter.code,
        "connection": nudge.connection.code,
        "direction": "sent" if nudge.sender_id == viewer.pk else "received",
        "created_at": nudge.created_at,
    }


@nudges_router.get("", response=list[NudgeOut], summary="Nudges you sent and received")
@paginate(LimitOffset)
def nudge_list(request):
    found = Nudge.objects.filter(Q(sender=request.auth) | Q(recipient=request.auth))
    return Mapped(
        found.select_related("encounter", "connection"), lambda n: _nudge_out(n, request.auth)
    )


@nudges_router.post("", response={201: NudgeOut}, summary="Send a partner a gentle nudge")
def nudge(request, payload: NudgeIn):
    encounter = access.encounter_read(request, payload.encounter)
    sent = nudges.send_nudge(request.auth, encounter, payload.connection)
    return Status(201, _nudge_out(sent, request.auth))
