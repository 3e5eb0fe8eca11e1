"""The API of encounters partners named you on, with what they share."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, TypeAlias

from ninja import Router, Schema

from checkins import access as checkins_access
from checkins.models import Encounter, Kind
from checkins.services import shared_checkins
from lib.schemas import one_of

router = Router(tags=["partners"])


class SharedAnswer(Schema):
    key: str
    label: str
    value: dict | bool | str


class SharedCheckIn(Schema):
    name: str
    created_at: dt.datetime
    answers: list[SharedAnswer]


if TYPE_CHECKING:
    EncounterKind: TypeAlias = str
else:
    EncounterKind = one_of(Kind.values)


class SharedEncounterOut(Schema):
    code: uuid.UUID
    occurred_at: dt.datetime
    kind: EncounterKind
    yours: bool
    shared_checkins: list[SharedCheckIn]


@router.get(
    "/shared-encounters",
    response=list[SharedEncounterOut],
    summary="Encounters partners named you on, with what they share",
)
def shared_encounters(request):
    found = Encounter.objects.shared_with(request.auth).with_details().distinct()
    return [
        _shared_encounter_out(encounter, request.auth)
        for encounter in found
        if encounter.is_shared_live_with(request.auth)  # a paused connection hides it
    ]


def _shared_encounter_out(encounter: Encounter, person) -> dict:
    return {
        "code": encounter.code,
        "occurred_at": encounter.occurred_at,
        "kind": encounter.kind,
        "yours": encounter.person_id == person.pk,
        "shared_checkins": [
            {"name": str(e["name"]), "created_at": e["created_at"], "answers": e["answers"]}
            for e in shared_checkins(encounter, person)
        ],
    }


@router.get(
    "/shared-encounters/{code}",
    response=SharedEncounterOut,
    summary="One encounter and what the others on it share with you",
)
def shared_encounter(request, code: uuid.UUID):
    return _shared_encounter_out(checkins_access.encounter_read(request, code), request.auth)
