"""Insights with a partner: on a connection where both sides chose it, which of the shared
plan's care acts came before better days for each of the two — the same for both to see.

Only from what both already share: the connection shares (not ended, paused by neither), the
plan is ready (both profiles shared and finished), and a person's follow-up answers count only
when they show their mood across this connection (their side shares the "mood" answer and the
follow-up's check-in carries it). Care counts as received when its person noted it on an
encounter of theirs named on the connection. A fixed number of queries for all such
connections together."""

from dataclasses import dataclass

from django.db.models import Count, F, Sum

from care.models import AftercareProfile, CareItem, Preference
from checkins.models import sharing_answer
from followups.models import FollowUp, FollowUpState
from insights.figures import CareTendency
from partners.models import Connection
from partners.plan import compute


@dataclass
class Person:
    """One of the two: their side's person, and the plan's care they receive from the other,
    each with how their days after went with it and without it."""

    person_id: int
    shows_mood: bool
    care: list[CareTendency]


@dataclass
class Together:
    connection: Connection
    ready: bool  # the shared plan is ready
    people: list[Person]


def _plan_receiving(sides, answers, catalogue) -> dict[int, list[int]]:
    """Per person, the catalogue items the shared plan says the other is glad to give them."""
    first, second = sides
    given = compute(answers.get(first.person_id, {}), answers.get(second.person_id, {}), catalogue)
    return {
        first.person_id: [item for item, _answer in given["they_can_give_you"]],
        second.person_id: [item for item, _answer in given["you_can_give_them"]],
    }


def _plan_is_ready(sides, profiles) -> bool:
    return all(
        side.share_profile
        and profiles.get(side.person_id) is not None
        and profiles[side.person_id].completed_at is not None
        for side in sides
    )


def together_for(viewer) -> list[Together]:
    connections = list(
        Connection.objects.sharing_insights()
        .filter(sides__person=viewer)
        .prefetch_related("sides__person")
        .order_by("created_at")
    )
    if not connections:
        return []
    people = {side.person_id for c in connections for side in c.sides.all()}
    profiles = {p.person_id: p for p in AftercareProfile.objects.filter(person_id__in=people)}
    answers: dict[int, dict] = {}
    for pref in Preference.objects.filter(person_id__in=people, item__key__isnull=False):
        answers.setdefault(pref.person_id, {})[pref.item_id] = (pref.receive, pref.give)
    catalogue = list(CareItem.objects.filter(key__isnull=False, retired=False).order_by("position"))
    by_id = {item.pk: item for item in catalogue}
    sums, totals = _stats(connections)
    shown = []
    for connection in connections:
        sides = sorted(connection.sides.all(), key=lambda s: s.pk)
        ready = _plan_is_ready(sides, profiles)
        receiving = _plan_receiving(sides, answers, list(by_id)) if ready else {}
        two = []
        for side in sides:
            mood = side.shows_answer("mood")
            key = (side.person_id, connection.pk)
            all_times, all_total, all_answers = totals.get(key, (0, 0, 0))
            care = []
            for item_id in receiving.get(side.person_id, []):
                times, total, count = sums.get((*key, item_id), (0, 0, 0)) if mood else (0, 0, 0)
                tendency = CareTendency(
                    code=str(by_id[item_id].code),
                    label=str(by_id[item_id].label),
                    with_times=times,
                    with_average=round(total / count, 1) if count else None,
                    without_times=(all_times - times) if mood else 0,
                    without_average=(
                        round((all_total - total) / (all_answers - count), 1)
                        if mood and all_answers - count
                        else None
                    ),
                )
                if not tendency.enough:
                    tendency.with_average = tendency.without_average = None
                care.append(tendency)
            two.append(Person(side.person_id, mood, care))
        shown.append(Together(connection, ready, two))
    return shown


def _stats(connections):
    """Follow-up answers that show their mood across the connection, on encounters the
    person logged and named on it: sums per care act noted, and all of them. Two queries."""
    base = FollowUp.objects.filter(
        sharing_answer("mood", path="checkin__"),
        state=FollowUpState.ANSWERED,
        offset_hours__gt=0,
        checkin__pleasantness__isnull=False,
        encounter__person=F("person"),
        encounter__connections__in=connections,
    )
    per_item = (
        base.values("person_id", "encounter__connections", "encounter__care_acts")
        .annotate(
            times=Count("encounter", distinct=True),
            total=Sum("checkin__pleasantness"),
            count=Count("id"),
        )
        .order_by()
    )
    all_of_them = (
        base.values("person_id", "encounter__connections")
        .annotate(
            times=Count("encounter", distinct=True),
            total=Sum("checkin__pleasantness"),
            count=Count("id"),
        )
        .order_by()
    )
    sums = {
        (r["person_id"], r["encounter__connections"], r["encounter__care_acts"]): (
            r["times"],
            r["total"],
            r["count"],
        )
        for r in per_item
        if r["encounter__care_acts"] is not None
    }
    totals = {
        (r["person_id"], r["encounter__connections"]): (r["times"], r["total"], r["count"])
        for r in all_of_them
    }
    return sums, totals
