"""The API of the drop watch (alerts) and nudges."""

import datetime as dt
import uuid
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from alerts import dropwatch, nudges
from alerts.models import Alert, Nudge
from checkins import access
from lib.schemas import StrictSchema

alerts_router = Router(tags=["drop watch"])
nudges_router = Router(tags=["nudges"])


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


class TellIn(StrictSchema):
    checkin: uuid.UUID = Field(description="Your check-in that raised a drop signal.")


@alerts_router.get("", response=list[AlertOut], summary="Who was told, and when")
def alert_list(request):
    return [dropwatch.as_data(a) for a in dropwatch.alerts_of(request.auth)]


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
@paginate(LimitOffsetPagination)
def nudge_list(request):
    found = Nudge.objects.filter(Q(sender=request.auth) | Q(recipient=request.auth))
    return [_nudge_out(n, request.auth) for n in found.select_related("encounter", "connection")]


@nudges_router.post("", response={201: NudgeOut}, summary="Send a partner a gentle nudge")
def nudge(request, payload: NudgeIn):
    encounter = access.encounter_read(request, payload.encounter)
    sent = nudges.send_nudge(request.auth, encounter, payload.connection)
    return Status(201, _nudge_out(sent, request.auth))
