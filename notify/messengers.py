"""A messenger from a few plain fields: the Apprise URL is written here, on the server, so
that nobody has to learn its syntax. Each field is checked for its shape and named in the
error; where the URL may send is then decided by the one target check (notify.outbound).

The patterns are also the API's (notify/api.py), so a client sees the same rules."""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TOPIC = r"^[A-Za-z0-9_-]{1,64}$"
PHONE = r"^\+[1-9][0-9]{6,14}$"
MATRIX_ROOM = r"^[#!][^\s:/]{1,255}:[A-Za-z0-9.\-]+(:[0-9]{1,5})?$"
TELEGRAM_TOKEN = r"^[0-9]{5,12}:[A-Za-z0-9_-]{30,64}$"
TELEGRAM_CHAT = r"^(-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32})$"
_HOSTNAME = re.compile(r"[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")
# What people paste around a phone number: spaces, dashes, dots, brackets.
_PHONE_DECORATION = re.compile(r"[\s\-.()/]")


@dataclass(frozen=True)
class Messenger:
    key: str
    name: str
    # Where a refusal of the built URL is shown: the field that names where it goes.
    refused_on: str


NTFY = Messenger("ntfy", "ntfy", "server")
SIGNAL = Messenger("signal", "Signal", "server")
MATRIX = Messenger("matrix", "Matrix", "homeserver")
TELEGRAM = Messenger("telegram", "Telegram", "bot_token")
MESSENGERS = {m.key: m for m in (NTFY, SIGNAL, MATRIX, TELEGRAM)}


class _Reader:
    """The fields of one messenger, read one by one; every field that needs another look is
    named at once, not only the first."""

    def __init__(self, fields: dict) -> None:
        self.fields = fields
        self.errors: dict[str, ValidationError] = {}

    def fail(self, name: str, message: Promise) -> str:
        self.errors.setdefault(name, ValidationError(str(message), code="invalid"))
        return ""

    def optional(self, name: str) -> str:
        return str(self.fields.get(name) or "").strip()

    def required(self, name: str) -> str:
        return self.optional(name) or self.fail(name, _("Please fill this in."))

    def matching(self, name: str, pattern: str, message: Promise, *, tidy=None) -> str:
        value = self.required(name)
        if value and tidy is not None:
            value = tidy(value)
        if value and not re.fullmatch(pattern, value):
            return self.fail(name, message)
        return value

    def phone(self, name: str) -> str:
        return self.matching(
            name,
            PHONE,
            _("Please write the number with its country code, like +44 7700 900123."),
            tidy=lambda value: _PHONE_DECORATION.sub("", value),
        )

    def server(self, name: str) -> tuple[str, str]:
        """("s" for https or "" for http, "host[:port]") from what a person types as a
        server: "ntfy.example.org", "https://ntfy.example.org", "http://192.168.1.20:8080"."""
        text = self.required(name)
        if not text:
            return "", ""
        if "://" not in text:
            text = "https://" + text
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            parts, port = None, None
        host = ""
        if parts is not None:
            host = parts.netloc.rsplit(":", 1)[0] if port else parts.netloc
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or "@" in parts.netloc
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or not _HOSTNAME.fullmatch(host)
        ):
            self.fail(
                name,
                _(
                    "Please give the server's address, like https://ntfy.example.org "
                    "(no path after it)."
                ),
            )
            return "", ""
        return ("s" if parts.scheme == "https" else ""), host + (f":{port}" if port else "")


def _ntfy(read: _Reader) -> str:
    secure, server = read.server("server")
    topic = read.matching(
        "topic",
        TOPIC,
        _("A topic is one word of letters, digits, - or _ (up to 64), like soft-7f3a9c."),
    )
    return f"ntfy{secure}://{server}/{topic}"


def _signal(read: _Reader) -> str:
    secure, server = read.server("server")
    sender, recipient = read.phone("from_number"), read.phone("to_number")
    return f"signal{secure}://{server}/{quote(sender)}/{quote(recipient)}"


def _matrix(read: _Reader) -> str:
    secure, server = read.server("homeserver")
    user = read.optional("user")
    secret = read.required("password_or_token")
    room = read.matching(
        "room",
        MATRIX_ROOM,
        _("Please give the room as #name:server or !id:server, as Matrix shows it."),
    )
    who = f"{quote(user, safe='')}:{quote(secret, safe='')}" if user else quote(secret, safe="")
    return f"matrix{secure}://{who}@{server}/{quote(room, safe='')}"


def _telegram(read: _Reader) -> str:
    token = read.matching(
        "bot_token",
        TELEGRAM_TOKEN,
        _("A bot token looks like 123456789:AAE… — BotFather gives it to you."),
    )
    chat = read.matching(
        "chat_id",
        TELEGRAM_CHAT,
        _("A chat id is a number (it may start with -), or a channel's @name."),
    )
    return f"tgram://{token}/{quote(chat)}"


_BUILDERS = {"ntfy": _ntfy, "signal": _signal, "matrix": _matrix, "telegram": _telegram}


def apprise_url(service: str, fields: dict) -> str:
    """The Apprise URL for one messenger from its fields; ValidationError naming each field
    that needs another look."""
    if service not in _BUILDERS:
        raise ValidationError(
            {"service": ValidationError(_("Please choose ntfy, Signal, Matrix or Telegram."))}
        )
    read = _Reader(fields)
    url = _BUILDERS[service](read)
    if read.errors:
        raise ValidationError(dict(read.errors))
    return url
