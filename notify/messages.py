"""The words of a notification, rendered from small templates when it is sent or shown.

What leaves the server (e-mail subject and body, push payload, Apprise message) is discreet:
no sexual or emotional content, nothing a lock screen could give away — "You have a check-in
waiting". Warmer words are shown only inside the app, after sign-in (notify/inbox.html).
E-mail gets the same discreet words, as text and HTML (lib.emails), from notify/email/.
"""

from django.conf import settings
from django.template.loader import render_to_string

from lib import discreet, emails
from lib.links import site_link
from notify.models import Notification
from notify.outbound import Message

__all__ = ["Message", "link", "render"]


def link(notification: Notification) -> str:
    """Opens the notification after sign-in, which leads on to what it is about."""
    return site_link("notify:open", notification.code)


# The e-mail of each kind; the kinds not named share one that only says a message is waiting.
EMAILS: dict[str, str] = {
    Notification.Kind.FOLLOWUP: "notify/email/followup",
    Notification.Kind.TEST: "notify/email/test",
}


def render(notification: Notification) -> Message:
    person = notification.person
    language = person.language or settings.LANGUAGE_CODE
    context = _context(notification)
    with discreet.speaking(language, discreet=person.discreet_mode):
        context["instance_name"] = discreet.instance_name(person.discreet_mode)
        title = render_to_string("notify/messages/title.txt", context).strip()
        body = render_to_string("notify/messages/body.txt", context).strip()
    email = emails.render(
        EMAILS.get(notification.kind, "notify/email/notice"),
        context,
        language=language,
        discreet_words=person.discreet_mode,
    )
    return Message(title=title, body=body, url=context["url"], email=email)


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
