from django.core.management.base import BaseCommand

from vault.services import rotate_kek


class Command(BaseCommand):
    help = "Re-wrap every data key under a new key-encryption key (the key file is rewritten)."

    def handle(self, *args, **options):
        new_id, count = rotate_kek()
        self.stdout.write(f"Re-wrapped {count} data keys under key {new_id}.")
