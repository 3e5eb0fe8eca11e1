from django.core.management.base import BaseCommand

from partners.guests import purge


class Command(BaseCommand):
    help = "Delete guest links and their answers older than 30 days (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {purge()} guest rows.")
