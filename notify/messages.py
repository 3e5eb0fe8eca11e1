"""The words of a notification, rendered from small templates when it is sent or shown.

What leaves the server (e-mail subject and body, push payload, Apprise message) is discreet:
no sexual or emotional content, nothing a lock screen could give away — "You have a check-in
waiting". Warmer words are shown only inside the app, after sign-in (notify/inbox.html).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext

from lib import discreet
from lib.links import site_link
from notify.models import Notification
from notify.outbound import Message

__all__ = ["Message", "link", "render"]


def link(notification: Notification) -> str:
    """Opens the notification after sign-in, which leads on to what it is about."""
    return site_link("notify:open", notification.code)


def render(notification: Notification) -> Message:
    person = notification.person
    language = person.language or settings.LANGUAGE_CODE
    with discreet.speaking(language, discreet=person.discreet_mode):
        return _render(notification)


def _render(notification: Notification) -> Message:
    name = settings.INSTANCE_NAME
    if notification.person.discreet_mode:
        name = gettext(discreet.NEUTRAL_NAME)
    context = {
        "instance_name": name,
        "kind": notification.kind,
        "hear_back": bool(
            notification.guest_answer and notification.guest_answer.wants_to_hear_back
        ),
    }
    url = link(notification)
    context["url"] = url
    title = render_to_string("notify/messages/title.txt", context).strip()
    body = render_to_string("notify/messages/body.txt", context).strip()
    return Message(title=title, body=body, url=url)
