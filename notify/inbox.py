"""The inbox, inside the app after sign-in: warmer words than what leaves the server, and
where each notification leads.

Notify is transport: it knows the kinds of notification, not what they are about. The app
that owns each kind says, through `register`, what its line says and where it leads (in its
receivers, loaded by its app config)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from notify.models import Notification


@dataclass(frozen=True)
class InboxKind:
    # The words of a line for its viewer; None when what it was about is gone.
    text: Callable[[Notification, object], str | None]
    # The page it leads to; None to go back to the inbox.
    follow: Callable[[object, Notification], HttpResponse | None]
    # What `text` reads, loaded for a whole page of lines at once.
    prefetch: tuple[str | Prefetch, ...] = field(default=())


KINDS: dict[str, InboxKind] = {}


def register(kind: str, inbox_kind: InboxKind) -> None:
    KINDS[kind] = inbox_kind


def describe(notifications: list[Notification], viewer) -> list[dict]:
    prefetch_related_objects(
        notifications, *[lookup for kind in KINDS.values() for lookup in kind.prefetch]
    )
    lines = []
    for n in notifications:
        kind = KINDS.get(n.kind)
        text = kind.text(n, viewer) if kind is not None else None
        if text is None and n.kind == Notification.Kind.TEST:
            text = _("A test message. Your channel works.")
        elif text is None:
            text = _("This was about something that is no longer here.")
        lines.append({"notification": n, "text": text, "unread": n.read_at is None})
    return lines


def follow(request, notification: Notification):
    kind = KINDS.get(notification.kind)
    answer = kind.follow(request, notification) if kind is not None else None
    return answer if answer is not None else redirect("notify:inbox")
