"""The one way out: every message that leaves the server (to a person's channels, to their
support contacts) goes through `deliver`, and every target it goes to through `check`.

A target is a kind (e-mail, Apprise, Web Push) and an address: an e-mail address, an Apprise
URL, or a browser's push subscription (JSON). `check` is used when a target is saved; `deliver`
checks it again (a name may resolve elsewhere by now) and answers with a `Result` whose code
comes from `lib.targets.REFUSALS`, never an exception, and never the address or the message.

An e-mail is sent as the message's `email` (text and HTML, made by lib.emails, which every
e-mail of the server goes through); a message without one is not sent by e-mail.

This module imports nothing from the apps that use it (partners, checkins, care): it is
transport only.
"""

import smtplib
from dataclasses import dataclass, field

import apprise

from lib import emails, targets
from notify import webpush

EMAIL, APPRISE, PUSH = "email", "apprise", "push"
KINDS = (EMAIL, APPRISE, PUSH)


@dataclass(frozen=True)
class Action:
    """A one-tap answer a message offers: an action on a push notification, a button in an
    e-mail (`link`, a page that asks to confirm). Its words are as discreet as the message's."""

    name: str
    label: str
    link: str = field(default="", repr=False)


@dataclass(frozen=True)
class Message:
    """What is sent: discreet words only (see notify.messages), and a link after sign-in.
    `title` and `body` for a push or another app; `email` when it goes by e-mail.
    A message may offer answers (`actions`); a push message then carries where the service
    worker posts the answer and the single-use token it posts (`answer`)."""

    title: str
    body: str
    url: str = ""
    email: emails.Email | None = None
    actions: tuple[Action, ...] = ()
    answer: dict = field(default_factory=dict, repr=False)

    def as_push(self) -> dict:
        payload: dict = {"title": self.title, "body": self.body, "url": self.url}
        if self.actions and self.answer:
            payload["actions"] = [{"action": a.name, "title": a.label} for a in self.actions]
            payload["answer"] = self.answer
        return payload


@dataclass(frozen=True)
class Target:
    kind: str
    address: str

    def __repr__(self) -> str:
        # Never the address: a target may end up in a log line or a traceback.
        return f"Target({self.kind})"


@dataclass(frozen=True)
class Result:
    """Sent (code ""), or not sent for one of the REFUSALS."""

    code: str = ""

    @property
    def sent(self) -> bool:
        return not self.code

    @property
    def permanent(self) -> bool:
        """This target will not work again as it is: stop using it."""
        return bool(self.code) and self.code not in targets.TEMPORARY

    @property
    def reason(self) -> str:
        return str(targets.Refused(self.code)) if self.code else ""


def check(target: Target) -> Target:
    """The target as it is kept (stripped, reduced to what we use); targets.Refused if we
    may not send there."""
    if target.kind == EMAIL:
        return Target(EMAIL, targets.check_email(target.address))
    if target.kind == APPRISE:
        return Target(APPRISE, targets.check(target.address))
    if target.kind == PUSH:
        return Target(PUSH, webpush.read_subscription(target.address))
    raise targets.Refused("unsupported")


def deliver(target: Target, message: Message) -> Result:
    """Send one message to one target, now."""
    try:
        if target.kind == EMAIL:
            _send_email(target.address, message)
        elif target.kind == APPRISE:
            _send_apprise(target.address, message)
        elif target.kind == PUSH:
            webpush.send_push(target.address, message.as_push())
        else:
            raise targets.Refused("unsupported")
    except targets.Refused as refused:
        return Result(refused.code)
    except Exception:
        # Only our own reasons are kept: anything else may quote an address.
        return Result("failed")
    return Result()


def _send_email(address: str, message: Message) -> None:
    if message.email is None:
        raise targets.Refused("unsupported")
    try:
        emails.send(message.email, address)
    except smtplib.SMTPRecipientsRefused:
        raise targets.Refused("address-refused") from None
    except (TimeoutError, smtplib.SMTPException, OSError):
        raise targets.Refused("mail-unreachable") from None


def _send_apprise(url: str, message: Message) -> None:
    # Checked again now: the name may resolve somewhere else than when it was saved.
    targets.check(url)
    sender = apprise.Apprise()
    sender.add(url)
    targets.harden(sender)
    if not sender.notify(title=message.title, body=message.body):
        raise targets.Refused("not-accepted")
