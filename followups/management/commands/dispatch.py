import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from followups.dispatcher import BATCH, LEASE, Dispatcher


class Command(BaseCommand):
    help = "Deliver due follow-ups. Run as many as you like against PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="follow-ups per claim")
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks")
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="seconds a claimed batch stays this worker's before another may take it over",
        )
        parser.add_argument(
            "--until-idle", action="store_true", help="stop when nothing is due (for scripts)"
        )

    def handle(self, *args, batch, poll, lease, until_idle, **options):
        if lease <= 0:
            raise CommandError("--lease must be more than 0 seconds")
        dispatcher = Dispatcher(batch=batch, poll=poll, lease=dt.timedelta(seconds=lease))
        sent = dispatcher.run(until_idle=until_idle)
        if until_idle:
            self.stdout.write(f"sent {sent}")
