"""`manage.py status`: the instance at a glance, in numbers (softlanding/operators.py)."""

from django.core.management.base import BaseCommand

from softlanding import operators


def _ago(seconds: int | None) -> str:
    if seconds is None:
        return "never"
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


class Command(BaseCommand):
    help = "People, the dispatcher, deliveries, the task queue and backups, as numbers only."

    def handle(self, *args, **options):
        s = operators.summary()
        lines = [
            ("People", f"{s.people} ({s.people_active} active)"),
            ("Dispatcher last seen", _ago(s.dispatcher_seen_seconds_ago)),
            (
                "Follow-ups due",
                f"{s.followups_due} ({s.followups_late} late"
                + (
                    f", oldest due {_ago(s.oldest_due_seconds)})"
                    if s.oldest_due_seconds is not None
                    else ")"
                ),
            ),
            ("Failed deliveries (24 h)", str(s.deliveries_failed_last_day)),
            ("Tasks waiting", str(s.tasks_waiting)),
            ("Backups", s.backup),
            ("Last data backup", _ago(s.data_backup_seconds_ago)),
            ("Last key-store backup", _ago(s.keys_backup_seconds_ago)),
        ]
        width = max(len(name) for name, _value in lines)
        for name, value in lines:
            self.stdout.write(f"{name.ljust(width)}  {value}")
