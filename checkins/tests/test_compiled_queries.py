"""The queries compiled once per process (lib.compiled) answer what the ORM answers, for
whoever asks after whoever compiled them."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from checkins import access, views
from checkins.models import Encounter
from consent.services import has_consent, withdraw_consent
from followups.models import FollowUp, FollowUpState
from lib.compiled import Compiled
from partners.models import Connection
from softlanding.testing import DB, make_checkin, make_connection, make_encounter, make_person


def codes(found) -> list:
    return [item.code for item in found]


@DB
def test_the_dashboard_lists_answer_for_each_person_as_the_orm_does(alice):
    bob = make_person("Bob")
    for person in (alice, bob, alice):
        make_encounter(person, kind="solo")
        checked = make_encounter(person, kind="casual", note=f"{person.display_name}'s own")
        make_checkin(person, checked, pleasantness=6)
        mine = Encounter.objects.for_person(person)
        assert codes(views.PENDING.objects(person.pk)) == codes(
            mine.exclude(checkins__person=person).order_by("-occurred_at")[:5]
        )
        recent = views.RECENT.objects(person.pk)
        assert codes(recent) == codes(mine.with_mood()[:5])
        assert [
            (e.latest_mood, bool(e.checked_in), e.note, e.occurred_at, e.kind) for e in recent
        ] == [
            (e.latest_mood, e.checked_in, e.note, e.occurred_at, e.kind)
            for e in mine.with_mood()[:5]
        ]
        assert all(e.occurred_at.tzinfo is not None for e in recent)  # converted as the ORM does
        assert not any(e._state.adding for e in recent)  # loaded rows: a save updates them
        assert f"{person.display_name}'s own" in [e.note for e in recent]  # opened, as loaded


@DB
def test_consent_is_asked_again_each_time_outside_a_request(alice):
    bob = make_person("Bob", consent=False)
    assert has_consent(alice)
    assert not has_consent(bob)
    withdraw_consent(alice)
    assert not has_consent(alice)


@DB
def test_the_encounter_to_check_in_on_is_found_by_its_code_only(alice):
    encounter = make_encounter(alice)
    make_encounter(alice)
    found = access.TO_CHECK_IN_ON.objects(encounter.code)
    assert [e.pk for e in found] == [encounter.pk]
    assert access.TO_CHECK_IN_ON.objects(uuid.uuid4()) == []


@DB
def test_a_value_that_never_reaches_the_query_is_refused(alice):
    ignores_it = Compiled(lambda person: Encounter.objects.all()[:1], int)
    with pytest.raises(ValueError, match="as a parameter"):
        ignores_it.objects(alice.pk)


@DB
def test_a_query_of_values_answers_rows_and_refuses_instances(alice):
    ids = Compiled(lambda person: Encounter.objects.filter(person=person).values("pk"), int)
    encounter = make_encounter(alice)
    assert ids.rows(alice.pk) == [(encounter.pk,)]
    with pytest.raises(ValueError, match="use Compiled"):
        ids.objects(alice.pk)


@DB
def test_a_followup_is_answered_by_a_checkin_once_due_and_not_before(alice):
    encounter = make_encounter(alice, kind="solo")
    FollowUp.objects.filter(person=alice).delete()
    now = timezone.now()
    due = FollowUp.objects.create(
        person=alice, encounter=encounter, offset_hours=1, due_at=now - dt.timedelta(minutes=1)
    )
    later = FollowUp.objects.create(
        person=alice, encounter=encounter, offset_hours=24, due_at=now + dt.timedelta(hours=1)
    )
    make_checkin(alice, encounter, pleasantness=5)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == FollowUpState.ANSWERED
    assert later.state == FollowUpState.SCHEDULED


@DB
def test_the_sharing_connections_are_each_persons_own(alice):
    bob = make_person("Bob")
    charlie = make_person("Charlie")
    shared = make_connection(alice, bob)
    make_connection(alice, charlie, paused_by=charlie)
    assert Connection.objects.sharing_ids_of(alice) == [shared.pk]
    assert Connection.objects.sharing_ids_of(bob) == [shared.pk]
    assert Connection.objects.sharing_ids_of(charlie) == []
