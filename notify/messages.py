"""The words of a notification, rendered from small templates when it is sent or shown.

What leaves the server (e-mail subject and body, push payload, Apprise message) is discreet:
no sexual or emotional content, nothing a lock screen could give away — "You have a check-in
waiting". Warmer words are shown only inside the app, after sign-in (notify/inbox.html).
E-mail gets the same discreet words, as text and HTML (lib.emails), from notify/email/.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from lib import discreet, emails
from lib.links import site_link
from notify import outbound
from notify.models import Notification
from notify.outbound import Action, Message

__all__ = ["Action", "Answers", "Message", "link", "offer_answers", "render"]


@dataclass(frozen=True)
class Answers:
    """The answers a message offers: its actions (each with the link an e-mail button
    opens) and, for a push message, where the service worker posts one and with what token."""

    actions: tuple[Action, ...]
    push: dict


# Kind → what makes the answers of one message of that kind (or None: nothing to answer).
# The app that owns the kind registers it (followups, for follow-ups): notify knows how to
# carry answers, never what they mean.
_ANSWERS: dict[str, Callable[[Notification], Answers | None]] = {}
# Only these channels carry answers: Apprise's messengers get the words and the link.
ANSWERABLE = (outbound.EMAIL, outbound.PUSH)


def offer_answers(kind: str, make: Callable[[Notification], Answers | None]) -> None:
    _ANSWERS[kind] = make


def link(notification: Notification) -> str:
    """Opens the notification after sign-in, which leads on to what it is about."""
    return site_link("notify:open", notification.code)


# The e-mail of each kind; the kinds not named share one that only says a message is waiting.
EMAILS: dict[str, str] = {
    Notification.Kind.FOLLOWUP: "notify/email/followup",
    Notification.Kind.TEST: "notify/email/test",
}


def render(notification: Notification, channel_kind: str = "") -> Message:
    """The message for one channel of this kind (none: the words only). Rendering a message
    that offers answers makes its single-use token: render once per message sent."""
    person = notification.person
    language = person.language or settings.LANGUAGE_CODE
    context = _context(notification)
    with discreet.speaking(language, discreet=person.discreet_mode):
        context["instance_name"] = discreet.instance_name(person.discreet_mode)
        title = render_to_string("notify/messages/title.txt", context).strip()
        body = render_to_string("notify/messages/body.txt", context).strip()
        make = _ANSWERS.get(notification.kind) if channel_kind in ANSWERABLE else None
        answers = (make(notification) if make else None) or Answers(actions=(), push={})
    if channel_kind == outbound.EMAIL:
        # The follow-up e-mail's buttons: ok_url and not_good_url.
        context.update({f"{action.name}_url": action.link for action in answers.actions})
    email = emails.render(
        EMAILS.get(notification.kind, "notify/email/notice"),
        context,
        language=language,
        discreet_words=person.discreet_mode,
    )
    return Message(
        title=title,
        body=body,
        url=context["url"],
        email=email,
        actions=answers.actions,
        answer=answers.push,
    )


def _context(notification: Notification) -> dict:
    return {
        "kind": notification.kind,
        "hear_back": bool(
            notification.guest_answer and notification.guest_answer.wants_to_hear_back
        ),
        "url": link(notification),
        # Where the person chose to be reached, to change it: said at the foot of each e-mail.
        "channels_url": site_link("notify:channels"),
    }
