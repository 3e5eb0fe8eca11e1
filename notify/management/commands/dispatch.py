from django.core.management.base import BaseCommand

from notify.dispatcher import BATCH, Dispatcher


class Command(BaseCommand):
    help = "Deliver due follow-ups. Run as many as you like against PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="follow-ups per claim")
        parser.add_argument("--poll", type=float, default=0.5, help="seconds between looks")
        parser.add_argument(
            "--until-idle", action="store_true", help="stop when nothing is due (for scripts)"
        )

    def handle(self, *args, batch, poll, until_idle, **options):
        sent = Dispatcher(batch=batch, poll=poll).run(until_idle=until_idle)
        if until_idle:
            self.stdout.write(f"sent {sent}")
