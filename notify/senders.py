"""Sending one message through one channel. Errors come back as plain reasons that never
name the person, the address or the message, because they are stored and shown."""

import smtplib

import apprise
from django.conf import settings
from django.core.mail import send_mail

from lib import notify_urls
from notify.errors import Failed, Permanent
from notify.messages import Message
from notify.models import Channel
from notify.webpush import send_push


def send(channel: Channel, message: Message) -> None:
    if channel.kind == Channel.Kind.EMAIL:
        send_email(channel.target, message)
    elif channel.kind == Channel.Kind.APPRISE:
        send_apprise(channel.target, message)
    elif channel.kind == Channel.Kind.PUSH:
        send_push(channel.target, message)
    else:
        raise Permanent("this kind of channel is no longer supported")


def send_email(address: str, message: Message) -> None:
    try:
        send_mail(message.title, message.body, None, [address])
    except smtplib.SMTPRecipientsRefused:
        raise Permanent("the mail server refused this address") from None
    except (TimeoutError, smtplib.SMTPException, OSError):
        raise Failed("the mail server could not be reached") from None


def send_apprise(url: str, message: Message) -> None:
    try:
        # Checked again now: the name may resolve somewhere else than when it was saved.
        notify_urls.check(url, allow_private=settings.NOTIFY_ALLOW_PRIVATE_HOSTS)
    except notify_urls.UnsafeURL as exc:
        raise Permanent(str(exc)) from None
    sender = apprise.Apprise()
    sender.add(url)
    notify_urls.harden(sender)
    if not sender.notify(title=message.title, body=message.body):
        raise Failed("the notification service did not accept the message")
