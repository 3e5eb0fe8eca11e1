"""`manage.py accounts` and `manage.py status`: what an operator sees is ids, addresses, dates
and counts; never a word anyone wrote (canaries through the encrypted fields)."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Person
from checkins import services as checkins
from followups.models import FollowUp
from notify import services as channels
from softlanding.testing import DB, PASSWORD, make_connection, make_person, sign_in
from vault.models import ErasedOwner

pytestmark = DB


@pytest.fixture(autouse=True)
def no_backups_yet(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def canaries():
    """A person whose every typed field holds a unique canary; the canaries, to look for."""
    words: list[str] = []

    def canary(label: str) -> str:
        words.append(f"CANARY{len(words):02d}-{label}-3e9a")
        return words[-1]

    person = make_person("Writer")
    accounts.update_settings(
        person, display_name=canary("display_name"), pronouns=canary("pronouns")
    )
    accounts.create_token(person, canary("token"))
    channels.add_channel(
        person, kind="email", target="writer+canary@example.org", label=canary("channel")
    )
    encounter = checkins.log_encounter(
        person,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        kind="casual",
        note=canary("note"),
    )
    checkins.add_checkin(
        person,
        encounter,
        pleasantness=4,
        **{name: canary(name) for name in checkins.TEXT_FIELDS},
    )
    make_connection(person, make_person("Friend"), nicknames=(canary("nick"), "W"))
    return person, words


def assert_no_canary(text: str, words: list[str]) -> None:
    assert "CANARY" not in text
    assert not [word for word in words if word in text]


def test_the_account_list_shows_ids_addresses_and_counts_and_no_one_s_words(canaries):
    person, words = canaries
    listing = run("accounts", "list")
    assert_no_canary(listing, words)
    line = next(line for line in listing.splitlines() if person.email in line)
    # id, address, created, last seen, state, then encounters, check-ins, connections, channels
    assert line.split()[0] == str(person.pk)
    assert line.split()[-4:] == ["1", "1", "1", "1"]
    assert "2 account(s)." in listing


def test_status_reports_numbers_and_no_one_s_words(canaries):
    _person, words = canaries
    FollowUp.objects.update(due_at=timezone.now() - dt.timedelta(hours=1))
    status = run("status")
    assert_no_canary(status, words)
    assert "People                    2 (2 active)" in status
    assert "Follow-ups due            3 (3 late, oldest due 1 h ago)" in status
    assert "Dispatcher last seen      never" in status
    assert "Last data backup          never" in status


def test_disable_signs_the_person_out_at_once_and_enable_lets_them_back(alice):
    client = Client()
    sign_in(client, alice)
    assert client.get("/api/v1/me").status_code == 200
    assert "disabled and signed out" in run("accounts", "disable", alice.email)
    assert client.get("/api/v1/me").status_code == 401
    assert not Person.objects.get(pk=alice.pk).is_active
    assert "disabled" in run("accounts", "list", "--disabled")
    assert not client.login(email=alice.email, password=PASSWORD)
    run("accounts", "enable", str(alice.pk))
    assert Person.objects.get(pk=alice.pk).is_active
    sign_in(client, alice)
    assert client.get("/api/v1/me").status_code == 200


def test_delete_erases_through_the_erasure_service_and_asks_first(alice, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing was deleted"):
        run("accounts", "delete", str(alice.pk))
    assert Person.objects.filter(pk=alice.pk).exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "delete")
    run("accounts", "delete", alice.email)
    assert not Person.objects.filter(pk=alice.pk).exists()
    assert ErasedOwner.objects.filter(owner_id=alice.pk).exists()


def test_an_unknown_account_is_a_plain_error(db):
    with pytest.raises(CommandError, match="No account"):
        run("accounts", "disable", "nobody@example.org")
