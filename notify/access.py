"""Notifications and channels belong to one person; anyone else's are simply not found."""

from django.db.models import Prefetch
from django.http import Http404

from notify.models import Channel, Delivery, Notification


def notification_for_owner(request, code) -> Notification:
    try:
        return Notification.objects.get(person=request.user, code=code)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def channel_for_owner(request, code) -> Channel:
    try:
        return Channel.objects.get(person=request.user, code=code)
    except (Channel.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def channels_of(person):
    return Channel.objects.filter(person=person)


# How many of a channel's last deliveries its page and the API show.
RECENT_DELIVERIES = 5


def channels_with_recent_deliveries(person):
    """Each channel with only its last few deliveries loaded, however many it has had."""
    recent = Delivery.objects.order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    return channels_of(person).prefetch_related(
        Prefetch("deliveries", queryset=recent, to_attr="recent_deliveries")
    )
