"""`manage.py backup`: the data and the key store, each into its own folder of BACKUP_DIR."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy import backups


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the data and, separately, of the key store into "
        "BACKUP_DIR, then delete backups older than BACKUP_KEEP_DAYS (data) and "
        "KEY_BACKUP_KEEP_DAYS (key store). The key-encryption key is never included."
    )

    def add_arguments(self, parser):
        only = parser.add_mutually_exclusive_group()
        only.add_argument("--data-only", action="store_true", help="Back up the data only.")
        only.add_argument("--keys-only", action="store_true", help="Back up the key store only.")

    def handle(self, *args, data_only=False, keys_only=False, **options):
        try:
            report = backups.backup(data=not keys_only, keys=not data_only)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        for path in report.written:
            self.stdout.write(f"Wrote {path}")
        for path in report.pruned:
            self.stdout.write(f"Pruned {path}")
        if not report.pruned:
            self.stdout.write(
                f"Nothing to prune (data kept {settings.BACKUP_KEEP_DAYS} days, "
                f"key store {settings.KEY_BACKUP_KEEP_DAYS} days)."
            )
