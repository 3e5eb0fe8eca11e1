"""What one person sees of another's check-ins is the same set on every path — the encounter
pages, the API and the export — and it is what docs/architecture.md promises:

- nothing crosses a connection that has ended or that either side paused, including what was
  shared before (sharing is computed when read);
- a check-in reaches a partner only through a connection that is named on its encounter and
  joins the two of them, only when its author shares check-in answers on their side of it,
  and only with the answers the check-in itself shares.

Hypothesis draws three people, connections among them (live, paused by one or both, ended, and
sometimes an ended one before the current one), each side's sharing choices, encounters naming
some of their author's connections, and check-ins whose free texts are unique tokens.
"""

import dataclasses
import datetime as dt
import json
import re
from itertools import combinations

from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkins import services as checkins
from checkins.models import CheckIn, Encounter
from partners import services as partners
from partners.models import SHAREABLE_ANSWERS, Connection
from privacy.export import build_document
from softlanding.testing import DB, make_person
from vault.services import forget_cached_keys

pytestmark = DB

PEOPLE = 3
PAIRS = list(combinations(range(PEOPLE), 2))
ANSWERS = [key for key, _label in SHAREABLE_ANSWERS]
TEXTS = ["fun", "next_time", "not_right", "need_now"]
STATES = ["live", "paused by the first", "paused by the second", "paused by both", "ended"]
TOKEN = re.compile(r"zq\d{4}zq")
CLIENT = Client()  # one for every example: its middleware is loaded once


@dataclasses.dataclass
class Link:
    """One connection as drawn: its two people, what each shares, and how it stands."""

    people: tuple[int, int]
    state: str
    shares: dict[int, frozenset[str]]
    earlier: bool = False  # ended before the pair connected again

    @property
    def live(self) -> bool:
        return self.state == "live"


@dataclasses.dataclass
class World:
    links: list[Link]
    encounters: list[tuple[int, frozenset[int]]]  # author, links named
    checkins: list[tuple[int, int, frozenset[str], dict[str, str]]]  # encounter, author, …


# Weighted towards sharing, so that most worlds have something to see and something hidden;
# the simplest choice (where Hypothesis starts) is always the one that shares.
STATES = ["live"] * 6 + STATES[1:]


def some_answers(draw) -> frozenset[str]:
    """All of the answers, none, or a few."""
    how = draw(st.sampled_from(["all", "some", "some", "none"]))
    if how == "all":
        return frozenset(ANSWERS)
    if how == "none":
        return frozenset()
    return draw(st.frozensets(st.sampled_from(ANSWERS), min_size=1))


@st.composite
def worlds(draw) -> World:
    links = []
    for pair in PAIRS:
        if draw(st.integers(0, 3)) == 3:
            continue
        if draw(st.integers(0, 3)) == 3:
            shares = {p: some_answers(draw) for p in pair}
            links.append(Link(pair, "ended", shares, earlier=True))
        shares = {p: some_answers(draw) for p in pair}
        links.append(Link(pair, draw(st.sampled_from(STATES)), shares))
    encounters = []
    for _ in range(draw(st.integers(1, 3))):
        author = draw(st.integers(0, PEOPLE - 1))
        theirs = [n for n, link in enumerate(links) if author in link.people]
        if theirs and draw(st.booleans()):
            theirs = sorted(draw(st.frozensets(st.sampled_from(theirs))))
        encounters.append((author, frozenset(theirs)))
    found = []
    tokens = iter(range(10_000))
    for _ in range(draw(st.integers(2, 6))):
        encounter = draw(st.integers(0, len(encounters) - 1))
        author, named = encounters[encounter]
        on_it = sorted({author} | {p for k in named for p in links[k].people})
        if draw(st.integers(0, 4)) == 4:  # someone the encounter does not name, too
            on_it = list(range(PEOPLE))
        who = draw(st.sampled_from(on_it))
        written = draw(st.frozensets(st.sampled_from(TEXTS), min_size=1))
        texts = {field: f"zq{next(tokens):04d}zq" for field in sorted(written)}
        found.append((encounter, who, some_answers(draw), texts))
    return World(links, encounters, found)


def oracle(world: World, viewer: int) -> tuple[set[int], set[str]]:
    """(the others' encounters the viewer may open, the tokens they may read), from the rules
    in docs/architecture.md alone."""
    in_sight = {
        n
        for n, (author, named) in enumerate(world.encounters)
        if author != viewer
        and any(world.links[k].live and viewer in world.links[k].people for k in named)
    }
    seen = set()
    for encounter, author, shared, texts in world.checkins:
        if author == viewer or not shared:
            continue
        carried = any(
            link.live and set(link.people) == {viewer, author} and link.shares[author]
            for link in (world.links[k] for k in world.encounters[encounter][1])
        )
        if carried:
            seen |= {token for field, token in texts.items() if field in shared}
    return in_sight, seen


def build(world: World):
    """The world through the services, as people would make it."""
    people = [make_person(f"P{n}", password=None) for n in range(PEOPLE)]
    connections = []
    for link in world.links:
        a, b = (people[p] for p in link.people)
        _invite, secret = partners.create_invite(a)
        connection = partners.accept_invite(b, secret)
        for p in link.people:
            side = partners.side_of(connection, people[p])
            partners.update_side(side, shared_answers=sorted(link.shares[p]))
        if link.earlier:
            partners.end(connection)  # before the pair connects again
        connections.append(connection)
    encounters = [
        checkins.log_encounter(
            people[author],
            occurred_at=timezone.now() - dt.timedelta(hours=2),
            kind="partnered",
            connections=[connections[k] for k in sorted(named)],
        )
        for author, named in world.encounters
    ]
    for encounter, author, shared, texts in world.checkins:
        checkins.add_checkin(
            people[author], encounters[encounter], pleasantness=4, shared=sorted(shared), **texts
        )
    # Pauses and endings last: they hide what was shared before them, too.
    for link, connection in zip(world.links, connections, strict=True):
        first, second = (partners.side_of(connection, people[p]) for p in link.people)
        if link.state in ("paused by the first", "paused by both"):
            partners.pause(first)
        if link.state in ("paused by the second", "paused by both"):
            partners.pause(second)
        if link.state == "ended":
            partners.end(connection)
    return people, encounters


def tokens(text: str) -> set[str]:
    return set(TOKEN.findall(text))


def seen_on_pages(client, encounters) -> tuple[set, set[str]]:
    opened, seen = set(), set()
    for n, encounter in enumerate(encounters):
        page = client.get(f"/encounters/{encounter.code}/")
        assert page.status_code in (200, 404)
        if page.status_code == 200:
            opened.add(n)
            seen |= tokens(page.content.decode())
    return opened, seen


def seen_through_the_api(client, viewer, encounters) -> tuple[set, set[str]]:
    listed = client.get("/api/v1/shared-encounters")
    assert listed.status_code == 200
    codes = {str(e.code): n for n, e in enumerate(encounters)}
    opened = {codes[row["code"]] for row in listed.json()}
    seen = tokens(listed.content.decode())
    for encounter in encounters:
        if encounter.person_id == viewer.pk:  # their own: the list holds only others'
            one = client.get(f"/api/v1/shared-encounters/{encounter.code}")
            assert one.status_code == 200
            seen |= tokens(one.content.decode())
    return opened, seen


def seen_in_the_export(viewer) -> set[str]:
    document = build_document(viewer)
    return tokens(json.dumps([c["shared_with_me"] for c in document["connections"]]))


def the_two_spellings_agree() -> None:
    """`Connection.is_sharing` on a loaded row and `Connection.objects.sharing()` agree, and
    so do `is_sharing_insights` and `sharing_insights()`."""
    live = set(Connection.objects.sharing().values_list("pk", flat=True))
    together = set(Connection.objects.sharing_insights().values_list("pk", flat=True))
    for connection in Connection.objects.prefetch_related("sides"):
        assert connection.is_sharing == (connection.pk in live)
        assert connection.is_sharing_insights == (connection.pk in together)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(world=worlds())
def test_a_partner_sees_the_same_on_the_pages_through_the_api_and_in_the_export(world):
    forget_cached_keys()  # each world starts from no people, and may reuse their ids
    with transaction.atomic(), transaction.atomic(using="keys"):
        people, encounters = build(world)
        the_two_spellings_agree()
        written = {t for _e, _a, _s, texts in world.checkins for t in texts.values()}
        assert CheckIn.objects.count() == len(world.checkins)
        for n, viewer in enumerate(people):
            expected_encounters, expected = oracle(world, n)
            theirs = {m for m, (author, _named) in enumerate(world.encounters) if author == n}
            own = written - {
                t for _e, a, _s, texts in world.checkins if a != n for t in texts.values()
            }
            client = CLIENT
            client.force_login(viewer)
            opened, on_pages = seen_on_pages(client, encounters)
            listed, through_api = seen_through_the_api(client, viewer, encounters)
            in_export = seen_in_the_export(viewer)
            assert opened == expected_encounters | theirs, n
            assert listed == expected_encounters, n
            assert Encounter.objects.shared_with(viewer).count() == len(expected_encounters)
            assert on_pages - own == expected, n
            assert through_api == expected, n
            assert in_export == expected, n
        transaction.set_rollback(True)
        transaction.set_rollback(True, using="keys")
