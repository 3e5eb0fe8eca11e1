"""The shared plan never lets one person learn the other's `no` or `unsure` to give."""

from hypothesis import given
from hypothesis import strategies as st

from care.models import Answer, CareItem
from care.services import complete_profile, set_preference, update_profile
from partners import services
from partners.plan import compute, shared_plan
from softlanding.testing import DB, make_connection

ITEMS = list(range(12))
ANSWER = st.sampled_from([a.value for a in Answer])
NOT_GIVING = st.sampled_from([Answer.NO.value, Answer.UNSURE.value])
PROFILE = st.dictionaries(st.sampled_from(ITEMS), st.tuples(ANSWER, ANSWER))


@given(
    viewer=PROFILE, other=PROFILE, replacement=st.dictionaries(st.sampled_from(ITEMS), NOT_GIVING)
)
def test_what_the_viewer_sees_does_not_depend_on_the_others_no_or_unsure(
    viewer, other, replacement
):
    before = compute(viewer, other, ITEMS)
    changed = dict(other)
    for item, give in replacement.items():
        receive, old_give = changed.get(item, (Answer.UNSURE, Answer.UNSURE))
        if old_give in (Answer.NO, Answer.UNSURE):
            changed[item] = (receive, give)
    assert compute(viewer, changed, ITEMS) == before


@given(viewer=PROFILE, other=PROFILE)
def test_each_want_is_either_matched_or_kept_private_never_both(viewer, other):
    result = compute(viewer, other, ITEMS)
    matched = {item for item, _ in result["they_can_give_you"]}
    assert matched.isdisjoint(result["not_in_plan_yet"])
    wants = {i for i, (receive, _g) in viewer.items() if receive in ("yes", "maybe")}
    assert matched | set(result["not_in_plan_yet"]) == wants


@given(viewer=PROFILE, other=PROFILE)
def test_the_two_views_mirror_each_other(viewer, other):
    mine = compute(viewer, other, ITEMS)
    theirs = compute(other, viewer, ITEMS)
    assert {i for i, _ in mine["they_can_give_you"]} == {i for i, _ in theirs["you_can_give_them"]}


@DB
def test_the_plan_waits_until_both_profiles_are_ready_then_shows_both_boundaries(alice, bob):
    connection = make_connection(alice, bob, share_profile=True)
    mine = services.side_of(connection, alice)
    theirs = services.side_of(connection, bob)
    update_profile(alice, boundaries="No surprises, please.")
    update_profile(bob, boundaries="Ask before touching my neck.")
    complete_profile(alice)
    assert shared_plan(alice, mine, theirs).ready is False
    assert shared_plan(bob, theirs, mine).ready is False
    complete_profile(bob)
    for plan in (shared_plan(alice, mine, theirs), shared_plan(bob, theirs, mine)):
        assert plan.ready
        assert {plan.your_boundaries, plan.their_boundaries} == {
            "No surprises, please.",
            "Ask before touching my neck.",
        }


@DB
def test_a_want_bob_cannot_give_is_shown_to_alice_only(alice, bob):
    connection = make_connection(alice, bob, share_profile=True)
    hug = CareItem.objects.get(key="being_held")
    water = CareItem.objects.get(key="water")
    set_preference(alice, hug, receive="yes")
    set_preference(bob, hug, give="no")
    set_preference(alice, water, receive="yes")
    set_preference(bob, water, give="yes")
    complete_profile(alice)
    complete_profile(bob)
    a, b = services.side_of(connection, alice), services.side_of(connection, bob)
    alices = shared_plan(alice, a, b)
    bobs = shared_plan(bob, b, a)
    assert [item for item, _ in alices.they_can_give_you] == [water]
    assert alices.not_in_plan_yet == [hug]
    assert [item for item, _ in bobs.you_can_give_them] == [water]
    assert hug not in [i for i, _ in bobs.you_can_give_them] + bobs.not_in_plan_yet


@DB
def test_no_plan_while_either_keeps_their_profile_to_themselves(alice, bob):
    connection = make_connection(alice, bob, share_profile=True)
    complete_profile(alice)
    complete_profile(bob)
    a, b = services.side_of(connection, alice), services.side_of(connection, bob)
    services.update_side(b, share_profile=False)
    assert shared_plan(alice, a, b).ready is False
    assert shared_plan(alice, a, b).waiting_for == "sharing"
