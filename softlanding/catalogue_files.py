"""Reading the translation catalogues (`locale/<code>/LC_MESSAGES/django.po`) as data.

For the checks that keep them whole (softlanding/tests/test_catalogues.py) and the browser walk
that looks for English left on a translated page. A small reader of the format xgettext and
msgmerge write, so the checks need neither gettext nor another dependency.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# What a translation must carry over unchanged: %(name)s, %s, {name}, and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


@dataclass
class Message:
    context: str = ""
    msgid: str = ""
    plural: str = ""
    translations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def catalogue_path(language: str) -> Path:
    return Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")


def translated_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def read(path: Path) -> list[Message]:
    """The messages of a .po file, the header (msgid "") first; obsolete entries left out."""
    messages: list[Message] = []
    current = Message()
    last: str | None = None  # the keyword the next continuation line belongs to
    started = False

    def finish() -> None:
        nonlocal current, started
        if started:
            messages.append(current)
        current, started = Message(), False

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
            last = None
        elif line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(current, last, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            started = True
            last = keyword
            if keyword.startswith("msgstr"):
                current.translations.append("")
            _append(current, keyword, ast.literal_eval(rest))
    finish()
    return messages


def _append(message: Message, keyword: str | None, text: str) -> None:
    if keyword == "msgctxt":
        message.context += text
    elif keyword == "msgid":
        message.msgid += text
    elif keyword == "msgid_plural":
        message.plural += text
    elif keyword and keyword.startswith("msgstr"):
        message.translations[-1] += text


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def tags(text: str) -> list[str]:
    return sorted(TAG.findall(text))
