"""`manage.py accounts list|disable|enable|delete`: an operator's view of the accounts.

Ids, addresses, dates and counts only (softlanding/operators.py): nothing anyone wrote, not
even the name they go by.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts import services as accounts
from privacy.erasure import erase_person
from softlanding import operators

COLUMNS = (
    "id",
    "e-mail",
    "created",
    "last seen",
    "state",
    "encounters",
    "check-ins",
    "connections",
    "channels",
)


def _day(when) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else "never"


class Command(BaseCommand):
    help = (
        "List accounts (ids, addresses, dates and counts; never what anyone wrote), pause one "
        "(disable: signed out at once, cannot sign in; enable undoes it) or delete one for good."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="Every account, oldest first.")
        listing.add_argument("--disabled", action="store_true", help="Only disabled accounts.")
        for name, what in (
            ("disable", "Sign the person out everywhere and stop them signing in."),
            ("enable", "Let a disabled person sign in again."),
            ("delete", "Erase the person and everything of theirs, for good."),
        ):
            action = actions.add_parser(name, help=what)
            action.add_argument("person", help="The account's id or e-mail address.")
            if name == "delete":
                action.add_argument(
                    "--yes", action="store_true", help="Do not ask before deleting."
                )

    def handle(self, *args, action, **options):
        if action == "list":
            return self.list(disabled=options["disabled"])
        person = operators.find_person(options["person"])
        if person is None:
            raise CommandError(f"No account {options['person']!r}.")
        if action == "delete":
            if not options["yes"] and not self.confirmed(person):
                raise CommandError("Nothing was deleted.")
            erase_person(person)
            self.stdout.write(f"Account {person.pk} and everything of it are deleted.")
            return
        accounts.set_active(person, action == "enable")
        state = "enabled" if action == "enable" else "disabled and signed out everywhere"
        self.stdout.write(f"Account {person.pk} is {state}.")

    def confirmed(self, person) -> bool:
        answer = input(
            f"Delete account {person.pk} ({person.email}) and everything of it, for good? "
            "Type 'delete' to go on: "
        )
        return answer.strip().lower() == "delete"

    def list(self, *, disabled: bool) -> None:
        rows = operators.account_rows()
        if disabled:
            rows = [row for row in rows if not row.active]
        table = [COLUMNS] + [
            (
                str(row.id),
                row.email,
                _day(row.created),
                _day(row.last_seen),
                ("active" if row.active else "disabled") + (", staff" if row.staff else ""),
                str(row.encounters),
                str(row.checkins),
                str(row.connections),
                str(row.channels),
            )
            for row in rows
        ]
        widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
        for line in table:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            )
        self.stdout.write(f"{len(rows)} account(s).")
