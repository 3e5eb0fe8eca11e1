"""A second `make run` skips what has nothing to do: no migration pending, static files as they
were collected (softlanding/prepare.py)."""

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from django.conf import settings

from softlanding import prepare
from softlanding.testing import DB

pytestmark = DB


def test_a_migrated_database_has_nothing_pending():
    assert prepare.pending_migrations("default") == 0
    assert prepare.pending_migrations("keys") == 0


def test_the_static_fingerprint_changes_with_any_source_file_and_only_then(settings, tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    sheet = source / "css" / "extra.css"
    sheet.write_text("body { margin: 0 }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.DATA_DIR = tmp_path
    first = prepare.static_fingerprint()
    assert prepare.static_fingerprint() == first
    assert not prepare.static_is_current(first)  # never collected here

    (tmp_path / "collected").mkdir()
    (tmp_path / "collected" / "staticfiles.json").write_text("{}")
    prepare.static_stamp().write_text(first)
    assert prepare.static_is_current(first)

    stat = sheet.stat()
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert prepare.static_fingerprint() != first


PREPARED = Path(settings.BASE_DIR, "scripts", "prepared.py")


def prepared(action: str, **env: str) -> int:
    clean = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    return subprocess.run(
        [sys.executable, str(PREPARED), action], env={**clean, **env}, check=False, timeout=30
    ).returncode


def test_a_second_start_skips_preparing_until_something_it_depends_on_changes(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("secret_key", "kek", "vapid_private.pem"):
        (data / name).write_text("x")
    for name in ("softlanding.sqlite3", "keys.sqlite3"):
        with closing(sqlite3.connect(data / name)) as db:
            db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
            db.execute("INSERT INTO django_migrations (name) VALUES ('0001_initial')")
            db.commit()
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text("{}")
    env = {"SOFTLANDING_DATA_DIR": str(data), "STATIC_ROOT": str(tmp_path / "static")}

    assert prepared("check", **env) == 1  # never prepared
    assert prepared("write", **env) == 0
    assert prepared("check", **env) == 0  # nothing changed: skip
    # Another database: always ask it.
    assert prepared("check", DATABASE_URL="postgres://db/soft", **env) == 1
    # A restored older backup, or a migration applied elsewhere: prepare again.
    with closing(sqlite3.connect(data / "keys.sqlite3")) as db:
        db.execute("DELETE FROM django_migrations")
        db.commit()
    assert prepared("check", **env) == 1
    prepared("write", **env)
    (tmp_path / "static" / "staticfiles.json").unlink()
    assert prepared("check", **env) == 1
