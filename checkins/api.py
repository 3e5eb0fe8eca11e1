import datetime as dt
import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from accounts import submissions
from care import access as care_access
from care import crisis
from care.catalogue import FEELINGS
from checkins import access, giving, services, signals
from checkins.models import CheckIn, Encounter
from lib.pagination import LimitOffset, Mapped
from lib.schemas import KEEP, Detail, Moment, StrictSchema, WholeNumber, idempotency_key
from partners.access import connections_live_for
from partners.api import AnswerKey

router = Router(tags=["encounters"])

KindValue = Literal["partnered", "casual", "on_camera", "solo"]
DropReason = Literal["very_low", "below_usual", "low_feeling", "asked_for_care"]
# The feeling words, as an enum, so that a client offers only the ones that will be accepted.
if TYPE_CHECKING:
    Feeling: TypeAlias = str
else:
    Feeling = Literal[tuple(key for key, _label, _low in FEELINGS)]


class EncounterOut(Schema):
    code: uuid.UUID
    occurred_at: dt.datetime
    kind: KindValue
    care_acts: list[uuid.UUID]
    note: str
    checkins: list[uuid.UUID]
    connections: list[uuid.UUID]


class EncounterIn(StrictSchema):
    occurred_at: Moment = Field(description="When it happened: now or before, with offset.")
    kind: KindValue
    care_acts: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    note: str = Field("", max_length=4000)
    connections: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=20,
        description="Connections who were there: they can add their own check-in.",
    )


class EncounterPatch(StrictSchema):
    occurred_at: Moment = KEEP
    kind: KindValue = KEEP
    care_acts: list[uuid.UUID] = Field(KEEP, max_length=200)
    note: str = Field(KEEP, max_length=4000)
    connections: list[uuid.UUID] = Field(KEEP, max_length=20)


class CheckInOut(Schema):
    code: uuid.UUID
    encounter: uuid.UUID | None = Field(description="None once its author deleted it.")
    encounter_kind: str = Field(description="The encounter's kind as you knew it.")
    encounter_at: dt.datetime | None = Field(
        description="When it happened, as you knew it: kept when the encounter is no longer "
        "shared with you or was deleted."
    )
    created_at: dt.datetime
    pleasantness: int | None
    energy: int | None
    feelings: list[Feeling]
    wants_care: bool
    fun: str
    next_time: str
    not_right: str
    need_now: str
    care_given: list[uuid.UUID] = Field(description="Care items you gave.")
    drop_signal: bool
    drop_reasons: list[DropReason]
    shared: list[str]


class CheckInIn(StrictSchema):
    pleasantness: WholeNumber = Field(KEEP, ge=1, le=7, description="1 very low … 7 very good")
    energy: WholeNumber = Field(KEEP, ge=1, le=7, description="1 drained … 7 buzzing")
    feelings: list[Feeling] = Field(default_factory=list, max_length=30)
    wants_care: StrictBool = False
    fun: str = Field("", max_length=4000)
    next_time: str = Field("", max_length=4000)
    not_right: str = Field("", max_length=4000)
    need_now: str = Field("", max_length=4000)
    care_acts: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=200,
        description="Care received (wind-down included), recorded on your own encounter.",
    )
    care_given: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=200,
        description="Care you gave: codes of catalogue items or of your own items. Asked "
        "after a partnered or casual encounter only.",
    )
    shared: list[AnswerKey] = Field(
        default_factory=list, description="Answers shown to the partners on the encounter."
    )


class CareLine(Schema):
    name: str
    phone: str | None = None
    text: str | None = None
    hours: str | None = None
    url: str | None = None


class CountryLines(Schema):
    emergency: str
    lines: list[CareLine]
    source: str
    last_verified: str


class Directory(Schema):
    name: str
    url: str
    note: str | None = None


class CrisisOut(Schema):
    country: str
    entry: CountryLines | None
    international: Directory


class SelfCareItem(Schema):
    code: uuid.UUID
    label: str
    hint: str


class DropResponseOut(Schema):
    prominent: bool
    drop_helps: str
    self_care_text: str
    self_care_items: list[SelfCareItem]
    grounding: list[str]
    crisis: CrisisOut
    can_tell: list[str] = Field(
        description="Who one tap would tell now (POST /alerts with this check-in); empty when "
        "nobody is left to tell, and always for the drop response at any time. Shown in this "
        "order: the start of drop_helps, then telling them, then the first crisis line."
    )


class CheckInPatch(StrictSchema):
    care_given: list[uuid.UUID] = Field(
        KEEP,
        max_length=200,
        description="The care you gave, replacing what was noted; left out, it stays as it is.",
    )


def _encounter_out(encounter: Encounter) -> dict:
    return {
        "code": encounter.code,
        "occurred_at": encounter.occurred_at,
        "kind": encounter.kind,
        "care_acts": [item.code for item in encounter.care_acts.all()],
        "note": encounter.note,
        "checkins": [
            c.code for c in encounter.checkins.all() if c.person_id == encounter.person_id
        ],
        "connections": [connection.code for connection in encounter.connections.all()],
    }


def checkin_out(checkin: CheckIn) -> dict:
    return {
        **services.checkin_as_data(checkin),
        "care_given": [item.code for item in checkin.care_given.all()],
        "drop_signal": checkin.raised_drop,
    }


def _drop_out(request, person, checkin=None) -> dict:
    # A person who never said where they live gets the lines of their client's region.
    response = services.drop_response(person, checkin, region=crisis.browser_region(request))
    own_drop = checkin is not None and checkin.person_id == person.pk and checkin.raised_drop
    # Whom one tap would tell now (from the drop watch).
    response["can_tell"] = (
        signals.gather("drop_api", person, checkin=checkin).get("can_tell", []) if own_drop else []
    )
    response["self_care_items"] = [
        {"code": i.code, "label": str(i.label), "hint": str(i.hint)}
        for i in response["self_care_items"]
    ]
    return response


@router.get("/encounters", response=list[EncounterOut], summary="Your encounters, newest first")
@paginate(LimitOffset)
def encounters(request):
    return Mapped(Encounter.objects.for_person(request.auth).with_details(), _encounter_out)


def body_of(request, payload: Schema) -> bytes:
    """What a client sent and where, in one spelling: the same JSON with other spaces is the
    same body, and the same key sent to another encounter or follow-up is not a repeat."""
    return request.path.encode() + b"\0" + payload.model_dump_json(exclude_unset=True).encode()


@router.post("/encounters", response={201: EncounterOut, 409: Detail}, summary="Log an encounter")
def log_encounter(request, payload: EncounterIn, key: str | None = idempotency_key()):
    data = payload.model_dump()
    data["care_acts"] = care_access.items_visible(request.auth, data["care_acts"])
    data["connections"] = connections_live_for(request.auth, data["connections"])
    submitted = submissions.once(
        request.auth,
        "encounter",
        key,
        body_of(request, payload),
        lambda: services.log_encounter(request.auth, **data),
    )
    encounter = submitted.made or access.encounter_write(request, submitted.earlier)
    return Status(201, _encounter_out(encounter))


@router.get("/encounters/{code}", response=EncounterOut, summary="One encounter")
def encounter(request, code: uuid.UUID):
    return _encounter_out(access.encounter_write(request, code))


@router.patch("/encounters/{code}", response=EncounterOut, summary="Change an encounter")
def update_encounter(request, code: uuid.UUID, payload: EncounterPatch):
    encounter = access.encounter_write(request, code)
    changes = payload.model_dump(exclude_unset=True)
    if "care_acts" in changes:
        changes["care_acts"] = care_access.items_visible(request.auth, changes["care_acts"])
    if "connections" in changes:
        changes["connections"] = connections_live_for(request.auth, changes["connections"])
    services.update_encounter(encounter, **changes)
    return _encounter_out(access.encounter_write(request, code))


@router.delete("/encounters/{code}", response={204: None}, summary="Delete an encounter")
def delete_encounter(request, code: uuid.UUID):
    services.delete_encounter(access.encounter_write(request, code))
    return Status(204, None)


@router.post(
    "/encounters/{code}/checkins",
    response={201: CheckInOut, 409: Detail},
    summary="Check in about an encounter",
)
def add_checkin(request, code: uuid.UUID, payload: CheckInIn, key: str | None = idempotency_key()):
    encounter = access.encounter_read(request, code)
    data = payload.model_dump(exclude_unset=True)
    data["care_acts"] = care_access.items_visible(request.auth, data.get("care_acts", []))
    data["care_given"] = care_access.items_visible(request.auth, data.get("care_given", []))
    submitted = submissions.once(
        request.auth,
        "checkin",
        key,
        body_of(request, payload),
        lambda: services.add_checkin(request.auth, encounter, **data),
    )
    checkin = submitted.made or access.checkin_read(request, submitted.earlier)
    return Status(201, checkin_out(checkin))


checkins_router = Router(tags=["check-ins"])


@checkins_router.get("", response=list[CheckInOut], summary="Your check-ins, newest first")
@paginate(LimitOffset)
def checkins(request):
    found = CheckIn.objects.for_person(request.auth).select_related("encounter").with_care()
    return Mapped(found, checkin_out)


@checkins_router.get("/{code}", response=CheckInOut, summary="One check-in")
def checkin(request, code: uuid.UUID):
    return checkin_out(access.checkin_read(request, code))


@checkins_router.patch("/{code}", response=CheckInOut, summary="Change one of your check-ins")
def update_checkin(request, code: uuid.UUID, payload: CheckInPatch):
    checkin = access.checkin_read(request, code)
    changes = payload.model_dump(exclude_unset=True)
    if "care_given" in changes:
        given = care_access.items_visible(request.auth, changes["care_given"])
        giving.set_care_given(request.auth, checkin, given)
    return checkin_out(access.checkin_read(request, code))


@checkins_router.delete("/{code}", response={204: None}, summary="Delete one of your check-ins")
def delete_checkin(request, code: uuid.UUID):
    services.delete_checkin(access.checkin_read(request, code))
    return Status(204, None)


@checkins_router.get(
    "/{code}/drop-response",
    response=DropResponseOut,
    summary="The plan, self-care and crisis lines a drop signal shows",
)
def drop_response(request, code: uuid.UUID):
    return _drop_out(request, request.auth, access.checkin_read(request, code))


drop_router = Router(tags=["check-ins"])


@drop_router.get(
    "", response=DropResponseOut, summary="Your drop plan, self-care and crisis lines, at any time"
)
def my_drop_response(request):
    return _drop_out(request, request.auth)
