"""Periodic clean-up that keeps our retention promises: guest answers go after 30 days.

`scripts/run` starts it beside the web server and the task worker; `--once` runs one pass
(for cron, or a test).
"""

import logging
import time

from django.core.management.base import BaseCommand

from partners.guests import purge

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Delete what our retention promises say must go (run continuously, or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--every", type=int, default=3600, help="Seconds between passes.")

    def handle(self, *args, once=False, every=3600, **options):
        while True:
            deleted = purge()
            log.info("housekeeping: %d expired guest rows deleted", deleted)
            if once:
                return
            time.sleep(every)
