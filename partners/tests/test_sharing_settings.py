"""Sharing settings say what they do: ticked answers are the choice, and the plan names steps."""

import pytest

from care.services import complete_profile
from partners import services
from partners.plan import shared_plan
from softlanding.testing import DB, bearer, make_connection

pytestmark = DB


@pytest.fixture
def api(bob):
    return bearer(bob)


def patch(client, connection, body, api):
    url = f"/api/v1/connections/{connection.code}"
    return client.patch(url, body, content_type="application/json", **api)


def test_a_new_connection_shares_no_check_in_answers(alice, bob):
    connection = make_connection(alice, bob)
    for person in (alice, bob):
        side = services.side_of(connection, person)
        assert (side.share_checkins, side.shared_answers) == (False, [])


def test_through_the_api_ticking_answers_is_what_turns_sharing_on(client, alice, bob, api):
    connection = make_connection(alice, bob)
    mine = patch(client, connection, {"shared_answers": ["fun", "mood"]}, api).json()["mine"]
    assert (mine["share_checkins"], mine["shared_answers"]) == (True, ["fun", "mood"])
    mine = patch(client, connection, {"shared_answers": []}, api).json()["mine"]
    assert (mine["share_checkins"], mine["shared_answers"]) == (False, [])


def test_through_the_api_switching_on_with_nothing_ticked_is_a_clear_400(client, alice, bob, api):
    connection = make_connection(alice, bob)
    response = patch(client, connection, {"share_checkins": True}, api)
    assert response.status_code == 400
    assert "Tick the answers" in response.json()["detail"]
    side = services.side_of(connection, bob)
    assert side.share_checkins is False


def test_the_page_has_no_separate_switch_for_check_in_answers(client, alice, bob):
    connection = make_connection(alice, bob)
    client.force_login(bob)
    url = f"/partners/{connection.code}/"
    html = client.get(url).content.decode()
    assert "Check-in answers they can see" in html
    assert 'name="share_checkins"' not in html
    assert "Share my check-in answers" not in html


def test_the_plan_names_one_step_for_each_person(client, alice, bob, api):
    connection = make_connection(alice, bob)
    a, b = services.side_of(connection, alice), services.side_of(connection, bob)
    plan = shared_plan(alice, a, b)
    assert (plan.your_step, plan.their_step) == ("share", "share")
    services.update_side(a, share_profile=True)
    complete_profile(alice)
    assert (shared_plan(alice, a, b).your_step, shared_plan(alice, a, b).their_step) == (
        "ready",
        "share",
    )
    services.update_side(b, share_profile=True)
    answer = client.get(f"/api/v1/connections/{connection.code}/plan", **api).json()
    assert (answer["ready"], answer["your_step"], answer["their_step"]) == (
        False,
        "finish",
        "ready",
    )
    complete_profile(bob)
    answer = client.get(f"/api/v1/connections/{connection.code}/plan", **api).json()
    assert (answer["ready"], answer["your_step"], answer["their_step"]) == (True, "ready", "ready")


def test_the_page_shows_each_persons_step_by_name(client, alice, bob):
    connection = make_connection(alice, bob)
    services.update_side(services.side_of(connection, bob), nickname="Al")
    services.update_side(services.side_of(connection, alice), share_profile=True)
    complete_profile(alice)
    client.force_login(bob)
    html = client.get(f"/partners/{connection.code}/").content.decode()
    assert "Share your profile with Al" in html
    assert "Ready: Al" in html  # Alice, under the name Bob gave her
    assert "Ready: your profile" not in html
