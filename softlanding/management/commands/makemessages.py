"""`makemessages` that also collects the words kept in data files.

Country names (accounts/countries.json) and the hours of crisis lines (care/crisis_lines.json)
are shown translated but live in JSON, which xgettext cannot read. Before the usual run this
command writes each data file's strings as `pgettext` calls into a small Python file under
`.data-messages/`, named after its source, so that they land in the same catalogue with a
context that tells translators what they are; the folder is removed afterwards.
"""

import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages

from accounts.countries import COUNTRY_CONTEXT
from care.crisis import HOURS_CONTEXT

DATA_FOLDER = Path(".data-messages")


def _read(path: str) -> dict:
    return json.loads(Path(settings.BASE_DIR, path).read_text(encoding="utf-8"))


def _country_names() -> list[str]:
    data = _read("accounts/countries.json")
    return list(data["countries"].values())


def _crisis_hours() -> list[str]:
    data = _read("care/crisis_lines.json")
    hours = {line["hours"] for entry in data["countries"].values() for line in entry["lines"]}
    return sorted(hour for hour in hours if hour)


def _as_python(context: str, words: list[str], source: str) -> str:
    lines = [f"# Strings from {source}, for translation only; never imported."]
    for word in words:
        lines.append(f"pgettext({context!r}, {word!r})")
    return "\n".join(lines) + "\n"


class Command(makemessages.Command):
    def find_files(self, root):
        found = super().find_files(root)
        if self.domain != "django":
            return found
        DATA_FOLDER.mkdir(exist_ok=True)
        locale_dir = str(Path(settings.LOCALE_PATHS[0]).resolve())
        for name, context, words, source in (
            ("countries.py", COUNTRY_CONTEXT, _country_names(), "accounts/countries.json"),
            ("crisis_hours.py", HOURS_CONTEXT, _crisis_hours(), "care/crisis_lines.json"),
        ):
            (DATA_FOLDER / name).write_text(_as_python(context, words, source), encoding="utf-8")
            found.append(self.translatable_file_class(str(DATA_FOLDER), name, locale_dir))
        return sorted(found)

    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        finally:
            shutil.rmtree(DATA_FOLDER, ignore_errors=True)
