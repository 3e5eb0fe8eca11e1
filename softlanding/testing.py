"""The cast and the builders every test shares: alice (the person), bob (her partner), charlie
(a stranger); people, connections, encounters, check-ins and contacts made through the same
services the pages use, so a test reads as the situation it sets up. One copy of each, here:
a test module never imports another."""

import ast
import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from accounts.services import create_token
from alerts import dropwatch
from care.models import CareItem
from checkins import services as checkins
from checkins.models import CheckIn, Encounter
from consent.services import give_consent
from followups import services as followups
from followups.models import FollowUp, FollowUpState
from notify.models import Notification
from partners import services as partners
from partners import support
from partners.models import SHAREABLE_ANSWERS, Connection, SupportContact

# Every test that touches an encrypted field needs the key store too.
DB = pytest.mark.django_db(databases=["default", "keys"])
TRANSACTIONAL_DB = pytest.mark.django_db(databases=["default", "keys"], transaction=True)

PASSWORD = "a calm harbour 42"
EVERY_ANSWER = sorted(key for key, _label in SHAREABLE_ANSWERS)
# Quiet hours from midnight to midnight: none, so a test runs the same at any time of day.
NO_QUIET = {"quiet_hours_start": dt.time(0, 0), "quiet_hours_end": dt.time(0, 0)}


def make_person(
    name: str, *, consent: bool = True, password: str | None = PASSWORD, **extra
) -> Person:
    """A person who agreed to the terms; ``password=None`` for one who never signs in."""
    person = Person.objects.create_user(
        email=f"{name.lower()}@example.org", password=password, display_name=name, **extra
    )
    if consent:
        give_consent(person, adult_confirmed=True)
    return person


def make_connection(
    a: Person,
    b: Person,
    *,
    nicknames: tuple[str, str] = ("B", "A"),
    paused_by: Person | None = None,
    ended: bool = False,
    **sharing,
) -> Connection:
    """``a`` invites ``b`` and ``b`` accepts; a calls b "B" and b calls a "A" (``nicknames``).
    ``sharing`` (``share_profile=True``, ``shared_answers=EVERY_ANSWER``, …) is chosen on both
    sides, as each would on the connection's page; sharing starts off."""
    _invite, secret = partners.create_invite(a, nickname=nicknames[0])
    connection = partners.accept_invite(b, secret, nickname=nicknames[1])
    if sharing:
        for person in (a, b):
            partners.update_side(partners.side_of(connection, person), **sharing)
    if paused_by is not None:
        partners.pause(partners.side_of(connection, paused_by))
    if ended:
        partners.end(connection)
    return connection


def make_encounter(
    person: Person,
    *,
    hours_ago: float = 1,
    kind: str = "partnered",
    connections: Iterable[Connection] = (),
    **extra,
) -> Encounter:
    """An encounter logged an hour ago (or ``occurred_at=``), with the given connections."""
    extra.setdefault("occurred_at", timezone.now() - dt.timedelta(hours=hours_ago))
    return checkins.log_encounter(person, kind=kind, connections=list(connections), **extra)


def make_checkin(person: Person, encounter: Encounter | None = None, **answers) -> CheckIn:
    """A check-in on ``encounter``, or on a new encounter of the person's own."""
    return checkins.add_checkin(person, encounter or make_encounter(person), **answers)


def make_contact(
    person: Person, *, may_tell: str = "ask_me", confirmed: bool = True, **contact
) -> SupportContact:
    """A support contact (Jo, by e-mail, unless told otherwise), confirmed as by their link."""
    contact.setdefault("name", "Jo")
    if "notify_url" not in contact:
        contact.setdefault("email", "jo@example.org")
    made = support.add_contact(person, may_tell=may_tell, **contact)
    if confirmed:
        SupportContact.objects.filter(pk=made.pk).update(verified_at=timezone.now())
        made.refresh_from_db()
    return made


def bearer(person: Person) -> dict[str, str]:
    """The test client's headers for the API, with a new token of the person's."""
    _token, secret = create_token(person, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def sign_in(client, person: Person) -> None:
    """Sign in through the real login form, so that re-authentication counts as recent."""
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


@contextlib.contextmanager
def requests_in_the_test_transaction() -> Iterator[None]:
    """For tools that call the WSGI app directly: like Django's test client, keep the end of
    each request from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@contextlib.contextmanager
def kept_for_the_module(django_db_blocker, databases=("default", "keys")) -> Iterator[None]:
    """A transaction on each database around a module's tests, as Django's `TestCase` keeps
    its `setUpTestData`: what is built inside it is there for every test, each test's own
    transaction is a savepoint within it and is rolled back as usual, and this one is rolled
    back at the end. For a world that is expensive to build and that no test commits."""
    with django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in databases]
        for atomic in atomics:
            # Like TestCase's own, so a durable atomic block in the code under test still works.
            atomic._from_testcase = True
            atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            for alias, atomic in reversed(list(zip(databases, atomics, strict=True))):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


# -- Discreet mode: a world with something on every page, and the words a glance catches ---

# Left out on purpose: "consent" (every app and cookie banner asks for it), "crisis" and
# helpline names (a person in trouble must find them at once), "playful", "check-in", "care".
# The same in German, Spanish and French, for the scans that run in every language.
REVEALING = re.compile(
    r"\b(sex|sexual\w*|sexy|intima\w*|encounters?|partner\w*|aftercare|drops?|dropp\w*|play|"
    r"kink\w*|bdsm|fetish\w*|orgasm\w*|naked|nude|lovers?|masturbat\w*|on camera|webcam|"
    r"hook-?ups?|soft landing|"
    r"sexuell\w*|intim\w*|begegnung\w*|fetisch\w*|nackt\w*|liebhaber\w*|vor der kamera|"
    r"sexo|íntim\w*|intimidad|encuentros?|parejas?|fetich\w*|desnud\w*|amantes?|en cámara|"
    r"sexe|sexuel\w*|rencontres?|partenaires?|fétich\w*|amant\w*|en cam|devant la caméra)\b",
    re.IGNORECASE,
)


def revealing_words(text: str) -> list[str]:
    """The words in ``text`` that would tell an onlooker what the app is about."""
    return sorted({m.group(0).lower() for m in REVEALING.finditer(text)})


# What a glance catches besides text: tab titles, labels read aloud, alt text, button words.
SEEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attributes = dict(attrs)
        for name in SEEN_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag in ("input", "button") and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def make_discreet_world(alice, bob):
    """alice (in discreet mode) with a connection, an encounter, a low check-in, a follow-up,
    an alert and lines in her inbox: every page has something to show."""
    connection = make_connection(alice, bob)
    connection.sides.filter(person=alice).update(share_drop_alerts=True)
    alice.quiet_hours_start = alice.quiet_hours_end = dt.time(0, 0)
    alice.discreet_mode = True
    alice.save()
    encounter = make_encounter(alice, hours_ago=4, connections=[connection])
    checkin = make_checkin(alice, encounter, pleasantness=1, feelings=["tearful"], wants_care=True)
    dropwatch.tell(alice, checkin)
    FollowUp.objects.filter(person=alice).update(state="sent")
    for kind in ("followup", "nudge", "drop_alert"):
        Notification.objects.create(person=alice, kind=kind)
    return {"encounter": encounter, "checkin": checkin, "connection": connection}


def discreet_pages(world) -> list[str]:
    """Every main page of the discreet world's person, each with something to show."""
    encounter, connection = world["encounter"], world["connection"]
    followup = FollowUp.objects.filter(person=encounter.person).first()
    assert followup is not None
    return [
        "/",
        reverse("checkins:encounter_list"),
        reverse("checkins:encounter_new"),
        reverse("checkins:encounter_detail", args=[encounter.code]),
        reverse("checkins:checkin_new", args=[encounter.code]),
        reverse("checkins:checkin_detail", args=[world["checkin"].code]),
        reverse("checkins:checkin_list"),
        reverse("insights:insights"),
        reverse("checkins:followups"),
        reverse("checkins:followup", args=[followup.code]),
        reverse("checkins:alerts"),
        reverse("partners:connections"),
        reverse("partners:detail", args=[connection.code]),
        reverse("partners:guest_links"),
        reverse("partners:support"),
        reverse("notify:inbox"),
        reverse("notify:channels"),
        reverse("notify:reach"),
        reverse("accounts:settings"),
        reverse("care:profile"),
        reverse("care:guide"),
        reverse("privacy:privacy"),
        reverse("privacy:consent"),
        reverse("privacy:data"),
    ]


# Words we never say to anyone: promises about how a feeling goes, and a partner assumed.
NEVER_SAID = ["it passes", "it will pass", "your partner"]


def answer_followup(person: Person, encounter: Encounter, hours: int, **answers) -> CheckIn:
    """A follow-up ``hours`` after the encounter, sent and then answered through the same
    service as the follow-up page (``pleasantness=…`` and the other check-in answers)."""
    followup = FollowUp.objects.create(
        person=person,
        encounter=encounter,
        encounter_kind=encounter.kind,
        encounter_at=encounter.occurred_at,
        offset_hours=hours,
        due_at=encounter.occurred_at + dt.timedelta(hours=hours),
        state=FollowUpState.SENT,
        sent_at=encounter.occurred_at + dt.timedelta(hours=hours),
    )
    return followups.answer(followup, **answers)


def make_history(person: Person, encounters: int, *, answers: int | None = None) -> None:
    """A long history in bulk, for what must cost the same however long it is: one encounter
    a day going back, kinds in turn, care received and given on some, a check-in right after
    each and follow-up answers at +3 h, +24 h and +48 h (``answers`` of them in all, or
    three each). Rows only — no notes, no schedule — so thousands take a second."""
    kinds = ["partnered", "casual", "on_camera", "solo"]
    care = list(CareItem.objects.filter(person__isnull=True).order_by("position")[:4])
    now = timezone.now()
    made = Encounter.objects.bulk_create(
        Encounter(person=person, occurred_at=now - dt.timedelta(days=n + 1), kind=kinds[n % 4])
        for n in range(encounters)
    )
    Encounter.care_acts.through.objects.bulk_create(
        Encounter.care_acts.through(encounter=e, careitem=care[k])
        for n, e in enumerate(made)
        for k in range(len(care))
        if n % (k + 2) == 0
    )
    right_after = CheckIn.objects.bulk_create(
        CheckIn(
            person=person,
            encounter=e,
            encounter_kind=e.kind,
            encounter_at=e.occurred_at,
            pleasantness=2 + n % 6,
            energy=1 + n % 7,
            drop_reasons=["low"] if n % 6 == 0 else [],
        )
        for n, e in enumerate(made)
    )
    CheckIn.care_given.through.objects.bulk_create(
        CheckIn.care_given.through(checkin=c, careitem=care[n % len(care)])
        for n, c in enumerate(right_after)
        if c.encounter_kind in ("partnered", "casual")
    )
    wanted = 3 * encounters if answers is None else answers
    asked = [(e, h) for e in made for h in (3, 24, 48)][:wanted]
    later = CheckIn.objects.bulk_create(
        CheckIn(
            person=person,
            encounter=e,
            encounter_kind=e.kind,
            encounter_at=e.occurred_at,
            pleasantness=1 + (n + h) % 7,
            energy=1 + n % 7,
        )
        for n, (e, h) in enumerate(asked)
    )
    FollowUp.objects.bulk_create(
        FollowUp(
            person=person,
            encounter=e,
            encounter_kind=e.kind,
            encounter_at=e.occurred_at,
            offset_hours=h,
            due_at=e.occurred_at + dt.timedelta(hours=h),
            state=FollowUpState.ANSWERED,
            answered_at=e.occurred_at + dt.timedelta(hours=h),
            answered_ok=True,
            checkin=c,
        )
        for (e, h), c in zip(asked, later, strict=True)
    )


# The helpers settings.py reads the environment with (lib.env).
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_secret"}


def variables_read_by_settings() -> set[str]:
    """Every variable settings.py reads from the environment (and, for a secret, its _FILE):
    what the README's table and .env.example must name."""
    tree = ast.parse(Path(settings.BASE_DIR, "softlanding", "settings.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ENV_HELPERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(name := node.args[0].value, str)
        ):
            names.add(name)
            if node.func.id == "env_secret":
                names.add(name + "_FILE")
    return names
