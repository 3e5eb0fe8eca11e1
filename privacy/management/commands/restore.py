"""`manage.py restore --data FILE --keys FILE`: put backups back, and keep deletions deleted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from privacy import backup_tools, backups
from vault.routers import KEY_STORE


class Command(BaseCommand):
    help = (
        "Replace the data and/or the key store with backups written by `manage.py backup`. "
        "Refuses without a key-encryption key that opens the key store. Afterwards, everyone "
        "who was deleted is removed again. Stop the web server and the workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, help="A data backup (BACKUP_DIR/data/...).")
        parser.add_argument("--keys", type=Path, help="A key-store backup (BACKUP_DIR/keys/...).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, data=None, keys=None, yes=False, **options):
        try:
            backups.check_restore(data=data, keys=keys)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not yes and not self._confirmed(data, keys):
            raise CommandError("Nothing was restored.")
        try:
            report = backups.restore(data=data, keys=keys)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for alias, path in report.restored:
            self.stdout.write(f"Restored {backup_tools.DESCRIPTIONS[alias]} from {path}")
        if keys is not None:
            self.stdout.write(
                f"Deletions made since that key-store backup kept: {report.tombstones_kept} "
                f"(data keys destroyed again: {report.keys_destroyed_again})."
            )
        self.stdout.write(f"Erased people removed again: {report.purged}")
        for warning in report.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            "If the backup was made by an older version, run `manage.py migrate` and "
            "`manage.py migrate --database keys` before starting the server."
        )

    def _confirmed(self, data: Path | None, keys: Path | None) -> bool:
        lines = ["This replaces, losing everything written since the backup was made:"]
        if keys is not None:
            lines.append(f"  {backups.describe_database(KEY_STORE)} with {keys}")
        if data is not None:
            lines.append(f"  {backups.describe_database(backups.DATA)} with {data}")
        lines.append("Stop the web server and the workers first. Type 'yes' to continue: ")
        try:
            answer = input("\n".join(lines))
        except EOFError:
            return False
        return answer.strip().lower() == "yes"
