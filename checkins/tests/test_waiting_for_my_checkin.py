"""The dashboard's "your time with …" list: encounters a partner named the person on, while
their connection shares, until the person checks in. It asks little of the database for the
many people without a connection."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins.services import waiting_for_my_checkin
from softlanding.testing import DB, make_checkin, make_connection, make_encounter, make_person

pytestmark = DB


def test_a_partners_encounter_waits_until_the_person_checks_in(alice, bob):
    named = make_connection(alice, bob)
    encounter = make_encounter(alice, connections=[named])
    assert waiting_for_my_checkin(bob) == [encounter]
    assert waiting_for_my_checkin(alice) == []  # her own is not "a partner's"
    make_checkin(bob, encounter, pleasantness=5)
    assert waiting_for_my_checkin(bob) == []


def test_nothing_waits_across_a_paused_or_ended_connection(alice, bob):
    carol = make_person("Carol")
    paused = make_connection(alice, bob, paused_by=bob)
    ended = make_connection(alice, carol, ended=True)
    make_encounter(alice, connections=[paused, ended])
    assert waiting_for_my_checkin(bob) == []
    assert waiting_for_my_checkin(carol) == []


def test_without_a_connection_one_look_settles_it(alice):
    make_encounter(alice)
    with CaptureQueriesContext(connection) as queries:
        assert waiting_for_my_checkin(alice) == []
    assert len(queries) == 1
