"""Notifications and channels belong to one person; anyone else's are simply not found."""

from django.http import Http404

from notify.models import Channel, Notification


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
