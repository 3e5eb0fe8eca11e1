"""The shared plan: computed from two profiles whenever it is shown, never stored.

For each direction, what one wants to receive that the other is glad to give. A want the other
cannot give is shown only to the person who wants it; nobody ever learns the other's `no` or
`unsure` to give. Both boundaries are always shown. The plan appears only once both profiles
are finished and shared, so it appears to both at the same moment.
"""

from dataclasses import dataclass, field

from care.models import AftercareProfile, Answer, CareItem, Preference

GLAD = {Answer.YES, Answer.MAYBE}
# Where each person is on the way to the plan: one step each, in this order.
SHARE, FINISH, READY = "share", "finish", "ready"


@dataclass
class Plan:
    ready: bool
    waiting_for: str = ""  # "profiles" or "sharing" when not ready
    your_step: str = READY  # SHARE your profile with them, FINISH it, or READY
    their_step: str = READY
    they_can_give_you: list = field(default_factory=list)  # [(item, their answer)]
    you_can_give_them: list = field(default_factory=list)
    not_in_plan_yet: list = field(default_factory=list)  # the viewer's own wants, private
    your_boundaries: str = ""
    their_boundaries: str = ""


def compute(viewer_answers: dict, other_answers: dict, items: list) -> dict:
    """The pure core: answers are {item key: (receive, give)}; a missing one is unsure."""
    unsure = (Answer.UNSURE, Answer.UNSURE)
    they_give, you_give, not_yet = [], [], []
    for item in items:
        mine = viewer_answers.get(item, unsure)
        theirs = other_answers.get(item, unsure)
        if mine[0] in GLAD:
            if theirs[1] in GLAD:
                they_give.append((item, theirs[1]))
            else:
                not_yet.append(item)
        if theirs[0] in GLAD and mine[1] in GLAD:
            you_give.append((item, mine[1]))
    return {
        "they_can_give_you": they_give,
        "you_can_give_them": you_give,
        "not_in_plan_yet": not_yet,
    }


def _answers(person) -> dict:
    return {p.item_id: (p.receive, p.give) for p in Preference.objects.filter(person=person)}


def _step(side, profile) -> str:
    if not side.share_profile:
        return SHARE
    if profile is None or profile.completed_at is None:
        return FINISH
    return READY


def shared_plan(viewer, viewer_side, other_side) -> Plan:
    profiles = {
        p.person_id: p
        for p in AftercareProfile.objects.filter(person_id__in=[viewer.pk, other_side.person_id])
    }
    mine, theirs = profiles.get(viewer.pk), profiles.get(other_side.person_id)
    # Whether they finished their profile is theirs to tell: it shows only once they share it.
    yours, their = _step(viewer_side, mine), _step(other_side, theirs)
    for step, waiting_for in ((SHARE, "sharing"), (FINISH, "profiles")):
        if step in (yours, their):
            return Plan(False, waiting_for, your_step=yours, their_step=their)
    assert mine is not None and theirs is not None
    catalogue = list(CareItem.objects.filter(key__isnull=False, retired=False).order_by("position"))
    by_id = {item.pk: item for item in catalogue}
    viewer_answers = _answers(viewer)
    result = compute(viewer_answers, _answers(other_side.person), list(by_id))
    own_wants = [
        item
        for item in CareItem.objects.filter(person=viewer, retired=False)
        if viewer_answers.get(item.pk, (Answer.UNSURE,))[0] in GLAD
    ]
    return Plan(
        ready=True,
        they_can_give_you=[(by_id[i], a) for i, a in result["they_can_give_you"]],
        you_can_give_them=[(by_id[i], a) for i, a in result["you_can_give_them"]],
        not_in_plan_yet=[by_id[i] for i in result["not_in_plan_yet"]] + own_wants,
        your_boundaries=mine.boundaries,
        their_boundaries=theirs.boundaries,
    )
