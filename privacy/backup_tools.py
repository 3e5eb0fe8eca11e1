"""The tools under privacy/backups.py: checking a backup file, reading the data keys in it,
and running PostgreSQL's client programs."""

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connections

from vault import crypto, kek
from vault.crypto import DecryptionError
from vault.models import DataKey
from vault.routers import KEY_STORE
from vault.services import _wrap_ad


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, without any content."""


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
