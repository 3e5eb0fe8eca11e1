"""Encounters, check-ins and the drop rule. The pages and the API both call these."""

import datetime as dt
import statistics
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from care import crisis, drop
from care import services as care
from care.catalogue import FEELINGS, GROUNDING
from checkins import giving, signals
from checkins.models import CheckIn, Encounter, Kind
from consent.services import require_consent
from lib import moments
from lib.compiled import Compiled
from partners.models import SHAREABLE_ANSWERS, Connection, ConnectionSide
from partners.wishes import add_wish

SHAREABLE_KEYS = {key for key, _label in SHAREABLE_ANSWERS}
FEELING_KEYS = {key for key, _label, _low in FEELINGS}
BASELINE_WINDOW = 10  # recent check-ins that make up a person's usual mood
BASELINE_MINIMUM = 3  # fewer than this and there is no baseline yet
CLOCK_SKEW = dt.timedelta(minutes=5)
TEXT_FIELDS = ("fun", "next_time", "not_right", "need_now")
MAX_TEXT = 4000


def _check_when(occurred_at: dt.datetime) -> None:
    try:
        occurred_at = moments.in_utc(occurred_at)
    except ValidationError as exc:
        raise ValidationError({"occurred_at": exc.messages}) from None
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError(
            {"occurred_at": _("That time is still ahead. Please choose now or a time before.")}
        )


def _check_note(note: str) -> None:
    if len(note) > MAX_TEXT:
        raise ValidationError(
            {"note": _("Please keep the note under %(n)s characters.") % {"n": MAX_TEXT}}
        )


@transaction.atomic
def log_encounter(
    person,
    *,
    occurred_at: dt.datetime,
    kind: str,
    care_acts=(),
    note: str = "",
    connections=(),
) -> Encounter:
    require_consent(person)
    _check_when(occurred_at)
    _check_note(note)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Please choose what kind of encounter it was.")})
    encounter = Encounter.objects.create(
        person=person, occurred_at=occurred_at, kind=kind, note=note
    )
    encounter.care_acts.set(care_acts)
    encounter.connections.set(connections)
    signals.encounter_logged.send(sender=Encounter, encounter=encounter, person=person)
    return encounter


def _people_in_sight(encounter: Encounter) -> set[int]:
    """Its author, and the partners it is still shared with."""
    sides = ConnectionSide.objects.sharing().filter(connection__encounters=encounter)
    return {encounter.person_id, *sides.values_list("person_id", flat=True)}


@transaction.atomic
def update_encounter(encounter: Encounter, **changes) -> Encounter:
    require_consent(encounter.person)
    if "occurred_at" in changes:
        _check_when(changes["occurred_at"])
    if "note" in changes:
        _check_note(changes["note"])
    if "kind" in changes and changes["kind"] not in Kind.values:
        raise ValidationError({"kind": _("Please choose what kind of encounter it was.")})
    care_acts = changes.pop("care_acts", None)
    connections = changes.pop("connections", None)
    moved = "occurred_at" in changes and changes["occurred_at"] != encounter.occurred_at
    for name, value in changes.items():
        setattr(encounter, name, value)
    encounter.save()
    if care_acts is not None:
        encounter.care_acts.set(care_acts)
    if connections is not None:
        # Taking a connection off stops sharing; the partner's own follow-ups run on.
        encounter.connections.set(connections)
    # Who still sees the encounter learns its new time and kind; anyone it no longer reaches
    # keeps what they knew, and their follow-ups keep counting from it.
    in_sight = _people_in_sight(encounter)
    known = {"encounter_kind": encounter.kind, "encounter_at": encounter.occurred_at}
    CheckIn.objects.filter(encounter=encounter, person__in=in_sight).update(**known)
    signals.encounter_changed.send(
        sender=Encounter, encounter=encounter, in_sight=in_sight, known=known
    )
    if moved:
        signals.encounter_moved.send(sender=Encounter, encounter=encounter, in_sight=in_sight)
    return encounter


@transaction.atomic
def delete_encounter(encounter: Encounter) -> None:
    """The author's encounter, their own check-ins and follow-ups go for good; partners'
    check-ins and follow-ups are theirs and stay, no longer attached to anything."""
    signals.encounter_deleting.send(sender=Encounter, encounter=encounter)
    encounter.delete()
    # Every check-in on it is detached now. The author's own (marked so when made) go, one
    # saved in another tab while this ran included; an own check-in is never detached
    # otherwise, so these are exactly the ones that were on it.
    CheckIn.objects.filter(
        person=encounter.person, encounter__isnull=True, on_own_encounter=True
    ).delete()


@transaction.atomic
def delete_checkin(checkin: CheckIn) -> None:
    """Gone at once and for good; a follow-up it answered keeps only that it was answered."""
    checkin.delete()


def _latest_moods(person, *, before: dt.datetime | None = None):
    recent = CheckIn.objects.for_person(person).filter(pleasantness__isnull=False)
    if before is not None:
        recent = recent.filter(created_at__lt=before)
    return recent.order_by("-created_at").values_list("pleasantness", flat=True)[:BASELINE_WINDOW]


# Every check-in asks it (the drop rule): compiled once per process (lib.compiled).
USUAL_MOODS = Compiled(_latest_moods, int)


def baseline(person, *, before: dt.datetime | None = None) -> float | None:
    """The median pleasantness of the person's recent check-ins, once there are enough."""
    if before is None:
        latest = [mood for (mood,) in USUAL_MOODS.rows(person.pk)]
    else:
        latest = list(_latest_moods(person, before=before))
    values = [value for value in latest if value is not None]
    if len(values) < BASELINE_MINIMUM:
        return None
    return statistics.median(values)


def drop_reasons(person, *, pleasantness: int | None, feelings, wants_care: bool) -> list[str]:
    """Which of the drop rules a check-in meets, the person's own baseline included."""
    return drop.drop_reasons(
        pleasantness=pleasantness, feelings=feelings, wants_care=wants_care, usual=baseline(person)
    )


def _check_checkin(pleasantness, energy, feelings, texts: dict) -> None:
    errors = {}
    for name, value in (("pleasantness", pleasantness), ("energy", energy)):
        if value is not None and not 1 <= value <= 7:
            errors[name] = _("Please choose a point between the two ends.")
    if set(feelings) - FEELING_KEYS:
        errors["feelings"] = _("Please choose from the feeling words shown.")
    for name, value in texts.items():
        if len(value or "") > MAX_TEXT:
            errors[name] = _("Please keep this under %(n)s characters.") % {"n": MAX_TEXT}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_checkin(
    person,
    encounter: Encounter | None,
    *,
    pleasantness: int | None = None,
    energy: int | None = None,
    feelings=(),
    wants_care: bool = False,
    care_acts=(),
    care_given=(),
    shared=(),
    answers_followups: bool = True,
    encounter_kind: str | None = None,
    encounter_at: dt.datetime | None = None,
    **texts: str,
) -> CheckIn:
    """Record how the person feels about an encounter, the care they gave, and the care
    they received (wind-down included), which their own encounter keeps.

    Care items must be ones the person can see (``care.access.items_visible``). A
    follow-up's answer passes the encounter as the person knew it (``encounter_kind``,
    ``encounter_at``): the encounter itself may be out of their sight, or gone."""
    require_consent(person)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not a check-in prompt: {', '.join(sorted(unknown))}")
    feelings = list(dict.fromkeys(feelings))
    shared = list(dict.fromkeys(shared))
    _check_checkin(pleasantness, energy, feelings, texts)
    if set(shared) - SHAREABLE_KEYS:
        raise ValidationError({"shared": _("Please choose from the answers shown.")})
    if encounter is not None and encounter_kind is None:
        encounter_kind, encounter_at = encounter.kind, encounter.occurred_at
    giving.given_is_asked(encounter_kind, care_given)
    care_given = giving.own_care(person, [*care_given], also=care_acts)
    reasons = drop_reasons(
        person, pleasantness=pleasantness, feelings=feelings, wants_care=wants_care
    )
    checkin = CheckIn.objects.create(
        encounter=encounter,
        encounter_kind=encounter_kind or "",
        encounter_at=encounter_at,
        person=person,
        pleasantness=pleasantness,
        energy=energy,
        feelings=feelings,
        wants_care=wants_care,
        drop_reasons=reasons,
        shared=shared,
        **{name: texts.get(name, "") for name in TEXT_FIELDS},
    )
    if care_given:  # a new check-in has none yet: nothing to look up when none is given
        checkin.care_given.add(*care_given)
    is_author = encounter is not None and encounter.person_id == person.pk
    if care_acts and encounter is not None and is_author:
        encounter.care_acts.add(*care_acts)
    # The drop watch tells whom the person chose; a partner named on the encounter gets the
    # same follow-ups once they check in; what was asking for an answer is answered.
    signals.checkin_saved.send(
        sender=CheckIn,
        checkin=checkin,
        person=person,
        encounter=encounter,
        is_author=is_author,
        answers_followups=answers_followups,
    )
    if checkin.next_time and encounter is not None:
        # "What next time" goes to each partner's next-time list, shared only if chosen.
        for side in my_sides(encounter, person):
            add_wish(side.connection, person, text=checkin.next_time, shared="next_time" in shared)
    return checkin


def checkin_as_data(checkin: CheckIn) -> dict:
    """A check-in as its author gets it back: through the API, and in their export."""
    return {
        "code": checkin.code,
        "encounter": checkin.encounter.code if checkin.encounter else None,
        "encounter_kind": checkin.encounter_kind,
        "encounter_at": checkin.encounter_at,
        "created_at": checkin.created_at,
        "pleasantness": checkin.pleasantness,
        "energy": checkin.energy,
        "feelings": list(checkin.feelings),
        "wants_care": checkin.wants_care,
        "fun": checkin.fun,
        "next_time": checkin.next_time,
        "not_right": checkin.not_right,
        "need_now": checkin.need_now,
        "shared": list(checkin.shared),
        "drop_reasons": list(checkin.drop_reasons),
    }


def drop_response(person, checkin: CheckIn | None = None, *, region: str = "") -> dict:
    """What a drop signal shows: the person's own plan, self-care, grounding, crisis lines.

    Prominent when the person asked for care and feels very low; quiet otherwise. The crisis
    lines are for the country the person gave, else for ``region``, where their browser says
    they are (``care.crisis.browser_region``).
    """
    profile = care.profile_for(person)
    prominent = bool(
        checkin
        and checkin.wants_care
        and checkin.pleasantness is not None
        and checkin.pleasantness <= 2
    )
    return {
        "prominent": prominent,
        "drop_helps": profile.drop_helps,
        "self_care_text": profile.self_care,
        "self_care_items": care.self_care_items(person),
        "grounding": [str(step) for step in GROUNDING],
        "crisis": crisis.lines_for(person.country or region),
    }


# After a show or solo: the steps that help most people land, unless they chose their own.
WIND_DOWN_FIRST = ("water", "step_away", "show_clothes", "shower", "warm_drink", "message_friend")
WIND_DOWN_LENGTH = 8


def wind_down_routine(person):
    return care.self_care_items(person, first=WIND_DOWN_FIRST)[:WIND_DOWN_LENGTH]


def feeling_choices() -> list[tuple[str, Any]]:
    return [(key, label) for key, label, _low in FEELINGS]


def shared_checkins(encounter: Encounter, viewer) -> list[dict]:
    """Other people's check-ins on this encounter that the viewer may see
    (`CheckIn.objects.shared_with`), each reduced to the answers its author shares."""
    found = (
        CheckIn.objects.filter(encounter=encounter)
        .shared_with(viewer)
        .with_care()
        .order_by("created_at", "id")
    )
    # Names as the viewer knows them, from the connection that carries each check-in.
    sides = {
        (side.connection_id, side.person_id): side
        for connection in encounter.connections.all()
        for side in connection.sides.all()
    }
    result = []
    for checkin in found:
        viewer_side = sides[checkin.shared_through, viewer.pk]
        author_side = sides[checkin.shared_through, checkin.person_id]
        result.append(
            {
                "name": viewer_side.nickname or author_side.person.display_name,
                "created_at": checkin.created_at,
                "answers": checkin.shown_answers(),
                "author": author_side.person,
            }
        )
    return result


def my_sides(encounter: Encounter, viewer) -> list[ConnectionSide]:
    """The viewer's sides of the connections named on this encounter that share (from the
    prefetched connections and sides)."""
    return [
        side
        for connection in encounter.sharing_connections_of(viewer)
        for side in connection.sides.all()
        if side.person_id == viewer.pk
    ]


def default_shared_answers(sides) -> list[str]:
    """What a check-in shares unless the person changes it: their connections' defaults."""
    keys: list[str] = []
    for side in sides:
        if side.share_checkins:
            keys += [key for key in side.shared_answers if key not in keys]
    return keys


def waiting_for_my_checkin(person, limit: int = 5) -> list[Encounter]:
    """Encounters a partner named this person on, still without their check-in."""
    # A cheap look at the person's sharing connections first: without any (most people),
    # nothing can be waiting, and the full query is costly to build.
    sharing = Connection.objects.sharing_ids_of(person)
    if not sharing:
        return []
    return list(
        Encounter.objects.shared_with(person, sharing=sharing)
        .exclude(checkins__person=person)
        .select_related("person")
        .prefetch_related("connections__sides__person")
        .order_by("-occurred_at", "-id")[:limit]
    )
