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
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from privacy.erasure import purge_erased
from vault import crypto, kek
from vault.crypto import DecryptionError
from vault.models import DataKey, ErasedOwner
from vault.routers import KEY_STORE
from vault.services import _wrap_ad, forget_cached_keys

DATA = "default"
FOLDERS = {DATA: "data", KEY_STORE: "keys"}
DESCRIPTIONS = {DATA: "the data", KEY_STORE: "the key store"}
# A table that only the data has, and one that only the key store has: a file given for the
# wrong database is refused.
MARKER_TABLES = {DATA: "accounts_person", KEY_STORE: "vault_datakey"}
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
STAMP = "%Y%m%dT%H%M%SZ"
BACKUP_NAME = re.compile(r"^\.?(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?\.(?:sqlite3|dump)(?:\.partial)?$")
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, without any content."""


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


def _read_kek() -> dict[str, bytes]:
    try:
        _current, keks = kek.read_keks(Path(settings.SOFTLANDING_KEK_FILE))
    except kek.KeyFileError as exc:
        raise BackupError(
            f"Refusing to restore: {exc}. Without the key-encryption key nothing encrypted "
            "in a backup can be read. Put the key file back (from its own safe copy) first."
        ) from exc
    return keks


def _check_file(path: Path, alias: str) -> str:
    """The backup's format ("sqlite" or "postgresql"), once it is known to fit `alias`."""
    what = DESCRIPTIONS[alias]
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        fmt = "sqlite"
    elif head.startswith(PG_MAGIC):
        fmt = "postgresql"
    else:
        raise BackupError(f"{path} is neither a SQLite backup nor a pg_dump custom-format file.")
    vendor = _vendor(alias)
    if fmt != vendor:
        raise BackupError(f"{path} is a {fmt} backup, but {what} is kept in {vendor}.")
    marker = MARKER_TABLES[alias]
    if marker not in _tables_in(path, fmt):
        raise BackupError(
            f"{path} is not a backup of {what} (it has no {marker} table). "
            "Are --data and --keys the right way round?"
        )
    return fmt


def _tables_in(path: Path, fmt: str) -> set[str]:
    if fmt == "sqlite":
        try:
            with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as db:
                if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError(f"{path} is damaged (SQLite's quick_check failed).")
                rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return {name for (name,) in rows}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} cannot be read as a SQLite database: {exc}") from exc
    listing = _run_pg("pg_restore", None, ["--list", str(path)])
    return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing.decode(), flags=re.M))


KeyRow = tuple[int, uuid.UUID, str, bytes]


def _data_keys_in_use() -> Iterator[KeyRow]:
    rows = DataKey.objects.using(KEY_STORE).values_list("owner_id", "key_id", "kek_id", "wrapped")
    for owner_id, key_id, kek_id, wrapped in list(rows):
        yield owner_id, key_id, kek_id, bytes(wrapped)


def _data_keys_in_backup(path: Path, fmt: str) -> Iterator[KeyRow]:
    if fmt == "sqlite":
        with closing(sqlite3.connect(_read_only_uri(path), uri=True)) as db:
            rows = db.execute("SELECT owner_id, key_id, kek_id, wrapped FROM vault_datakey")
            for owner_id, key_id, kek_id, wrapped in rows:
                yield int(owner_id), uuid.UUID(str(key_id)), str(kek_id), bytes(wrapped)
        return
    # The table's rows as COPY text, read from the dump without restoring it anywhere.
    script = _run_pg(
        "pg_restore", None, ["--data-only", "--table=vault_datakey", "--file=-", str(path)]
    ).decode()
    columns: list[str] = []
    for line in script.splitlines():
        if not columns:
            match = re.match(r"COPY \S*vault_datakey \((.*)\) FROM stdin;$", line)
            if match:
                columns = [name.strip().strip('"') for name in match[1].split(",")]
            continue
        if line == "\\.":
            break
        values = dict(zip(columns, line.split("\t"), strict=True))
        wrapped = values["wrapped"]
        # bytea in COPY text is hex with its backslash escaped: \\x0a1b...
        yield (
            int(values["owner_id"]),
            uuid.UUID(values["key_id"]),
            values["kek_id"],
            bytes.fromhex(wrapped.removeprefix("\\\\x").removeprefix("\\x")),
        )


def _check_unwraps(rows: Iterable[KeyRow], keks: dict[str, bytes], where: str) -> None:
    """At least one data key must open with the key file; a store without keys passes."""
    seen = 0
    for owner_id, key_id, kek_id, wrapped in rows:
        seen += 1
        if kek_id not in keks:
            continue
        try:
            crypto.unwrap(keks[kek_id], wrapped, _wrap_ad(owner_id, key_id))
        except DecryptionError:
            continue
        return
    if seen:
        raise BackupError(
            f"Refusing to restore: the key-encryption key file {settings.SOFTLANDING_KEK_FILE} "
            f"opens none of the {seen} data keys in {where}. Is it the key file that belongs "
            "with this backup? (After rotate_kek, an older key-store backup needs the older "
            "key: add its line to the key file, restore, then run rotate_kek again.)"
        )


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


# Helpers --------------------------------------------------------------------------------------


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"backups of a {vendor} database are not supported")
    return vendor


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _pg_dump(alias: str, out: IO[bytes]) -> None:
    name = connections[alias].settings_dict["NAME"]
    _run_pg("pg_dump", alias, ["--format=custom", "--dbname", name], stdout=out)


def _run_pg(
    tool: str, alias: str | None, args: list[str], stdout: IO[bytes] | None = None
) -> bytes:
    """Run a PostgreSQL client tool against `alias` (or no server), failing with its message."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (it comes with the PostgreSQL client).")
    command = [executable]
    env = dict(os.environ)
    if alias is not None:
        _check_tool_version(executable, alias)
        params = connections[alias].settings_dict
        command.append("--no-password")
        if params.get("HOST"):
            command += ["--host", params["HOST"]]
        if params.get("PORT"):
            command += ["--port", str(params["PORT"])]
        if params.get("USER"):
            command += ["--username", params["USER"]]
        if params.get("PASSWORD"):
            env["PGPASSWORD"] = params["PASSWORD"]
    result = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        command + args,
        env=env,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise BackupError(f"{tool} failed: {message}")
    return result.stdout or b""


def _check_tool_version(executable: str, alias: str) -> None:
    """pg_dump and pg_restore must be at least as new as the server they talk to."""
    server_major = int(getattr(connections[alias], "pg_version", 0)) // 10000
    output = subprocess.run(  # noqa: S603
        [executable, "--version"], capture_output=True, check=False, text=True
    ).stdout
    match = re.search(r"\b(\d+)(?:\.\d+)?\b", output)
    tool_major = int(match[1]) if match else 0
    if tool_major < server_major:
        raise BackupError(
            f"{Path(executable).name} is version {tool_major} but the server runs PostgreSQL "
            f"{server_major}; install a client at least as new as the server."
        )
