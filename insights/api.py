"""GET /api/v1/insights: the numbers of the insights page, from the same computation."""

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Router, Schema

from checkins.models import Kind
from insights import words
from insights.figures import CareTendency, insights_for
from insights.together import together_for

router = Router(tags=["insights"])


class MomentOut(Schema):
    hours: int
    label: str
    average: float
    answers: int


class DaysAfterOut(Schema):
    kind: Kind
    label: str
    moments: list[MomentOut]


class CareOut(Schema):
    code: str
    label: str
    with_times: int
    with_average: float | None
    without_times: int
    without_average: float | None
    tendency: Literal["better", "lower", "same", "too_few"]
    words: str


class PeriodOut(Schema):
    start: dt.date
    pleasantness: float | None
    energy: float | None
    checkins: int
    drops: int
    shows: int


class TogetherPersonOut(Schema):
    name: str
    you: bool
    shows_mood: bool = Field(description="Whether their follow-up mood is shared here at all")
    care: list[CareOut] = Field(description="The shared plan's care they receive")


class TogetherOut(Schema):
    connection: uuid.UUID
    plan_ready: bool
    people: list[TogetherPersonOut] = Field(description="The two, in the same order for both")


class InsightsOut(Schema):
    checkins: int
    days_after: list[DaysAfterOut]
    received: list[CareOut]
    given: list[CareOut]
    unit: Literal["week", "month"]
    periods: list[PeriodOut]
    on_camera: bool
    together: list[TogetherOut] = Field(
        description="Connections where both chose insights together; both see the same"
    )


def _care(tendency: CareTendency) -> dict:
    return {
        "code": tendency.code,
        "label": tendency.label,
        "with_times": tendency.with_times,
        "with_average": tendency.with_average,
        "without_times": tendency.without_times,
        "without_average": tendency.without_average,
        "tendency": tendency.tendency,
        "words": words.tendency_words(tendency),
    }


@router.get(
    "",
    response=InsightsOut,
    summary="What your own check-ins show",
    description=(
        "Computed when asked, from your own check-ins and follow-ups; nothing is stored. "
        "Averages are pleasantness from 1 to 7. A care act's averages are given only when "
        "each way rests on at least five encounters; what came together is not a cause."
    ),
)
def insights(request):
    found = insights_for(request.auth)
    return {
        "checkins": found.checkins,
        "days_after": [
            {
                "kind": days.kind,
                "label": words.kind_label(days.kind),
                "moments": [{**vars(m), "label": words.hours_label(m.hours)} for m in days.moments],
            }
            for days in found.days_after
        ],
        "received": [_care(t) for t in found.received],
        "given": [_care(t) for t in found.given],
        "unit": found.unit,
        "periods": [vars(p) for p in found.periods],
        "on_camera": found.on_camera,
        "together": [
            {
                "connection": t.connection.code,
                "plan_ready": t.ready,
                "people": [
                    {
                        "name": who["name"],
                        "you": who["person"].person_id == request.auth.pk,
                        "shows_mood": who["person"].shows_mood,
                        "care": [_care(c) for c in who["person"].care],
                    }
                    for who in words.together_for_viewer(t, request.auth)
                ],
            }
            for t in together_for(request.auth)
        ],
    }
