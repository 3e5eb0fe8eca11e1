"""`makemessages` with the project's own defaults, and the words kept in data files.

`make messages` and the catalogue test run this same command, so they collect the same strings:
every source folder except tests, tools and generated files; references by file only (a line
number would change the catalogue on every edit); no obsolete entries kept.

Country names (accounts/countries.json) and the hours of crisis lines (care/crisis_lines.json)
are shown translated but live in JSON, which xgettext cannot read. Before the usual run this
command writes each data file's strings as `pgettext` calls into a small Python file under
`.data-messages/`, so that they land in the same catalogue with a context that tells
translators what they are; the folder is removed afterwards.
"""

import json
import os
import shutil
from pathlib import Path

from django.core.management.commands import makemessages

from accounts.countries import COUNTRY_CONTEXT, SOURCE_NAMES
from care.crisis import BUILT_IN, HOURS_CONTEXT

DATA_FOLDER = Path(".data-messages")
NOT_SOURCE = [".venv", ".tools", "tests", "bench", "scripts", "staticfiles", ".test-data*"]


def _crisis_hours() -> list[str]:
    # The built-in file only: an operator's own lines are not ours to translate.
    data = json.loads(BUILT_IN.read_text(encoding="utf-8"))
    hours = {line["hours"] for entry in data["countries"].values() for line in entry["lines"]}
    return sorted(hour for hour in hours if hour)


def _as_python(context: str, words: list[str], source: str) -> str:
    lines = [f"# Strings from {source}, for translation only; never imported."]
    lines += [f"pgettext({context!r}, {word!r})" for word in words]
    return "\n".join(lines) + "\n"


class Command(makemessages.Command):
    def find_files(self, root):
        found = super().find_files(root)
        if self.domain != "django":
            return found
        DATA_FOLDER.mkdir(exist_ok=True)
        # The catalogue folder of the tree being read (the command runs from its root).
        locale_dir = os.path.abspath("locale")  # as the walk above names it
        for name, context, words, source in (
            (
                "countries.py",
                COUNTRY_CONTEXT,
                list(SOURCE_NAMES.values()),
                "accounts/countries.json",
            ),
            ("crisis_hours.py", HOURS_CONTEXT, _crisis_hours(), "care/crisis_lines.json"),
        ):
            (DATA_FOLDER / name).write_text(_as_python(context, words, source), encoding="utf-8")
            found.append(self.translatable_file_class(str(DATA_FOLDER), name, locale_dir))
        return sorted(found)

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *NOT_SOURCE]
        options["no_obsolete"] = True
        options["add_location"] = options["add_location"] or "file"
        try:
            super().handle(*args, **options)
        finally:
            shutil.rmtree(DATA_FOLDER, ignore_errors=True)
