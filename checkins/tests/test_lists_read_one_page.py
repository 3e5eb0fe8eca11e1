"""Every list of encounters, check-ins, follow-ups, alerts and nudges reads only the page it
shows: the same queries and the same decryptions with one row as with a thousand."""

import datetime as dt

import pytest
from django.utils import timezone

from alerts import views as alert_views
from alerts.models import Alert, Nudge
from checkins import views
from checkins.models import CheckIn, Encounter, Kind
from followups import views as followup_views
from followups.models import FollowUp, FollowUpState
from partners.services import accept_invite, create_invite
from softlanding.testing import DB
from softlanding.testing_counts import assert_cost_does_not_grow

pytestmark = DB


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def _moments(n: int) -> list[dt.datetime]:
    start = timezone.now() - dt.timedelta(days=1)
    return [start - dt.timedelta(minutes=i) for i in range(n)]


def add_encounters(person, n: int, **extra) -> list[Encounter]:
    return Encounter.objects.bulk_create(
        Encounter(person=person, occurred_at=at, kind=Kind.SOLO, note="a quiet note", **extra)
        for at in _moments(n)
    )


def add_checkins(person, n: int, encounter=None) -> None:
    CheckIn.objects.bulk_create(
        CheckIn(person=person, encounter=encounter, pleasantness=5, fun="the walk", need_now="tea")
        for _ in range(n)
    )


def add_followups(person, n: int, state=FollowUpState.ANSWERED) -> None:
    FollowUp.objects.bulk_create(
        FollowUp(person=person, offset_hours=24, due_at=at, state=state, encounter_kind=Kind.SOLO)
        for at in _moments(n)
    )


def test_the_encounter_page(signed_in, alice, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    add_encounters(alice, 1)
    assert_cost_does_not_grow(
        lambda: signed_in.get("/encounters/"), lambda n: add_encounters(alice, n)
    )


def test_the_encounters_api(signed_in, alice):
    add_encounters(alice, 1)
    small, _large = assert_cost_does_not_grow(
        lambda: signed_in.get("/api/v1/encounters?limit=1"), lambda n: add_encounters(alice, n)
    )
    assert small.decryptions >= 1  # the note is in the answer: the counter sees it opened


def test_the_page_of_check_ins_on_others_encounters(signed_in, alice, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    add_checkins(alice, 1)
    assert_cost_does_not_grow(lambda: signed_in.get("/checkins/"), lambda n: add_checkins(alice, n))


def test_the_check_ins_api(signed_in, alice):
    add_checkins(alice, 1)
    small, _large = assert_cost_does_not_grow(
        lambda: signed_in.get("/api/v1/checkins?limit=1"), lambda n: add_checkins(alice, n)
    )
    assert small.decryptions >= 2


def test_the_dashboard(signed_in, alice):
    encounter = add_encounters(alice, 1)[0]
    add_checkins(alice, 1)

    def grow(n):
        add_encounters(alice, n)
        add_checkins(alice, n)
        add_checkins(alice, n, encounter=encounter)
        add_followups(alice, n, state=FollowUpState.SENT)

    assert_cost_does_not_grow(lambda: signed_in.get("/"), grow)


def test_the_follow_up_page(signed_in, alice, monkeypatch):
    monkeypatch.setattr(followup_views, "HISTORY_SIZE", 1)
    monkeypatch.setattr(followup_views, "WAITING_SHOWN", 1)
    for state in (FollowUpState.ANSWERED, FollowUpState.SENT, FollowUpState.SCHEDULED):
        add_followups(alice, 1, state=state)

    def grow(n):
        for state in (FollowUpState.ANSWERED, FollowUpState.SENT, FollowUpState.SCHEDULED):
            add_followups(alice, n, state=state)

    assert_cost_does_not_grow(lambda: signed_in.get("/follow-ups/"), grow)


def test_the_follow_ups_api(signed_in, alice):
    add_followups(alice, 1)
    assert_cost_does_not_grow(
        lambda: signed_in.get("/api/v1/follow-ups?limit=1"), lambda n: add_followups(alice, n)
    )


def test_the_alert_page_and_api(signed_in, alice, monkeypatch):
    monkeypatch.setattr(alert_views, "ALERTS_PER_PAGE", 1)
    Alert.objects.create(person=alice)

    def grow(n):
        Alert.objects.bulk_create(Alert(person=alice) for _ in range(n))

    assert_cost_does_not_grow(lambda: signed_in.get("/alerts/"), grow)
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/alerts?limit=1"), grow)


def test_the_alerts_api_says_where_the_next_ones_start(signed_in, alice):
    Alert.objects.bulk_create(Alert(person=alice) for _ in range(3))
    first = signed_in.get("/api/v1/alerts?limit=2")
    assert len(first.json()) == 2
    assert 'rel="next"' in first["Link"] and "offset=2" in first["Link"]
    rest = signed_in.get("/api/v1/alerts?limit=2&offset=2")
    assert len(rest.json()) == 1 and "Link" not in rest
    assert {a["code"] for a in first.json() + rest.json()} == {
        str(code) for code in Alert.objects.values_list("code", flat=True)
    }


def test_the_nudges_api(signed_in, alice, bob):
    _invite, secret = create_invite(bob, nickname="A")
    connection = accept_invite(alice, secret, nickname="B")
    encounter = add_encounters(bob, 1)[0]

    def grow(n):
        Nudge.objects.bulk_create(
            Nudge(sender=bob, recipient=alice, connection=connection, encounter=encounter)
            for _ in range(n)
        )

    grow(1)
    assert_cost_does_not_grow(lambda: signed_in.get("/api/v1/nudges?limit=1"), grow)
