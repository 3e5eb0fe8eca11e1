import datetime as dt

from django.utils import timezone

from checkins import services as checkins
from partners import services, wishes
from softlanding.testing import DB, make_connection

pytestmark = DB


def test_an_idea_is_revealed_only_when_both_picked_it(alice, bob):
    connection = make_connection(alice, bob)
    wishes.set_picks(connection, alice, ["toys", "bath_together"])
    assert wishes.next_time(connection, bob)["matches"] == []
    assert wishes.next_time(connection, bob)["my_ideas"] == []
    wishes.set_picks(connection, bob, ["bath_together", "restraint"])
    for person in (alice, bob):
        found = wishes.next_time(connection, person)
        assert [str(m) for m in found["matches"]] == ["A bath or shower together"]
    assert "restraint" not in str(wishes.next_time(connection, alice))
    assert "toys" not in str(wishes.next_time(connection, bob))


def test_own_words_are_shown_only_when_shared(alice, bob):
    connection = make_connection(alice, bob)
    wishes.add_wish(connection, alice, text="more kissing", shared=True)
    wishes.add_wish(connection, alice, text="a secret one", shared=False)
    seen = [w.text for w in wishes.next_time(connection, bob)["their_words"]]
    assert seen == ["more kissing"]


def test_an_ended_connection_shows_nothing_of_the_other(alice, bob):
    connection = make_connection(alice, bob)
    wishes.set_picks(connection, alice, ["toys"])
    wishes.set_picks(connection, bob, ["toys"])
    wishes.add_wish(connection, alice, text="more kissing", shared=True)
    services.end(connection)
    found = wishes.next_time(connection, bob)
    assert found["matches"] == [] and found["their_words"] == []


def test_a_check_in_next_time_answer_goes_to_the_list(alice, bob):
    connection = make_connection(alice, bob)
    encounter = checkins.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="partnered",
        connections=[connection],
    )
    checkins.add_checkin(bob, encounter, next_time="candles", shared=["next_time"])
    checkins.add_checkin(bob, encounter, next_time="private idea", shared=[])
    assert [w.text for w in wishes.next_time(connection, alice)["their_words"]] == ["candles"]
    assert len(wishes.next_time(connection, bob)["my_words"]) == 2
