"""The API of follow-ups, the drop watch (alerts) and nudges."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts import submissions
from alerts import dropwatch
from alerts.api import AlertOut
from care import access as care_access
from checkins import access
from checkins.api import CheckInIn, CheckInOut, body_of, checkin_out
from followups import access as followup_access
from followups import by_token
from followups import services as followups
from followups.models import FollowUp, FollowUpEvent
from lib import discreet
from lib.pagination import LimitOffset, Mapped
from lib.schemas import Detail, StrictSchema, idempotency_key, one_of

followups_router = Router(tags=["follow-ups"])

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
    return followup_access.followups_with_history(request.auth)


def _one(request, code) -> FollowUp:
    return followup_access.followup_with_history(request, code)


@followups_router.get("", response=list[FollowUpOut], summary="Your follow-ups")
@paginate(LimitOffset)
def followup_list(request, state: StateValue | None = None):
    found = _mine(request).order_by("-due_at", "-id")
    if state:
        found = found.filter(state=state)
    return Mapped(found, followups.as_data)


class TokenAnswerIn(StrictSchema):
    token: str = Field(max_length=by_token.MAX_TOKEN_CHARS, description="From the message.")
    answer: Literal["ok", "not_good"]


class TokenAnswerOut(Schema):
    answered_ok: bool
    open: str | None = Field(
        description="The page to open next: the drop response, after an answer that raised "
        "a drop signal."
    )
    title: str = Field(description="A quiet confirmation to show, as discreet as the message.")
    body: str
    waiting: int = Field(description="Follow-ups still waiting for an answer (the app's badge).")


# Before "/{code}", which would otherwise take its path for a code.
@followups_router.post(
    "/answer-with-token",
    auth=None,
    response={201: TokenAnswerOut, 404: Detail, 410: Detail},
    summary="Answer a follow-up from its notification",
    description="No sign-in and no cookie: the single-use token the push message or e-mail "
    "carried is the credential, good for this one answer. 404: not a token (or long gone); "
    "410: the follow-up was already answered or has passed.",
)
def followup_answer_with_token(request, payload: TokenAnswerIn):
    try:
        done = by_token.answer_with_token(payload.token, payload.answer)
    except by_token.Refused as refused:
        status = 404 if refused.reason == by_token.GONE else 410
        return Status(status, {"detail": str(by_token.SAID[refused.reason])})
    checkin, person = done.checkin, done.followup.person
    with discreet.speaking(person.language or request.LANGUAGE_CODE, discreet=person.discreet_mode):
        return Status(
            201,
            {
                "answered_ok": not checkin.raised_drop,
                "open": reverse("checkins:checkin_detail", args=[checkin.code])
                if checkin.raised_drop
                else None,
                "title": discreet.instance_name(person.discreet_mode),
                "body": _("Good to hear. Thank you for letting us know.")
                if not checkin.raised_drop
                else _("Thank you for checking in."),
                "waiting": FollowUp.objects.for_person(person).waiting().count(),
            },
        )


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
