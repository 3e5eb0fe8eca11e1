"""Notifications and channels: what the pages, the API, the dispatcher and the drop watch
call. Sending happens in background tasks that are given a delivery's id and nothing else."""

import datetime as dt
import hashlib
import json

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import require_recent_authentication
from consent.services import require_consent
from lib import targets
from notify import messages, messengers, outbound
from notify.models import Channel, Delivery, Notification

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
        message = messages.render(delivery.notification, channel.kind)
    except Exception:
        result = outbound.Result("failed")
    else:
        result = outbound.deliver(outbound.Target(channel.kind, channel.target), message)
    if result.sent:
        _finish(delivery, Delivery.Status.SENT, "")
        if channel.failures:
            channel.failures = 0
            channel.save(update_fields=["failures"])
    elif result.permanent:
        _finish(delivery, Delivery.Status.FAILED, result.reason)
        _turn_off(channel, result.reason)
    else:
        delivery.attempts += 1
        if delivery.attempts < ATTEMPTS:
            delivery.error = result.reason[:200]
            delivery.save(update_fields=["attempts", "error"])
            later = timezone.now() + RETRY_AFTER * delivery.attempts
            send_delivery.using(run_after=later).enqueue(delivery.pk)
            return
        _finish(delivery, Delivery.Status.FAILED, result.reason)
        channel.failures += 1
        channel.save(update_fields=["failures"])
        if channel.failures >= FAILURES_BEFORE_OFF:
            _turn_off(channel, _("It failed %(n)s times in a row.") % {"n": channel.failures})


def _finish(delivery: Delivery, status: str, error: str) -> None:
    delivery.status = status
    delivery.error = error[:200]
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "error", "finished_at"])


def _turn_off(channel: Channel, reason: str) -> None:
    channel.enabled = False
    channel.disabled_reason = reason[:200]
    channel.save(update_fields=["enabled", "disabled_reason"])


def add_channel(person, *, kind: str, target: str, label: str = "", request=None) -> Channel:
    """A new channel. Asked for in a request (a page, the API), it needs a recent sign-in:
    whoever holds a stolen session must not send someone's reminders elsewhere."""
    require_consent(person)
    if request is not None:
        require_recent_authentication(request)
    label = label.strip()[:60]
    if Channel.objects.filter(person=person).count() >= MAX_CHANNELS:
        raise ValidationError(_("You have as many channels as we keep. Remove one first."))
    if kind not in outbound.KINDS:
        raise ValidationError({"kind": _("Please choose e-mail, push or another app.")})
    try:
        target = outbound.check(outbound.Target(kind, target.strip())).address
    except targets.Refused as refused:
        raise targets.invalid(refused, field="target", kind=kind) from None
    endpoint_hash = ""
    if kind == Channel.Kind.EMAIL:
        label = label or _("E-mail")
    elif kind == Channel.Kind.APPRISE:
        label = label or target.split("://", 1)[0]
    else:
        label = label or _("A browser")
        endpoint_hash = _endpoint_hash(json.loads(target)["endpoint"])
        # One device, one channel: whoever turned it on last (another account signed in on
        # the same browser, or the same person turning it on twice) takes it over.
        Channel.objects.filter(kind=Channel.Kind.PUSH, endpoint_hash=endpoint_hash).delete()
    with transaction.atomic():
        channel = Channel.objects.create(
            person=person, kind=kind, target=target, label=label, endpoint_hash=endpoint_hash
        )
        # A way to reach them is an answer to "How should we reach you?", wherever it was added.
        answer_reach(person)
    return channel


def answer_reach(person) -> None:
    """“How should we reach you?” is answered, for good: by adding a channel, by choosing
    "only here in the app", or by putting the question away. It is never asked again."""
    if person.reach_answered_at is None:
        person.reach_answered_at = timezone.now()
        person.save(update_fields=["reach_answered_at"])


def verified_email(person) -> str | None:
    """The person's sign-in address, if they have confirmed it is theirs."""
    found = EmailAddress.objects.filter(user=person, email__iexact=person.email, verified=True)
    return person.email if found.exists() else None


def add_verified_email(person, *, request=None) -> Channel:
    """E-mail to the address the person signs in with, in one tap: only once it is confirmed
    (we never send reminders to an address nobody proved they read). Asked twice, the channel
    made the first time."""
    require_consent(person)
    address = verified_email(person)
    if address is None:
        raise ValidationError(
            _(
                "Your e-mail address isn't confirmed yet. Open the link we sent you (or ask "
                "for a new one under “E-mail addresses”), then choose e-mail again."
            ),
            code="email-unverified",
        )
    for channel in Channel.objects.filter(person=person, kind=Channel.Kind.EMAIL):
        if channel.target.lower() == address.lower():
            answer_reach(person)
            return channel
    return add_channel(person, kind=Channel.Kind.EMAIL, target=address, request=request)


def add_messenger(person, service: str, fields: dict, *, request=None) -> Channel:
    """A messenger through Apprise from a few plain fields (notify.messengers writes the URL).
    The URL goes through the same target check as any other; a refusal is shown on the field
    that says where it goes."""
    require_consent(person)
    url = messengers.apprise_url(service, fields)
    messenger = messengers.MESSENGERS[service]
    try:
        return add_channel(
            person, kind=Channel.Kind.APPRISE, target=url, label=messenger.name, request=request
        )
    except ValidationError as refused:
        if not hasattr(refused, "error_dict") or "target" not in refused.error_dict:
            raise
        code = refused.error_dict["target"][0].code
        words = _MESSENGER_REFUSALS.get(code or "")
        why = ValidationError(str(words), code=code) if words else refused.error_dict["target"]
        raise ValidationError({messenger.refused_on: why}) from None


# The target check's refusals in the words of the fields a person filled in (no URL in sight).
_MESSENGER_REFUSALS = {
    "private": gettext_lazy(
        "This server is on a private or local network; we can only send to servers on the internet."
    ),
    "not-found": gettext_lazy("We couldn't find this server. Please check its address."),
    "no-server": gettext_lazy("We couldn't find this server. Please check its address."),
    "unreadable": gettext_lazy("These details don't fit together yet. Please check them."),
}


def _endpoint_hash(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def test_channel(channel: Channel) -> Delivery:
    """A test message through this one channel; it is turned back on to try. Sending is
    storing and sharing: without consent, nothing goes out."""
    require_consent(channel.person)
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


def remove_channel(channel: Channel, *, request=None) -> None:
    """Asked for in a request, it needs a recent sign-in, as adding does."""
    if request is not None:
        require_recent_authentication(request)
    channel.delete()


def forget_push(person, endpoint: str) -> int:
    """Remove the push channel of one browser (it unsubscribed), found by its endpoint."""
    found = Channel.objects.filter(
        person=person, kind=Channel.Kind.PUSH, endpoint_hash=_endpoint_hash(endpoint)
    )
    return found.delete()[0]


def unread_count(person) -> int:
    return Notification.objects.unread_for(person).count()


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_read_about_followups(followup_ids, at) -> int:
    """A follow-up answered: the notice that it was waiting has nothing left to ask."""
    return Notification.objects.filter(followup_id__in=followup_ids).unread().update(read_at=at)


def mark_all_read(person) -> int:
    return Notification.objects.unread_for(person).update(read_at=timezone.now())
