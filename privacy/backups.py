"""Backups of the data and of the key store, and restoring them.

The two databases are written to separate folders under ``BACKUP_DIR`` and pruned on separate
clocks: the data for ``BACKUP_KEEP_DAYS``, the key store for ``KEY_BACKUP_KEEP_DAYS``. Erasing a
person destroys their data key, so once every key-store backup older than the erasure is gone,
nothing encrypted of theirs can be read from any data backup. The key-encryption key is never
written here: it has to be kept apart.

SQLite is copied with the online backup API from the live connection (a consistent snapshot,
also of an in-memory database) and restored the same way, into the live connection.
PostgreSQL uses ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --no-owner``.

Restoring refuses to start without a key file that opens the restored key store, keeps the
deletions recorded since the key-store backup was made, and removes again everyone whose
tombstone is in the key store (``purge_erased``).
"""

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from privacy.backup_tools import (
    BACKUP_NAME,
    DATA,
    FOLDERS,
    STAMP,
    SUFFIXES,
    BackupError,
    _check_file,
    _check_unwraps,
    _data_keys_in_backup,
    _data_keys_in_use,
    _pg_dump,
    _read_kek,
    _read_only_uri,
    _run_pg,
    _vendor,
)
from privacy.erasure import purge_erased
from vault.models import DataKey, ErasedOwner
from vault.routers import KEY_STORE
from vault.services import forget_cached_keys


@dataclass
class BackupReport:
    written: list[Path] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreReport:
    restored: list[tuple[str, Path]] = field(default_factory=list)
    tombstones_kept: int = 0
    keys_destroyed_again: int = 0
    purged: int = 0
    warnings: list[str] = field(default_factory=list)


# Backing up -----------------------------------------------------------------------------------


def backup(*, data: bool = True, keys: bool = True, now: dt.datetime | None = None) -> BackupReport:
    """Write a backup of each database asked for, then prune that kind's old backups.

    The data goes first: a key-store backup is then never older than the data backup made with
    it, so everyone in the data backup has their key in the key-store backup, unless they were
    erased in between (and then their tombstone is there instead).
    """
    now = now or timezone.now()
    report = BackupReport()
    for alias, wanted, keep_days in (
        (DATA, data, settings.BACKUP_KEEP_DAYS),
        (KEY_STORE, keys, settings.KEY_BACKUP_KEEP_DAYS),
    ):
        if not wanted:
            continue
        directory = backup_folder(alias)
        written = backup_database(alias, directory, now)
        report.written.append(written)
        report.pruned.extend(prune(directory, keep_days, now, keep={written}))
    return report


def backup_folder(alias: str) -> Path:
    """BACKUP_DIR/data or BACKUP_DIR/keys, created readable by the owner only."""
    root = Path(settings.BACKUP_DIR)
    directory = root / FOLDERS[alias]
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    for folder in (root, directory):
        folder.chmod(0o700)
    return directory


def backup_database(alias: str, directory: Path, now: dt.datetime) -> Path:
    """One consistent copy of a database, written under a temporary name and then renamed."""
    connection = connections[alias]
    connection.ensure_connection()
    vendor = _vendor(alias)
    stamp = now.astimezone(dt.UTC).strftime(STAMP)
    target = _free_name(directory, stamp, SUFFIXES[vendor])
    partial = directory / f".{target.name}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if vendor == "sqlite":
            os.close(fd)
            with closing(sqlite3.connect(partial)) as copy:
                connection.connection.backup(copy)
                # A self-contained file: no -wal or -shm beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
        else:
            with os.fdopen(fd, "wb") as out:
                _pg_dump(alias, out)
        partial.chmod(0o600)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _free_name(directory: Path, stamp: str, suffix: str) -> Path:
    candidate = directory / f"{stamp}{suffix}"
    counter = 0
    while candidate.exists():
        counter += 1
        candidate = directory / f"{stamp}-{counter}{suffix}"
    return candidate


def taken_at(path: Path) -> dt.datetime | None:
    """When a backup was made, from its name; None for a file that is not one of ours."""
    match = BACKUP_NAME.match(path.name)
    if match is None:
        return None
    return dt.datetime.strptime(match["stamp"], STAMP).replace(tzinfo=dt.UTC)


def prune(
    directory: Path, keep_days: int, now: dt.datetime, *, keep: Iterable[Path] = ()
) -> list[Path]:
    """Delete our backups in `directory` made more than `keep_days` ago. Files whose names
    are not ours are left alone, and so is anything in `keep` (the backup just written)."""
    if keep_days < 1:
        raise BackupError("a retention must be at least one day")
    cutoff = now - dt.timedelta(days=keep_days)
    spared = {path.resolve() for path in keep}
    pruned = []
    for entry in sorted(directory.iterdir()):
        made = taken_at(entry)
        if made is None or made >= cutoff or entry.resolve() in spared or not entry.is_file():
            continue
        entry.unlink()
        pruned.append(entry)
    return pruned


# Restoring ------------------------------------------------------------------------------------


def check_restore(*, data: Path | None = None, keys: Path | None = None) -> None:
    """Everything that can be checked before anything is replaced; raises BackupError."""
    if data is None and keys is None:
        raise BackupError("Nothing to restore: give a data backup, a key-store backup or both.")
    keks = _read_kek()
    if keys is not None:
        fmt = _check_file(keys, KEY_STORE)
        _check_unwraps(_data_keys_in_backup(keys, fmt), keks, str(keys))
    else:
        _check_unwraps(_data_keys_in_use(), keks, "the current key store")
    if data is not None:
        _check_file(data, DATA)


def restore(*, data: Path | None = None, keys: Path | None = None) -> RestoreReport:
    """Replace the key store and/or the data with backups, then remove the erased again.

    The key store goes first. Deletions recorded in the current key store since its backup was
    made are carried over (the tombstone, and the erased person's data key destroyed again), so
    that restoring an older key store never brings anyone back.
    """
    check_restore(data=data, keys=keys)
    report = RestoreReport()
    forget_cached_keys()
    if keys is not None:
        tombstones = _current_tombstones(report)
        restore_database(KEY_STORE, keys)
        report.restored.append((KEY_STORE, keys))
        report.tombstones_kept, report.keys_destroyed_again = _keep_tombstones(tombstones)
    if data is not None:
        restore_database(DATA, data)
        report.restored.append((DATA, data))
    forget_cached_keys()
    report.purged = purge_erased()
    forget_cached_keys()
    return report


def restore_database(alias: str, path: Path) -> None:
    """Replace one database with a backup file (no checks, no clean-up: see `restore`)."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    # Nothing of ours may hold a lock on what is about to be replaced. (Django ignores closing
    # an in-memory SQLite database, which would destroy it; the copy then goes into it.)
    connection.close()
    if _vendor(alias) == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as source:
            source.backup(connection.connection)
    else:
        _run_pg(
            "pg_restore",
            alias,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
        )


def describe_database(alias: str) -> str:
    """Where a database lives, for the confirmation question (no credentials)."""
    params = connections[alias].settings_dict
    if _vendor(alias) == "sqlite":
        return f"SQLite {params['NAME']}"
    return f"PostgreSQL database {params['NAME']} on {params.get('HOST') or 'the local socket'}"


def _current_tombstones(report: RestoreReport) -> list[tuple[int, uuid.UUID, dt.datetime]]:
    try:
        return list(
            ErasedOwner.objects.using(KEY_STORE).values_list("owner_id", "owner_code", "erased_at")
        )
    except DatabaseError:
        report.warnings.append(
            "The current key store could not be read, so deletions made since the key-store "
            "backup could not be carried over. Erase those people again if you know who they are."
        )
        return []


def _keep_tombstones(tombstones: list[tuple[int, uuid.UUID, dt.datetime]]) -> tuple[int, int]:
    """Put back tombstones the restored key store lacks, and destroy again every data key that
    belonged to an erased person (made before the erasure: a later key with the same owner id
    belongs to someone new)."""
    store = ErasedOwner.objects.using(KEY_STORE)
    kept = destroyed = 0
    for owner_id, owner_code, erased_at in tombstones:
        tombstone, created = store.get_or_create(owner_id=owner_id, owner_code=owner_code)
        if created:
            store.filter(pk=tombstone.pk).update(erased_at=erased_at)
            kept += 1
        gone, _ = (
            DataKey.objects.using(KEY_STORE)
            .filter(owner_id=owner_id, created_at__lte=erased_at)
            .delete()
        )
        destroyed += gone
    return kept, destroyed
