"""Backups on a schedule, written by the housekeeping process, and how old the last one is.

``BACKUP_SCHEDULE`` is ``off`` (an operator runs ``manage.py backup`` from cron or a timer),
``hourly`` or ``daily``. Each housekeeping pass asks whether a backup is due: it is when the
newest data backup in ``BACKUP_DIR`` is older than the interval (or there is none). Reading the
folder rather than remembering a time means a restart, or a backup made by hand, counts too.
"""

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from privacy.backup_tools import DATA, FOLDERS
from privacy.backups import backup, taken_at
from vault.routers import KEY_STORE

log = logging.getLogger(__name__)

INTERVALS = {"hourly": dt.timedelta(hours=1), "daily": dt.timedelta(days=1)}
# A pass runs every hour: a backup may come up to that much after its time, and one made a
# few minutes early (an hourly pass that ran a little sooner) still counts.
SLACK = dt.timedelta(minutes=10)


def last_backup_at(alias: str = DATA) -> dt.datetime | None:
    """When the newest backup of `alias` in BACKUP_DIR was made; None if there is none."""
    directory = Path(settings.BACKUP_DIR) / FOLDERS[alias]
    try:
        entries = list(directory.iterdir())
    except OSError:  # no folder yet, or one we may not read: no backup we can vouch for
        return None
    made = [
        taken_at(entry)
        for entry in entries
        if not entry.name.startswith(".") and entry.is_file()  # a .partial is not a backup
    ]
    return max((when for when in made if when is not None), default=None)


def backup_age_seconds(alias: str = DATA, now: dt.datetime | None = None) -> int | None:
    made = last_backup_at(alias)
    if made is None:
        return None
    return max(0, int(((now or timezone.now()) - made).total_seconds()))


def backup_state(now: dt.datetime | None = None) -> tuple[str, int | None]:
    """("off" | "ok" | "late" | "never", age in seconds of the last data backup).

    "late" means a scheduled backup is more than twice its interval old: the schedule is on
    but backups are not being written (a full disk, a missing pg_dump)."""
    age = backup_age_seconds(DATA, now)
    interval = INTERVALS.get(settings.BACKUP_SCHEDULE)
    if interval is None:
        return "off", age
    if age is None:
        return "never", None
    return ("ok" if age <= 2 * interval.total_seconds() else "late"), age


def backup_if_due(now: dt.datetime | None = None) -> int:
    """Write a backup of the data and the key store if the schedule says one is due.

    How many files were written (0 when the schedule is off or nothing is due)."""
    interval = INTERVALS.get(settings.BACKUP_SCHEDULE)
    if interval is None:
        return 0
    now = now or timezone.now()
    newest = [last_backup_at(alias) for alias in (DATA, KEY_STORE)]
    if all(made is not None and now - made < interval - SLACK for made in newest):
        return 0
    report = backup(now=now)
    log.info("scheduled backup: %d written, %d pruned", len(report.written), len(report.pruned))
    return len(report.written)
