"""Periodic clean-up that keeps our retention promises: guest answers go after 30 days,
encounters and check-ins after the months a person chose, downloads and one-time
submission keys after a day. With BACKUP_SCHEDULE on, it also writes the backups.

`scripts/run` starts it beside the web server and the task worker; `--once` runs one pass
(for cron, or a test).
"""

import logging
import time

from django.core.management.base import BaseCommand

from accounts import submissions
from partners.guests import purge
from privacy.backup_schedule import backup_if_due
from privacy.erasure import purge_erased
from privacy.export import purge_expired
from privacy.retention import apply_retention

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Delete what our retention promises say must go (run continuously, or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--every", type=int, default=3600, help="Seconds between passes.")

    def handle(self, *args, once=False, every=3600, **options):
        steps = [
            ("expired guest rows", purge),
            # People erased but back from a restored data backup (their tombstone is kept).
            ("erased people removed again", purge_erased),
            ("old entries (retention)", apply_retention),
            ("expired downloads", purge_expired),
            ("expired submission keys", submissions.purge_expired),
            # Last: a backup then holds none of what the steps above just deleted.
            ("files of a scheduled backup", backup_if_due),
        ]
        while True:
            for name, step in steps:
                # One failing step must not stop the others, nor the server beside it.
                try:
                    log.info("housekeeping: %d %s", step(), name)
                except Exception:
                    log.exception("housekeeping: %s failed; trying again next pass", name)
            if once:
                return
            time.sleep(every)
