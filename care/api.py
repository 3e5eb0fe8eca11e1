import uuid
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool

from care import access, services
from care.models import Answer, CareItem
from lib.pagination import WINDOW_OPENAPI, Window, window
from lib.schemas import KEEP, StrictSchema

router = Router(tags=["care"])

AnswerValue = Literal["yes", "maybe", "no", "unsure"]
Category = Literal["body", "closeness", "words", "space", "later"]


class CareItemOut(Schema):
    code: uuid.UUID
    key: str | None
    category: Category
    label: str
    hint: str
    self_care: bool
    own: bool


class OwnItemIn(StrictSchema):
    category: Category
    label: str = Field(min_length=1, max_length=80, pattern=r"\S")
    self_care: StrictBool = False


class PreferenceOut(Schema):
    item: uuid.UUID
    key: str | None
    receive: AnswerValue
    give: AnswerValue


class PreferenceIn(StrictSchema):
    receive: AnswerValue = KEEP
    give: AnswerValue = KEEP


class ItemAnswerIn(StrictSchema):
    item: uuid.UUID
    receive: AnswerValue = KEEP
    give: AnswerValue = KEEP


class ProfileOut(Schema):
    time_needed: str
    drop_signs: str
    drop_helps: str
    self_care: str
    boundaries: str
    ask_again_if_fine: bool
    next_day_checkin: bool
    completed: bool
    items: list[PreferenceOut]


class ProfileIn(StrictSchema):
    """Send only what changes. ``items`` answers any number of care items at once."""

    time_needed: str = Field(KEEP, max_length=4000)
    drop_signs: str = Field(KEEP, max_length=4000)
    drop_helps: str = Field(KEEP, max_length=4000)
    self_care: str = Field(KEEP, max_length=4000)
    boundaries: str = Field(KEEP, max_length=4000)
    ask_again_if_fine: StrictBool = KEEP
    next_day_checkin: StrictBool = KEEP
    completed: Literal[True] = KEEP
    items: list[ItemAnswerIn] = KEEP


def _item_out(item: CareItem) -> dict:
    return {
        "code": item.code,
        "key": item.key,
        "category": item.category,
        "label": str(item.label),
        "hint": str(item.hint),
        "self_care": item.self_care,
        "own": item.is_own,
    }


def _preference_out(item: CareItem, pref) -> dict:
    return {
        "item": item.code,
        "key": item.key,
        "receive": pref.receive if pref else Answer.UNSURE,
        "give": pref.give if pref else Answer.UNSURE,
    }


def _profile_out(person) -> dict:
    profile = services.profile_for(person)
    rows = [row for _key, _label, rows in services.grouped_items(person) for row in rows]
    return {
        **{name: getattr(profile, name) for name in services.PROFILE_TEXT_FIELDS},
        **{name: getattr(profile, name) for name in services.PROFILE_FLAGS},
        "completed": profile.completed_at is not None,
        "items": [_preference_out(item, pref) for item, pref in rows],
    }


@router.get(
    "/items",
    response=list[CareItemOut],
    summary="The care catalogue and your own items",
    openapi_extra=WINDOW_OPENAPI,
)
def items(request, response: HttpResponse, chosen: Query[Window]):
    found = CareItem.objects.visible_to(request.auth).order_by("position", "created_at", "id")
    return window(found, request, response, chosen, _item_out)


@router.post("/items", response={201: CareItemOut}, summary="Add your own care item")
def add_item(request, payload: OwnItemIn):
    item = services.add_own_item(request.auth, **payload.model_dump())
    return Status(201, _item_out(item))


@router.delete("/items/{code}", response={204: None}, summary="Remove one of your own items")
def remove_item(request, code: uuid.UUID):
    services.remove_own_item(access.own_item_write(request, code))
    return Status(204, None)


profile_router = Router(tags=["profile"])


@profile_router.get("", response=ProfileOut, summary="Your aftercare profile")
def profile(request):
    return _profile_out(request.auth)


@profile_router.patch("", response=ProfileOut, summary="Change your aftercare profile")
def update_profile(request, payload: ProfileIn):
    changes = payload.model_dump(exclude_unset=True)
    answers = changes.pop("items", None)
    completed = changes.pop("completed", None)
    if answers is not None:
        found = access.items_visible(request.auth, [a["item"] for a in answers])
        by_code = {item.code: item for item in found}
        services.set_preferences(
            request.auth,
            {by_code[a["item"]]: (a.get("receive"), a.get("give")) for a in answers},
        )
    services.update_profile(request.auth, **changes)
    if completed:
        services.complete_profile(request.auth)
    return _profile_out(request.auth)


@profile_router.put("/items/{code}", response=PreferenceOut, summary="Answer one care item")
def answer_item(request, code: uuid.UUID, payload: PreferenceIn):
    item = access.item_visible(request, code)
    pref = services.set_preference(request.auth, item, **payload.model_dump(exclude_unset=True))
    return _preference_out(item, pref)
