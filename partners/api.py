import datetime as dt
import uuid
from typing import TYPE_CHECKING, Literal, TypeAlias

from django.urls import reverse
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool

from checkins.models import Encounter, Kind
from checkins.services import shared_checkins
from lib.schemas import KEEP, StrictSchema, one_of
from partners import access, guests, services, support, wishes
from partners.ideas import IDEAS
from partners.models import (
    Connection,
    GuestAnswer,
    GuestLink,
    Invite,
    SupportContact,
)
from partners.plan import shared_plan

router = Router(tags=["partners"])

AnswerKey = Literal[
    "mood", "feelings", "wants_care", "fun", "next_time", "not_right", "need_now", "care_given"
]


class InviteIn(StrictSchema):
    nickname: str = Field("", max_length=80)


class InviteOut(Schema):
    code: uuid.UUID
    nickname: str
    expires_at: dt.datetime


class NewInviteOut(InviteOut):
    secret: str = Field(description="Shown once: give it to the person you invite.")


class AcceptIn(StrictSchema):
    secret: str = Field(min_length=1, max_length=40)
    nickname: str = Field("", max_length=80)


class SharingOut(Schema):
    nickname: str
    share_profile: bool
    share_checkins: bool
    shared_answers: list[str]
    share_drop_alerts: bool
    paused: bool


class SharingIn(StrictSchema):
    nickname: str = Field(KEEP, max_length=80)
    share_profile: StrictBool = KEEP
    share_checkins: StrictBool = Field(
        KEEP,
        description="Follows shared_answers: true needs at least one answer ticked (else 400); "
        "false forgets the ticks",
    )
    shared_answers: list[AnswerKey] = Field(
        KEEP, description="The check-in answers they can see; ticking any turns sharing on"
    )
    share_drop_alerts: StrictBool = KEEP


class ConnectionOut(Schema):
    code: uuid.UUID
    name: str
    created_at: dt.datetime
    ended: bool
    sharing: bool
    mine: SharingOut | None


class PlanItem(Schema):
    item: uuid.UUID
    key: str | None
    label: str
    answer: str


class PlanOut(Schema):
    ready: bool
    waiting_for: str
    your_step: Literal["share", "finish", "ready", ""] = Field(
        description="share: share your profile with them; finish: finish your profile"
    )
    their_step: Literal["share", "finish", "ready", ""] = Field(
        description="Their step, the same way; empty while the connection is paused"
    )
    they_can_give_you: list[PlanItem]
    you_can_give_them: list[PlanItem]
    not_in_plan_yet: list[PlanItem]
    your_boundaries: str
    their_boundaries: str


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


def _sharing_out(side) -> dict:
    return {
        "nickname": side.nickname,
        "share_profile": side.share_profile,
        "share_checkins": side.share_checkins,
        "shared_answers": side.shared_answers,
        "share_drop_alerts": side.share_drop_alerts,
        "paused": side.paused_at is not None,
    }


def _connection_out(connection: Connection, person) -> dict:
    mine = services.side_of(connection, person)
    other = None if connection.is_ended else services.other_side(connection, person)
    return {
        "code": connection.code,
        "name": str(services.partner_name(mine, other)),
        "created_at": connection.created_at,
        "ended": connection.is_ended,
        "sharing": connection.is_sharing,
        "mine": None if connection.is_ended else _sharing_out(mine),
    }


def _invite_out(invite: Invite) -> dict:
    return {"code": invite.code, "nickname": invite.nickname, "expires_at": invite.expires_at}


@router.get("/connections", response=list[ConnectionOut], summary="Your connections")
def connections(request):
    found = Connection.objects.for_person(request.auth).prefetch_related("sides__person")
    return [_connection_out(c, request.auth) for c in found.order_by("-created_at")]


@router.get("/connections/{code}", response=ConnectionOut, summary="One connection")
def connection(request, code: uuid.UUID):
    return _connection_out(access.connection_for(request, code), request.auth)


@router.patch("/connections/{code}", response=ConnectionOut, summary="Change what you share")
def update_connection(request, code: uuid.UUID, payload: SharingIn):
    found = access.live_connection_for(request, code)
    services.update_side(
        services.side_of(found, request.auth), **payload.model_dump(exclude_unset=True)
    )
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/pause", response=ConnectionOut, summary="Pause sharing")
def pause(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    services.pause(services.side_of(found, request.auth))
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/resume", response=ConnectionOut, summary="Resume sharing")
def resume(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    services.resume(services.side_of(found, request.auth))
    return _connection_out(access.connection_for(request, code), request.auth)


@router.post("/connections/{code}/end", response=ConnectionOut, summary="End a connection")
def end(request, code: uuid.UUID):
    services.end(access.live_connection_for(request, code))
    return _connection_out(access.connection_for(request, code), request.auth)


def _plan_items(rows, *, with_answer=True) -> list[dict]:
    return [
        {
            "item": item.code,
            "key": item.key,
            "label": str(item.label),
            "answer": answer if with_answer else "",
        }
        for item, answer in rows
    ]


@router.get("/connections/{code}/plan", response=PlanOut, summary="Your shared plan")
def plan(request, code: uuid.UUID):
    found = access.live_connection_for(request, code)
    if not found.is_sharing:
        result = None
    else:
        result = shared_plan(
            request.auth,
            services.side_of(found, request.auth),
            services.other_side(found, request.auth),
        )
    if result is None or not result.ready:
        return {
            "ready": False,
            "waiting_for": result.waiting_for if result else "paused",
            "your_step": result.your_step if result else "",
            "their_step": result.their_step if result else "",
            "they_can_give_you": [],
            "you_can_give_them": [],
            "not_in_plan_yet": [],
            "your_boundaries": "",
            "their_boundaries": "",
        }
    return {
        "ready": True,
        "waiting_for": "",
        "your_step": result.your_step,
        "their_step": result.their_step,
        "they_can_give_you": _plan_items(result.they_can_give_you),
        "you_can_give_them": _plan_items(result.you_can_give_them),
        "not_in_plan_yet": _plan_items(
            [(i, "") for i in result.not_in_plan_yet], with_answer=False
        ),
        "your_boundaries": result.your_boundaries,
        "their_boundaries": result.their_boundaries,
    }


@router.get("/invites", response=list[InviteOut], summary="Your invites still open")
def invites(request):
    return [_invite_out(i) for i in Invite.objects.open().filter(person=request.auth)]


@router.post("/invites", response={201: NewInviteOut}, summary="Make an invite")
def create_invite(request, payload: InviteIn):
    invite, secret = services.create_invite(request.auth, nickname=payload.nickname)
    return Status(201, {**_invite_out(invite), "secret": secret})


@router.post("/invites/accept", response={201: ConnectionOut}, summary="Accept an invite")
def accept_invite(request, payload: AcceptIn):
    found = services.accept_invite(request.auth, payload.secret, nickname=payload.nickname)
    return Status(201, _connection_out(access.connection_for(request, found.code), request.auth))


@router.delete("/invites/{code}", response={204: None}, summary="Withdraw an invite")
def revoke_invite(request, code: uuid.UUID):
    services.revoke_invite(access.invite_for_owner(request, code))
    return Status(204, None)


@router.get(
    "/shared-encounters",
    response=list[SharedEncounterOut],
    summary="Encounters partners named you on, with what they share",
)
def shared_encounters(request):
    found = Encounter.objects.shared_with(request.auth).with_details()
    return [_shared_encounter_out(encounter, request.auth) for encounter in found]


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
    from checkins import access as checkins_access

    return _shared_encounter_out(checkins_access.encounter_read(request, code), request.auth)


class GuestLinkIn(StrictSchema):
    nickname: str = Field("", max_length=80)


class GuestLinkOut(Schema):
    code: uuid.UUID
    nickname: str
    expires_at: dt.datetime
    answered: bool


class NewGuestLinkOut(GuestLinkOut):
    url: str = Field(description="Shown once: send it to your guest.")


class GuestAnswerOut(Schema):
    link: uuid.UUID
    nickname: str
    created_at: dt.datetime
    feeling: int | None
    message: str
    wants_to_hear_back: bool


def _guest_link_out(link: GuestLink) -> dict:
    return {
        "code": link.code,
        "nickname": link.nickname,
        "expires_at": link.expires_at,
        "answered": link.answered_at is not None,
    }


@router.get("/guest-links", response=list[GuestLinkOut], summary="Your open guest links")
def guest_links(request):
    return [
        _guest_link_out(link)
        for link in GuestLink.objects.open().filter(person=request.auth).order_by("-created_at")
    ]


@router.post("/guest-links", response={201: NewGuestLinkOut}, summary="Make a guest link")
def create_guest_link(request, payload: GuestLinkIn):
    link, secret = guests.create_link(request.auth, nickname=payload.nickname)
    url = request.build_absolute_uri(reverse("partners:guest", args=[secret]))
    return Status(201, {**_guest_link_out(link), "url": url})


@router.delete("/guest-links/{code}", response={204: None}, summary="Withdraw a guest link")
def revoke_guest_link(request, code: uuid.UUID):
    guests.revoke_link(access.guest_link_for_owner(request, code))
    return Status(204, None)


@router.get(
    "/guest-answers",
    response=list[GuestAnswerOut],
    summary="What your guests told you (kept 30 days)",
)
def guest_answers(request):
    found = GuestAnswer.objects.filter(person=request.auth).select_related("link")
    return [
        {
            "link": a.link.code,
            "nickname": a.link.nickname,
            "created_at": a.created_at,
            "feeling": a.feeling,
            "message": a.message,
            "wants_to_hear_back": a.wants_to_hear_back,
        }
        for a in found.order_by("-created_at")
    ]


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


When = Literal["ask_me", "automatic"]


class SupportContactIn(StrictSchema):
    name: str = Field(min_length=1, max_length=80, pattern=r"\S")
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")
    notify_url: str = Field("", max_length=500, description="Instead of an e-mail address.")
    may_tell: When = "ask_me"


class SupportContactPatch(StrictSchema):
    may_tell: When


class SupportContactOut(Schema):
    code: uuid.UUID
    name: str
    email: str
    notify_url: str
    may_tell: When
    confirmed: bool


def _contact_out(contact: SupportContact) -> dict:
    return {
        "code": contact.code,
        "name": contact.name,
        "email": contact.email,
        "notify_url": contact.notify_url,
        "may_tell": contact.may_tell,
        "confirmed": contact.verified_at is not None,
    }


@router.get(
    "/support-contacts",
    response=list[SupportContactOut],
    summary="People you trust, who may be asked to check in on you",
)
def support_contacts(request):
    found = SupportContact.objects.filter(person=request.auth).order_by("created_at")
    return [_contact_out(c) for c in found]


@router.post(
    "/support-contacts",
    response={201: SupportContactOut},
    summary="Add someone you trust; they get an e-mail to confirm",
)
def add_support_contact(request, payload: SupportContactIn):
    return Status(201, _contact_out(support.add_contact(request.auth, **payload.model_dump())))


@router.patch(
    "/support-contacts/{code}", response=SupportContactOut, summary="Change when they may be told"
)
def update_support_contact(request, code: uuid.UUID, payload: SupportContactPatch):
    contact = access.support_contact_for_owner(request, code)
    return _contact_out(support.update_contact(contact, may_tell=payload.may_tell))


@router.delete("/support-contacts/{code}", response={204: None}, summary="Remove a contact")
def remove_support_contact(request, code: uuid.UUID):
    support.remove_contact(access.support_contact_for_owner(request, code))
    return Status(204, None)
