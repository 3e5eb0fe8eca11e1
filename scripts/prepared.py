#!/usr/bin/env python3
"""Whether `make run` may skip softlanding/prepare.py altogether: `check` exits 0 when nothing
it looks at changed since `write` recorded it after the last preparation.

Importing the project costs seconds; this reads a few file times and the local SQLite databases'
migration records with the standard library only. It looks at: the lock file, the settings, every
migration file and static file of ours, the secrets, the collected files' manifest, the
variables that choose where things are, and how many migrations each database has recorded (a
restored older backup has fewer). Anything missing or unreadable, or another database than the
local SQLite one, means "prepare again": prepare.py then asks the databases themselves.
"""

import hashlib
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
WHERE = (
    "SOFTLANDING_DATA_DIR",
    "STATIC_ROOT",
    "DEBUG",
    "SOFTLANDING_KEK_FILE",
    "VAPID_PRIVATE_KEY_FILE",
)
OTHER_DATABASE = (
    "DATABASE_URL",
    "DATABASE_URL_FILE",
    "KEYS_DATABASE_URL",
    "KEYS_DATABASE_URL_FILE",
)


def _from_base(name: str, default: Path) -> Path:
    # The same rule as settings.py: a relative path is from the checkout.
    return BASE / os.environ.get(name, str(default))


def _files(data: Path) -> list[Path]:
    static_root = Path(os.environ.get("STATIC_ROOT", str(BASE / "staticfiles")))
    files = [
        BASE / "uv.lock",
        BASE / "pyproject.toml",
        BASE / "softlanding" / "settings.py",
        _from_base("SOFTLANDING_KEK_FILE", data / "kek"),
        _from_base("VAPID_PRIVATE_KEY_FILE", data / "vapid_private.pem"),
        static_root / "staticfiles.json",
    ]
    if not os.environ.get("SECRET_KEY"):
        files.append(data / "secret_key")
    files += sorted(BASE.glob("*/migrations/*.py"))
    for folder in [BASE / "static", *sorted(BASE.glob("*/static"))]:
        files += sorted(path for path in folder.rglob("*") if path.is_file())
    return files


def fingerprint() -> str | None:
    if any(os.environ.get(name) for name in OTHER_DATABASE):
        return None
    data = BASE / os.environ.get("SOFTLANDING_DATA_DIR", "data")
    digest = hashlib.sha256()
    for name in WHERE:
        digest.update(f"{name}={os.environ.get(name, '')}\n".encode())
    try:
        for path in _files(data):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        for name in ("softlanding.sqlite3", "keys.sqlite3"):
            database = data / name
            if not database.is_file():
                return None
            uri = f"{database.resolve().as_uri()}?mode=ro"
            with closing(sqlite3.connect(uri, uri=True, timeout=5)) as db:
                recorded = db.execute("SELECT count(*), max(id) FROM django_migrations").fetchone()
            digest.update(f"{name}\0{recorded}\n".encode())
    except (OSError, sqlite3.Error):
        return None
    return digest.hexdigest()


def stamp() -> Path:
    return BASE / os.environ.get("SOFTLANDING_DATA_DIR", "data") / "prepared.stamp"


def main(action: str) -> int:
    if action == "check":
        current = fingerprint()
        try:
            return 0 if current is not None and stamp().read_text() == current else 1
        except OSError:
            return 1
    if action == "write":
        current = fingerprint()
        if current is None:
            stamp().unlink(missing_ok=True)
        else:
            stamp().write_text(current)
        return 0
    print("usage: prepared.py check|write", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
