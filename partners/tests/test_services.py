import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from checkins import services as checkins
from checkins.models import CheckIn
from consent.services import withdraw_consent
from partners import services
from partners.models import Connection, Invite
from softlanding.testing import DB, make_connection

pytestmark = DB


def test_an_invite_is_stored_only_as_a_hash(alice):
    invite, secret = services.create_invite(alice)
    assert secret not in invite.secret_hash
    assert len(secret) == 10
    assert services.open_invite(secret.lower()) == invite


def test_accepting_makes_one_connection_with_a_side_each(alice, bob):
    connection = make_connection(alice, bob)
    assert {s.person for s in connection.sides.all()} == {alice, bob}
    assert services.side_of(connection, alice).nickname == "B"
    assert services.side_of(connection, bob).nickname == "A"


def test_an_invite_works_once(alice, bob, charlie):
    _invite, secret = services.create_invite(alice)
    services.accept_invite(bob, secret)
    with pytest.raises(ValidationError):
        services.accept_invite(charlie, secret)


def test_an_invite_expires_after_seven_days(alice, bob):
    _invite, secret = services.create_invite(alice)
    later = timezone.now() + dt.timedelta(days=7, minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        services.accept_invite(bob, secret)


def test_nobody_accepts_their_own_invite(alice):
    _invite, secret = services.create_invite(alice)
    with pytest.raises(ValidationError):
        services.accept_invite(alice, secret)
    assert Invite.objects.get().accepted_at is None


def test_two_people_connect_once(alice, bob):
    make_connection(alice, bob)
    with pytest.raises(ValidationError):
        make_connection(bob, alice)


def test_a_revoked_invite_no_longer_works(alice, bob):
    invite, secret = services.create_invite(alice)
    services.revoke_invite(invite)
    with pytest.raises(ValidationError):
        services.accept_invite(bob, secret)


def is_sharing(connection) -> bool:
    """The rule as a loaded connection answers it, held to the rule as a query."""
    assert connection.is_sharing == Connection.objects.sharing().filter(pk=connection.pk).exists()
    return connection.is_sharing


def test_pausing_or_ending_stops_sharing(alice, bob):
    connection = make_connection(alice, bob)
    assert is_sharing(connection)
    services.pause(services.side_of(connection, bob))
    assert not is_sharing(connection)
    services.resume(services.side_of(connection, bob))
    assert is_sharing(connection)
    services.end(connection)
    assert not is_sharing(connection)


def shared_encounter(alice, bob):
    connection = make_connection(alice, bob)
    encounter = checkins.log_encounter(
        alice,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        kind="partnered",
        note="alice's private note",
        connections=[connection],
    )
    bob_side = services.side_of(connection, bob)
    services.update_side(bob_side, shared_answers=["mood", "fun", "not_right"])
    return connection, encounter


def test_a_check_in_shares_nothing_before_its_author_chooses_answers_to_share(alice, bob):
    connection = make_connection(alice, bob)
    encounter = checkins.log_encounter(
        alice, occurred_at=timezone.now(), kind="partnered", connections=[connection]
    )
    checkins.add_checkin(bob, encounter, fun="the laughing", shared=["fun"])
    assert checkins.shared_checkins(encounter, alice) == []
    services.update_side(services.side_of(connection, bob), shared_answers=["fun"])
    assert len(checkins.shared_checkins(encounter, alice)) == 1


def test_ticking_answers_turns_check_in_sharing_on_and_unticking_all_turns_it_off(alice, bob):
    side = services.side_of(make_connection(alice, bob), bob)
    assert (side.share_checkins, side.shared_answers) == (False, [])
    services.update_side(side, shared_answers=["fun", "mood"])
    side.refresh_from_db()
    assert (side.share_checkins, side.shared_answers) == (True, ["fun", "mood"])
    services.update_side(side, shared_answers=[])
    side.refresh_from_db()
    assert (side.share_checkins, side.shared_answers) == (False, [])


def test_switching_check_in_sharing_on_with_nothing_ticked_is_refused(alice, bob):
    side = services.side_of(make_connection(alice, bob), bob)
    with pytest.raises(ValidationError) as refused:
        services.update_side(side, share_checkins=True)
    assert "Tick the answers" in str(refused.value)
    side.refresh_from_db()
    assert side.share_checkins is False


def test_switching_check_in_sharing_off_forgets_the_ticks(alice, bob):
    side = services.side_of(make_connection(alice, bob), bob)
    services.update_side(side, shared_answers=["fun"])
    services.update_side(side, share_checkins=False)
    side.refresh_from_db()
    assert (side.share_checkins, side.shared_answers) == (False, [])


def test_a_partner_sees_exactly_the_answers_shared(alice, bob):
    _connection, encounter = shared_encounter(alice, bob)
    checkins.add_checkin(
        bob,
        encounter,
        pleasantness=6,
        fun="the laughing",
        not_right="the cold room",
        shared=["fun"],
    )
    seen = checkins.shared_checkins(encounter, alice)
    assert len(seen) == 1
    assert [(a["key"], a["value"]) for a in seen[0]["answers"]] == [("fun", "the laughing")]
    assert "the cold room" not in str(seen)


def test_nothing_is_shared_once_the_connection_ends_even_from_before(alice, bob):
    connection, encounter = shared_encounter(alice, bob)
    checkins.add_checkin(bob, encounter, pleasantness=6, fun="the laughing", shared=["fun"])
    services.end(connection)
    assert checkins.shared_checkins(encounter, alice) == []


def test_a_paused_connection_shares_nothing(alice, bob):
    connection, encounter = shared_encounter(alice, bob)
    checkins.add_checkin(bob, encounter, fun="x", shared=["fun"])
    services.pause(services.side_of(connection, alice))
    assert checkins.shared_checkins(encounter, alice) == []


def test_turning_check_in_sharing_off_hides_answers_already_shared(alice, bob):
    connection, encounter = shared_encounter(alice, bob)
    checkins.add_checkin(bob, encounter, fun="x", shared=["fun"])
    services.update_side(services.side_of(connection, bob), share_checkins=False)
    assert checkins.shared_checkins(encounter, alice) == []


def test_nothing_is_shared_until_each_person_chooses(alice, bob):
    connection = make_connection(alice, bob)
    for person in (alice, bob):
        side = services.side_of(connection, person)
        assert (side.share_profile, side.shared_answers, side.share_drop_alerts) == (
            False,
            [],
            False,
        )


def test_withdrawing_consent_pauses_every_connection(alice, bob):
    connection = make_connection(alice, bob)
    withdraw_consent(alice)
    assert not is_sharing(connection)


def test_deleting_an_encounter_keeps_the_partners_own_check_in(alice, bob):
    _connection, encounter = shared_encounter(alice, bob)
    checkins.add_checkin(alice, encounter, pleasantness=5)
    theirs = checkins.add_checkin(bob, encounter, pleasantness=4, fun="kept")
    checkins.delete_encounter(encounter)
    assert list(CheckIn.objects.all()) == [theirs]
    theirs.refresh_from_db()
    assert (theirs.encounter, theirs.fun) == (None, "kept")


def test_someone_without_a_name_is_never_called_your_partner(alice, bob):
    connection = make_connection(alice, bob)
    mine = services.side_of(connection, bob)
    mine.nickname = ""
    alice.display_name = ""
    alice.save()
    other = services.side_of(connection, alice)
    assert services.partner_name(mine, other) == "someone you're connected with"
