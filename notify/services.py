"""Notifications and channels: what the pages, the API, the dispatcher and the drop watch
call. Sending happens in background tasks that are given a delivery's id and nothing else."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.services import require_consent
from lib import notify_urls
from notify import messages, senders
from notify.models import Channel, Delivery, Notification
from notify.webpush import check_subscription

MAX_CHANNELS = 20
# A channel that failed this many times in a row is turned off, with the reason shown.
FAILURES_BEFORE_OFF = 5
# A delivery is tried this many times, waiting a little longer each time, before it fails.
ATTEMPTS = 3
RETRY_AFTER = dt.timedelta(minutes=2)


def notify(person, kind: str, **about) -> Notification:
    """One inbox line, and a delivery to each of the person's channels that is on. A nudge
    reaches the outside channels only after the person's quiet hours (the inbox line is there
    at once); a follow-up was already planned outside them, and an alert does not wait."""
    made = notify_many([Notification(person=person, kind=kind, **about)], send=False)[0]
    deliveries = list(made.deliveries.values_list("pk", flat=True))
    later = _after_quiet_hours(person) if kind == Notification.Kind.NUDGE else None
    for delivery_id in deliveries:
        (send_delivery.using(run_after=later) if later else send_delivery).enqueue(delivery_id)
    return made


def _after_quiet_hours(person) -> dt.datetime | None:
    now = timezone.now()
    end = person.outside_quiet_hours(now)
    return end if end > now else None


def notify_many(notifications: list[Notification], *, send: bool = True) -> list[Notification]:
    """Many at once, in a handful of queries, whatever their number (the dispatcher's way)."""
    made = Notification.objects.bulk_create(notifications)
    people = {n.person_id for n in made}
    channels: dict[int, list[int]] = {}
    for channel_id, person_id in Channel.objects.filter(
        person_id__in=people, enabled=True
    ).values_list("pk", "person_id"):
        channels.setdefault(person_id, []).append(channel_id)
    deliveries = Delivery.objects.bulk_create(
        Delivery(notification=n, channel_id=channel_id)
        for n in made
        for channel_id in channels.get(n.person_id, ())
    )
    if send:
        _send_after_commit([d.pk for d in deliveries])
    return made


def _send_after_commit(delivery_ids: list[int]) -> None:
    """Queued in the same transaction as the deliveries (the task queue is a table of the same
    database): both are there, or neither, and a worker sees them only after the commit."""
    for delivery_id in delivery_ids:
        send_delivery.enqueue(delivery_id)


@task()
def send_delivery(delivery_id: int) -> None:
    delivery = (
        Delivery.objects.select_related("channel", "notification__person")
        .filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return  # already done, or its channel was removed
    channel = delivery.channel
    if not channel.enabled:
        _finish(delivery, Delivery.Status.FAILED, _("This channel is turned off."))
        return
    try:
        senders.send(channel, messages.render(delivery.notification))
    except senders.Permanent as exc:
        _finish(delivery, Delivery.Status.FAILED, str(exc))
        _turn_off(channel, str(exc))
    except Exception as exc:
        # Only our own plain reasons are kept; anything else may quote an address.
        reason = str(exc) if isinstance(exc, senders.Failed) else _("Sending failed.")
        delivery.attempts += 1
        if delivery.attempts < ATTEMPTS:
            delivery.error = reason[:200]
            delivery.save(update_fields=["attempts", "error"])
            later = timezone.now() + RETRY_AFTER * delivery.attempts
            send_delivery.using(run_after=later).enqueue(delivery.pk)
            return
        _finish(delivery, Delivery.Status.FAILED, reason)
        channel.failures += 1
        channel.save(update_fields=["failures"])
        if channel.failures >= FAILURES_BEFORE_OFF:
            _turn_off(channel, _("It failed %(n)s times in a row.") % {"n": channel.failures})
    else:
        _finish(delivery, Delivery.Status.SENT, "")
        if channel.failures:
            channel.failures = 0
            channel.save(update_fields=["failures"])


def _finish(delivery: Delivery, status: str, error: str) -> None:
    delivery.status = status
    delivery.error = error[:200]
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "error", "finished_at"])


def _turn_off(channel: Channel, reason: str) -> None:
    channel.enabled = False
    channel.disabled_reason = reason[:200]
    channel.save(update_fields=["enabled", "disabled_reason"])


def add_channel(person, *, kind: str, target: str, label: str = "") -> Channel:
    require_consent(person)
    target, label = target.strip(), label.strip()[:60]
    if Channel.objects.filter(person=person).count() >= MAX_CHANNELS:
        raise ValidationError(_("You have as many channels as we keep. Remove one first."))
    if kind == Channel.Kind.EMAIL:
        try:
            validate_email(target)
        except ValidationError:
            raise ValidationError({"target": _("Please check the e-mail address.")}) from None
        label = label or _("E-mail")
    elif kind == Channel.Kind.APPRISE:
        try:
            target = notify_urls.check(target, allow_private=settings.NOTIFY_ALLOW_PRIVATE_HOSTS)
        except notify_urls.UnsafeURL as exc:
            raise ValidationError(
                {"target": _("We can't send to this URL: %(why)s.") % {"why": exc}}
            ) from None
        label = label or target.split("://", 1)[0]
    elif kind == Channel.Kind.PUSH:
        target = check_subscription(target)
        label = label or _("A browser")
        endpoint_hash = _endpoint_hash(json.loads(target)["endpoint"])
        # One device, one channel: whoever turned it on last (another account signed in on
        # the same browser, or the same person turning it on twice) takes it over.
        Channel.objects.filter(kind=Channel.Kind.PUSH, endpoint_hash=endpoint_hash).delete()
        return Channel.objects.create(
            person=person, kind=kind, target=target, label=label, endpoint_hash=endpoint_hash
        )
    else:
        raise ValidationError({"kind": _("Please choose e-mail, push or another app.")})
    return Channel.objects.create(person=person, kind=kind, target=target, label=label)


def _endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def test_channel(channel: Channel) -> Delivery:
    """A test message through this one channel; it is turned back on to try."""
    if not channel.enabled:
        channel.enabled, channel.disabled_reason, channel.failures = True, "", 0
        channel.save(update_fields=["enabled", "disabled_reason", "failures"])
    with transaction.atomic():
        notification = Notification.objects.create(
            person=channel.person, kind=Notification.Kind.TEST, read_at=timezone.now()
        )
        delivery = Delivery.objects.create(notification=notification, channel=channel)
        _send_after_commit([delivery.pk])
    return delivery


def remove_channel(channel: Channel) -> None:
    channel.delete()


def forget_push(person, endpoint: str) -> int:
    """Remove the push channel of one browser (it unsubscribed), found by its endpoint."""
    found = Channel.objects.filter(
        person=person, kind=Channel.Kind.PUSH, endpoint_hash=_endpoint_hash(endpoint)
    )
    return found.delete()[0]


def unread_count(person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
