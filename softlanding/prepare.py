"""Everything `make run` does before the server starts, in one process, skipping what has
nothing to do: the data folder's secrets (softlanding/bootstrap.py), migrations of the data and
of the key store, the cache table, and the static files.

Starting Django once instead of five times, and asking before doing, is what makes a second
start quick: with no migration pending and no static file changed, this takes about as long as
importing the project.
"""

import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "softlanding.settings")

import django
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from softlanding import bootstrap


def pending_migrations(alias: str) -> int:
    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def static_fingerprint() -> str:
    """What collectstatic would read: every source file's path, size and time, and where the
    files go. Any change (a new icon, an edited script, another STATIC_ROOT) changes it."""
    digest = hashlib.sha256(f"{settings.STATIC_ROOT}\n{settings.STORAGES}\n".encode())
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def static_stamp() -> Path:
    # Beside the secrets rather than in STATIC_ROOT, where the server would serve it.
    return Path(settings.DATA_DIR) / "static.stamp"


def static_is_current(fingerprint: str) -> bool:
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    stamp = static_stamp()
    return manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint


def main() -> None:
    bootstrap.main(Path(os.environ.get("SOFTLANDING_DATA_DIR", "data")))
    django.setup()
    for alias in ("default", "keys"):
        if pending_migrations(alias):
            call_command("migrate", database=alias, interactive=False, verbosity=1)
    call_command("createcachetable")  # looks before it creates: nothing to do once it exists
    fingerprint = static_fingerprint()
    if not static_is_current(fingerprint):
        print("Collecting the static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        static_stamp().write_text(fingerprint)


if __name__ == "__main__":
    main()
