"""Backups and restore: the data and the key store apart, and a deleted person stays deleted."""

import datetime as dt
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import Person
from accounts.services import update_settings
from checkins.models import Encounter
from checkins.services import log_encounter
from privacy import backups
from privacy.erasure import erase_person, purge_erased
from softlanding.canary import raw_database_bytes
from softlanding.testing import TRANSACTIONAL_DB, make_person
from vault import kek, services
from vault.crypto import DecryptionError
from vault.models import DataKey, ErasedOwner
from vault.routers import KEY_STORE

CANARY = "canary-7f3a9 a bruise on my left shoulder"
NAME_CANARY = "canary-name-4b1e"


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


def _people():
    alice = make_person("Alice", password=None)
    update_settings(alice, display_name=NAME_CANARY)
    bob = make_person("Bob", password=None)
    when = timezone.now() - dt.timedelta(hours=2)
    log_encounter(alice, occurred_at=when, kind="solo", note=CANARY)
    log_encounter(bob, occurred_at=when, kind="solo", note="bob's own words")
    return alice, bob


def _written(report: backups.BackupReport) -> tuple[Path, Path]:
    data, keys = report.written
    assert data.parent.name == "data" and keys.parent.name == "keys"
    return data, keys


def _fresh_read(encounter_pk: int) -> str:
    services.forget_cached_keys()
    return Encounter.objects.get(pk=encounter_pk).note


@TRANSACTIONAL_DB
def test_a_deleted_person_cannot_be_read_from_a_restored_data_backup(backup_dir):
    alice, bob = _people()
    alice_id, alice_code = alice.pk, alice.code
    alice_note = Encounter.objects.get(person=alice).pk
    bob_note = Encounter.objects.get(person=bob).pk
    data_file, _keys_file = _written(backups.backup())

    erase_person(alice)
    assert not Person.objects.filter(pk=alice_id).exists()

    # The data backup alone, into the live database: her rows come back, without a key.
    backups.restore_database(backups.DATA, data_file)
    assert Person.objects.filter(pk=alice_id, code=alice_code).exists()
    assert not services.has_key(alice_id)
    with pytest.raises(DecryptionError):
        _fresh_read(alice_note)
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=alice_id).display_name  # noqa: B018 (reading is the test)
    raw = raw_database_bytes("default")
    assert CANARY.encode() not in raw and NAME_CANARY.encode() not in raw
    assert _fresh_read(bob_note) == "bob's own words"

    # Her tombstone in the current key store is how the app knows she is gone.
    assert purge_erased() == 1
    assert not Person.objects.filter(pk=alice_id).exists()
    assert not Person.objects.filter(code=alice_code).exists()
    assert not Encounter.objects.filter(pk=alice_note).exists()
    assert _fresh_read(bob_note) == "bob's own words"


@TRANSACTIONAL_DB
def test_the_restore_command_removes_the_erased_again(backup_dir):
    alice, bob = _people()
    alice_id, alice_code = alice.pk, alice.code
    bob_note = Encounter.objects.get(person=bob).pk
    data_file, _keys_file = _written(backups.backup())
    erase_person(alice)

    out = StringIO()
    call_command("restore", "--data", str(data_file), "--yes", stdout=out)

    assert "Erased people removed again: 1" in out.getvalue()
    assert not Person.objects.filter(pk=alice_id).exists()
    assert not Person.objects.filter(code=alice_code).exists()
    assert not Encounter.objects.filter(person_id=alice_id).exists()
    assert Person.objects.filter(pk=bob.pk, code=bob.code).exists()
    assert _fresh_read(bob_note) == "bob's own words"
    assert ErasedOwner.objects.using(KEY_STORE).filter(owner_id=alice_id).exists()


@TRANSACTIONAL_DB
def test_housekeeping_removes_the_erased_after_a_restore_by_hand(backup_dir):
    alice, _bob = _people()
    data_file, _keys_file = _written(backups.backup())
    alice_id = alice.pk
    erase_person(alice)
    backups.restore_database(backups.DATA, data_file)
    assert Person.objects.filter(pk=alice_id).exists()

    call_command("housekeeping", "--once")

    assert not Person.objects.filter(pk=alice_id).exists()


@TRANSACTIONAL_DB
def test_restoring_an_older_key_store_keeps_later_deletions(backup_dir):
    alice, bob = _people()
    alice_id = alice.pk
    bob_note = Encounter.objects.get(person=bob).pk
    data_file, keys_file = _written(backups.backup())
    erase_person(alice)

    out = StringIO()
    call_command("restore", data=data_file, keys=keys_file, yes=True, stdout=out)

    # Both backups predate her deletion, yet she is not back and her key is gone again.
    assert "kept: 1 (data keys destroyed again: 1)" in out.getvalue()
    assert "Erased people removed again: 1" in out.getvalue()
    assert not Person.objects.filter(pk=alice_id).exists()
    assert not DataKey.objects.using(KEY_STORE).filter(owner_id=alice_id).exists()
    assert ErasedOwner.objects.using(KEY_STORE).filter(owner_id=alice_id).exists()
    assert _fresh_read(bob_note) == "bob's own words"


@TRANSACTIONAL_DB
def test_backup_files_are_private_and_hold_no_key_file(backup_dir, settings):
    _people()
    out = StringIO()
    call_command("backup", stdout=out)

    files = sorted(p for p in backup_dir.rglob("*") if p.is_file())
    assert [p.parent.name for p in files] == ["data", "keys"]
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    assert {p.suffix for p in files} == {suffix}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert f"Wrote {path}" in out.getvalue()
        assert not path.name.endswith(".partial")
    for folder in (backup_dir, backup_dir / "data", backup_dir / "keys"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    _current, keks = kek.read_keks(settings.SOFTLANDING_KEK_FILE)
    key_file = Path(settings.SOFTLANDING_KEK_FILE).read_bytes().strip()
    for path in files:
        body = path.read_bytes()
        assert CANARY.encode() not in body
        assert key_file not in body
        for key in keks.values():
            assert key not in body


@TRANSACTIONAL_DB
def test_data_only_and_keys_only(backup_dir):
    call_command("backup", "--data-only", stdout=StringIO())
    assert [p.parent.name for p in backup_dir.rglob("*") if p.is_file()] == ["data"]
    call_command("backup", "--keys-only", stdout=StringIO())
    assert sorted(p.parent.name for p in backup_dir.rglob("*") if p.is_file()) == ["data", "keys"]


def _touch(folder: Path, when: dt.datetime, suffix: str = ".sqlite3") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (when.strftime(backups.STAMP) + suffix)
    path.write_bytes(b"old")
    return path


def test_prune_keeps_recent_backups_and_files_that_are_not_ours(tmp_path):
    now = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)
    old = _touch(tmp_path, now - dt.timedelta(days=7, minutes=1))
    old_partial = tmp_path / f".{old.name}.partial"
    old_partial.write_bytes(b"")
    recent = _touch(tmp_path, now - dt.timedelta(days=6, hours=23), ".dump")
    stranger = tmp_path / "notes.txt"
    stranger.write_text("mine")

    pruned = backups.prune(tmp_path, 7, now)

    assert sorted(pruned) == sorted([old, old_partial])
    assert recent.exists() and stranger.exists() and not old.exists()


@TRANSACTIONAL_DB
def test_backup_prunes_each_kind_by_its_own_retention(backup_dir, settings):
    settings.BACKUP_KEEP_DAYS = 30
    settings.KEY_BACKUP_KEEP_DAYS = 7
    now = timezone.now()
    data_old = _touch(backup_dir / "data", now - dt.timedelta(days=31))
    data_kept = _touch(backup_dir / "data", now - dt.timedelta(days=8))
    keys_old = _touch(backup_dir / "keys", now - dt.timedelta(days=8))
    keys_kept = _touch(backup_dir / "keys", now - dt.timedelta(days=6))

    out = StringIO()
    call_command("backup", stdout=out)

    assert not data_old.exists() and not keys_old.exists()
    assert data_kept.exists() and keys_kept.exists()
    assert f"Pruned {data_old}" in out.getvalue()
    assert f"Pruned {keys_old}" in out.getvalue()
    assert len(list((backup_dir / "data").iterdir())) == 2
    assert len(list((backup_dir / "keys").iterdir())) == 2


@TRANSACTIONAL_DB
def test_restore_refuses_without_the_key_file(backup_dir, settings, tmp_path):
    _people()
    data_file, keys_file = _written(backups.backup())
    settings.SOFTLANDING_KEK_FILE = tmp_path / "no-such-kek"

    with pytest.raises(CommandError, match="key-encryption key"):
        call_command("restore", data=data_file, keys=keys_file, yes=True)
    with pytest.raises(CommandError, match="key-encryption key"):
        call_command("restore", data=data_file, yes=True)


@TRANSACTIONAL_DB
def test_restore_refuses_a_key_file_that_opens_nothing(backup_dir, settings, tmp_path):
    alice, _bob = _people()
    data_file, keys_file = _written(backups.backup())
    other = tmp_path / "other-kek"
    kek.write_keks(other, [kek.new_key_line()])
    settings.SOFTLANDING_KEK_FILE = other
    erase_person(alice)

    with pytest.raises(CommandError, match="opens none of the"):
        call_command("restore", keys=keys_file, yes=True)
    with pytest.raises(CommandError, match="opens none of the"):
        call_command("restore", data=data_file, yes=True)
    # Nothing was replaced.
    assert not Person.objects.filter(pk=alice.pk).exists()


@TRANSACTIONAL_DB
def test_restore_refuses_swapped_or_foreign_files(backup_dir, tmp_path):
    _people()
    data_file, keys_file = _written(backups.backup())
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all")

    with pytest.raises(CommandError, match="not a backup of the data"):
        call_command("restore", data=keys_file, yes=True)
    with pytest.raises(CommandError, match="not a backup of the key store"):
        call_command("restore", keys=data_file, yes=True)
    with pytest.raises(CommandError, match="neither"):
        call_command("restore", data=junk, yes=True)
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", data=tmp_path / "missing.sqlite3", yes=True)
    with pytest.raises(CommandError, match="Nothing to restore"):
        call_command("restore", yes=True)


@TRANSACTIONAL_DB
def test_restore_asks_first(backup_dir, monkeypatch):
    alice, _bob = _people()
    data_file, _keys_file = _written(backups.backup())
    erase_person(alice)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", data=data_file)
    assert not Person.objects.filter(pk=alice.pk).exists()
    assert Person.objects.count() == 1
