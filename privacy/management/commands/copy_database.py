"""Copy this instance's data and key store into other databases, e.g. from SQLite to
PostgreSQL. Stop the web server and every worker first; see docs/deploy.md."""

from django.core.management.base import BaseCommand, CommandError

from privacy.database_copy import CopyError, copy_instance


class Command(BaseCommand):
    help = (
        "Copy every row of the data and the key store, as stored (nothing decrypted), into "
        "new, migrated, empty databases. Stop the web server and the workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, help="The new DATABASE_URL.")
        parser.add_argument(
            "--to-keys", help="The new KEYS_DATABASE_URL (default: --to's name plus _keys)."
        )

    def handle(self, *args, to: str, to_keys: str | None = None, **options):
        keys_url = to_keys or to.rstrip("/") + "_keys"

        def report(label: str, copied: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{label}: {copied}")

        try:
            total = copy_instance(to, keys_url, report)
        except CopyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Copied {total} rows. Point DATABASE_URL and KEYS_DATABASE_URL at")
        self.stdout.write("the new databases, run `manage.py createcachetable`, then start.")
