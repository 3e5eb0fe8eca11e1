"""Insights with a partner: only when both sides chose them, only from what both already
share, and the same for both."""

import pytest

from care.models import Answer, CareItem
from care.services import complete_profile, set_preference
from partners import services as partners
from softlanding.testing import (
    DB,
    answer_followup,
    bearer,
    make_checkin,
    make_connection,
    make_encounter,
)

pytestmark = DB


@pytest.fixture
def water():
    return CareItem.objects.get(key="water")


@pytest.fixture
def connection(alice, bob, water):
    """Alice and Bob share profiles and their mood; the plan has Bob giving Alice water."""
    made = make_connection(alice, bob, share_profile=True, shared_answers=["mood"])
    set_preference(alice, water, receive=Answer.YES)
    set_preference(bob, water, give=Answer.YES)
    complete_profile(alice)
    complete_profile(bob)
    return made


def alices_evenings(alice, connection, water, *, shared=("mood",)):
    """Six evenings with water followed by a good next day, six without and a low one."""
    for n in range(12):
        met = make_encounter(
            alice,
            hours_ago=24 * (n + 5),
            connections=[connection],
            care_acts=[water] if n < 6 else [],
        )
        make_checkin(alice, met, pleasantness=4, shared=list(shared))
        answer_followup(alice, met, 24, pleasantness=6 if n < 6 else 3, shared=list(shared))


def together(client, person) -> list:
    response = client.get("/api/v1/insights", **bearer(person))
    assert response.status_code == 200
    return response.json()["together"]


def choose(connection, *people, on=True):
    for person in people:
        partners.update_side(partners.side_of(connection, person), share_insights=on)


def numbers(shown) -> list:
    """What both should see alike: everything but the names each knows the other by."""
    return [[(p["shows_mood"], p["care"]) for p in t["people"]] for t in shown]


def test_nothing_until_both_choose_it(client, alice, bob, connection, water):
    alices_evenings(alice, connection, water)
    assert together(client, alice) == together(client, bob) == []
    choose(connection, alice)
    assert together(client, alice) == together(client, bob) == []
    choose(connection, bob)
    assert len(together(client, alice)) == len(together(client, bob)) == 1


def test_both_see_the_same_plan_care_and_how_it_went(client, alice, bob, connection, water):
    alices_evenings(alice, connection, water)
    choose(connection, alice, bob)

    hers, his = together(client, alice), together(client, bob)
    assert numbers(hers) == numbers(his)
    assert [p["name"] for p in hers[0]["people"]] == ["You", "B"]
    assert [p["name"] for p in his[0]["people"]] == ["A", "You"]
    alice_part, bob_part = hers[0]["people"]
    (care,) = alice_part["care"]
    assert care["label"] == "Water"
    assert (care["with_times"], care["with_average"]) == (6, 6.0)
    assert (care["without_times"], care["without_average"]) == (6, 3.0)
    assert care["tendency"] == "better"
    assert bob_part["care"] == []  # the plan has nothing for Bob to receive

    client.force_login(bob)
    page = client.get("/insights/").content.decode()
    assert "Together with A" in page
    assert "The days after tended to go better when this was part of it." in page


def test_only_what_is_already_shared_counts(client, alice, bob, connection, water):
    alices_evenings(alice, connection, water, shared=())
    choose(connection, alice, bob)
    (care,) = together(client, bob)[0]["people"][0]["care"]
    assert (care["with_times"], care["without_times"]) == (0, 0)

    partners.update_side(partners.side_of(connection, alice), shared_answers=["feelings"])
    assert together(client, bob)[0]["people"][0]["shows_mood"] is False


def test_pausing_or_ending_stops_it(client, alice, bob, connection, water):
    alices_evenings(alice, connection, water)
    choose(connection, alice, bob)
    partners.pause(partners.side_of(connection, bob))
    assert together(client, alice) == together(client, bob) == []
    partners.resume(partners.side_of(connection, bob))
    assert len(together(client, alice)) == 1
    partners.end(connection)
    assert together(client, alice) == together(client, bob) == []


def test_it_waits_for_the_shared_plan(client, alice, bob, water):
    connection = make_connection(alice, bob, shared_answers=["mood"])
    choose(connection, alice, bob)
    (shown,) = together(client, alice)
    assert shown["plan_ready"] is False
    assert all(p["care"] == [] for p in shown["people"])
