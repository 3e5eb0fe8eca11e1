"""The API of "next time": ideas picked and wishes."""

import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from lib.schemas import StrictSchema
from partners import access, wishes
from partners.ideas import IDEAS

router = Router(tags=["partners"])


if TYPE_CHECKING:
    IdeaKey: TypeAlias = str
else:
    IdeaKey = Literal[tuple(key for key, _label in IDEAS)]


class WishOut(Schema):
    code: uuid.UUID
    text: str
    shared: bool


class NextTimeOut(Schema):
    matches: list[str]
    my_ideas: list[str]
    my_words: list[WishOut]
    their_words: list[WishOut]


class IdeasIn(StrictSchema):
    ideas: list[IdeaKey] = Field(max_length=len(IDEAS))


class WishIn(StrictSchema):
    text: str = Field(min_length=1, max_length=1000, pattern=r"\S")
    shared: StrictBool = False


def _next_time_out(connection, person) -> dict:
    found = wishes.next_time(connection, person)

    def words(rows):
        return [{"code": w.code, "text": w.text, "shared": w.shared} for w in rows]

    return {
        "matches": [str(m) for m in found["matches"]],
        "my_ideas": found["my_ideas"],
        "my_words": words(found["my_words"]),
        "their_words": words(found["their_words"]),
    }


@router.get(
    "/connections/{code}/next-time",
    response=NextTimeOut,
    summary="Your next-time list: matches, your picks and words, their shared words",
)
def next_time(request, code: uuid.UUID):
    return _next_time_out(access.live_connection_for(request, code), request.auth)


@router.put(
    "/connections/{code}/ideas",
    response=NextTimeOut,
    summary="Your private picks from the idea catalogue",
)
def set_ideas(request, code: uuid.UUID, payload: IdeasIn):
    found = access.live_connection_for(request, code)
    wishes.set_picks(found, request.auth, payload.ideas)
    return _next_time_out(found, request.auth)


@router.post(
    "/connections/{code}/wishes",
    response={201: NextTimeOut},
    summary="Add a wish in your own words",
)
def add_wish(request, code: uuid.UUID, payload: WishIn):
    found = access.live_connection_for(request, code)
    wishes.add_wish(found, request.auth, text=payload.text, shared=payload.shared)
    return Status(201, _next_time_out(found, request.auth))


@router.delete(
    "/connections/{code}/wishes/{wish}", response={204: None}, summary="Remove one of your wishes"
)
def remove_wish(request, code: uuid.UUID, wish: uuid.UUID):
    found = access.live_connection_for(request, code)
    wishes.remove_wish(access.wish_for_author(request, found, wish))
    return Status(204, None)
