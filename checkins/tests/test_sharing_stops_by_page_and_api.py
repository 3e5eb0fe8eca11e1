"""Every way sharing stops, done the way a person does it: on the page and through the API.
Each person keeps their own check-ins and their open follow-ups (DESIGN.md §2)."""

import pytest
from django.test import Client
from django.urls import reverse

from checkins import services
from checkins.models import CheckIn
from followups.models import FollowUp
from softlanding.testing import DB, NO_QUIET, make_connection, make_encounter, make_person

pytestmark = DB
BOBS_WORDS = "bobs-own-words-about-that-night"


@pytest.fixture
def alice(db):
    return make_person("Alice", password=None, **NO_QUIET)


@pytest.fixture
def bob(db):
    return make_person("Bob", password=None, **NO_QUIET)


@pytest.fixture
def together(alice, bob):
    """Alice logged an encounter with Bob an hour ago; Bob checked in low and asked for care."""
    connection = make_connection(alice, bob)
    encounter = make_encounter(alice, connections=[connection])
    checkin = services.add_checkin(bob, encounter, pleasantness=1, wants_care=True, fun=BOBS_WORDS)
    return connection, encounter, checkin


def _as(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _edit_form(alice, encounter) -> dict:
    when = encounter.occurred_at.astimezone(alice.tz).strftime("%Y-%m-%dT%H:%M")
    return {"occurred_at": when, "kind": "partnered", "note": ""}


# Each: who acts, and what they send. Every answer must be a success, not an error page.
PAGE = {
    "alice ends it": ("alice", lambda c, e, a: ("post", f"/partners/{c.code}/end/", {})),
    "bob ends it": ("bob", lambda c, e, a: ("post", f"/partners/{c.code}/end/", {})),
    "alice pauses": ("alice", lambda c, e, a: ("post", f"/partners/{c.code}/pause/", {})),
    "bob pauses": ("bob", lambda c, e, a: ("post", f"/partners/{c.code}/pause/", {})),
    "alice withdraws consent": ("alice", lambda c, e, a: ("post", "/consent/withdraw/", {})),
    "alice takes bob off": (
        "alice",
        lambda c, e, a: ("post", f"/encounters/{e.code}/edit/", _edit_form(a, e)),
    ),
    "alice deletes the encounter": (
        "alice",
        lambda c, e, a: ("post", f"/encounters/{e.code}/delete/", {}),
    ),
    "alice deletes her account": (
        "alice",
        lambda c, e, a: ("post", "/settings/data/delete/", {"confirm": "DELETE"}),
    ),
}
API = {
    "alice ends it": ("alice", lambda c, e, a: ("post", f"/api/v1/connections/{c.code}/end", {})),
    "bob ends it": ("bob", lambda c, e, a: ("post", f"/api/v1/connections/{c.code}/end", {})),
    "alice pauses": ("alice", lambda c, e, a: ("post", f"/api/v1/connections/{c.code}/pause", {})),
    "bob pauses": ("bob", lambda c, e, a: ("post", f"/api/v1/connections/{c.code}/pause", {})),
    "alice withdraws consent": ("alice", lambda c, e, a: ("delete", "/api/v1/consent", None)),
    "alice takes bob off": (
        "alice",
        lambda c, e, a: ("patch", f"/api/v1/encounters/{e.code}", {"connections": []}),
    ),
    "alice deletes the encounter": (
        "alice",
        lambda c, e, a: ("delete", f"/api/v1/encounters/{e.code}", None),
    ),
}
# Where Alice still has her encounter and her consent, her own series runs on as well.
ALICE_KEEPS_HERS = {"alice ends it", "bob ends it", "alice pauses", "bob pauses"}


def _stop(ways, how, alice, bob, together):
    connection, encounter, _checkin = together
    who, request = ways[how]
    method, url, data = request(connection, encounter, alice)
    client = _as(alice if who == "alice" else bob)
    if ways is API:
        sent = {"content_type": "application/json"} if data is not None else {}
        answer = getattr(client, method)(url, data or {}, **sent)
        assert answer.status_code < 300, answer.content
    else:
        answer = getattr(client, method)(url, data)
        assert answer.status_code == 302, answer.content


def _bob_keeps_his_own(bob, checkin):
    kept = CheckIn.objects.get(person=bob)
    assert (kept.code, kept.fun, kept.wants_care) == (checkin.code, BOBS_WORDS, True)
    assert sorted(FollowUp.objects.filter(person=bob).values_list("offset_hours", "state")) == [
        (3, "scheduled"),
        (24, "scheduled"),
        (48, "scheduled"),
    ]
    client = _as(bob)
    listed = client.get("/api/v1/checkins").json()["items"]
    assert [c["code"] for c in listed] == [str(checkin.code)]
    assert len(client.get("/api/v1/follow-ups?state=scheduled").json()["items"]) == 3
    detail = reverse("checkins:checkin_detail", args=[checkin.code])
    assert detail in client.get(reverse("home")).content.decode()
    page = client.get(detail)
    assert page.status_code == 200 and BOBS_WORDS in page.content.decode()


@pytest.mark.parametrize("how", PAGE)
def test_on_the_page_each_person_keeps_their_own(how, alice, bob, together):
    _stop(PAGE, how, alice, bob, together)
    _bob_keeps_his_own(bob, together[2])
    if how in ALICE_KEEPS_HERS:
        assert FollowUp.objects.filter(person=alice, state="scheduled").count() == 3


@pytest.mark.parametrize("how", API)
def test_through_the_api_each_person_keeps_their_own(how, alice, bob, together):
    _stop(API, how, alice, bob, together)
    _bob_keeps_his_own(bob, together[2])
    if how in ALICE_KEEPS_HERS:
        assert FollowUp.objects.filter(person=alice, state="scheduled").count() == 3


def test_pausing_and_resuming_leaves_everyones_follow_ups_as_they_were(alice, bob, together):
    connection, _encounter, _checkin = together
    _as(bob).post(f"/partners/{connection.code}/pause/")
    _as(bob).post(f"/partners/{connection.code}/resume/")
    assert FollowUp.objects.filter(person=bob, state="scheduled").count() == 3
    assert FollowUp.objects.filter(person=alice, state="scheduled").count() == 3


def test_deleting_an_encounter_says_others_keep_their_own(alice, together):
    _connection, encounter, _checkin = together
    page = _as(alice).get(f"/encounters/{encounter.code}/delete/").content.decode()
    assert "your check-ins on it will be deleted" in page
    assert "own check-ins and follow-ups stay theirs" in page


def test_bobs_encounter_list_leads_to_his_check_in_not_to_nothing_logged(bob, together):
    partners_end = f"/partners/{together[0].code}/end/"
    _as(bob).post(partners_end)
    page = _as(bob).get(reverse("checkins:encounter_list")).content.decode()
    assert "Nothing logged yet" not in page
    assert reverse("checkins:checkin_detail", args=[together[2].code]) in page
