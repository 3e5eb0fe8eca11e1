from django.conf import settings
from django.utils.translation import gettext

from followups.models import FollowUp
from lib import discreet
from notify.services import unread_count


def instance(request):
    # Discreet mode (set by accounts.middleware, also before sign-in on a device that wears
    # it): tabs and the header wear a plain name that says nothing.
    on = getattr(request, "discreet", False)
    return {
        "instance_name": gettext(discreet.NEUTRAL_NAME) if on else settings.INSTANCE_NAME,
        "discreet": on,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }


def inbox(request):
    """The unread badge: one count on an index of unread lines, and only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": lambda: unread_count(user)}


def badge(request):
    """The number on the installed app's icon (the Badging API): follow-ups waiting for an
    answer. One count on a partial index, and only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"waiting_count": lambda: FollowUp.objects.for_person(user).waiting().count()}
