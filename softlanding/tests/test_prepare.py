"""A second `make run` skips what has nothing to do: no migration pending, static files as they
were collected (softlanding/prepare.py)."""

import os

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
