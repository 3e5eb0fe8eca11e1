import datetime as dt
from typing import Literal

from ninja import Field, Router, Schema, Status

from consent import services
from consent.models import CONSENT_VERSION, PURPOSES, Consent
from lib.schemas import Detail, StrictSchema

router = Router(tags=["consent"])


class Purpose(Schema):
    key: str
    text: str


class ConsentOut(Schema):
    version: int
    given: bool
    given_at: dt.datetime | None
    purposes: list[Purpose]


class ConsentIn(StrictSchema):
    adult_confirmed: Literal[True] = Field(description="You confirm you are 18 or over.")


def _consent_out(person) -> dict:
    current = Consent.objects.current_for(person).first()
    return {
        "version": CONSENT_VERSION,
        "given": current is not None,
        "given_at": current.given_at if current else None,
        "purposes": [{"key": key, "text": str(text)} for key, text in PURPOSES],
    }


@router.get("", response=ConsentOut, summary="Your consent and what it covers")
def consent(request):
    return _consent_out(request.auth)


@router.post("", response={201: ConsentOut, 400: Detail}, summary="Give consent")
def give(request, payload: ConsentIn):
    try:
        services.give_consent(request.auth, adult_confirmed=payload.adult_confirmed)
    except ValueError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(201, _consent_out(request.auth))


@router.delete("", response=ConsentOut, summary="Withdraw consent")
def withdraw(request):
    services.withdraw_consent(request.auth)
    return _consent_out(request.auth)
