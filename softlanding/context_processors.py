from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext

from followups.models import FollowUp
from lib import discreet
from notify.models import Notification


def instance(request):
    # Discreet mode (set by accounts.middleware, also before sign-in on a device that wears
    # it): tabs and the header wear a plain name that says nothing.
    on = getattr(request, "discreet", False)
    return {
        "instance_name": gettext(discreet.NEUTRAL_NAME) if on else settings.INSTANCE_NAME,
        "discreet": on,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }


class HeaderCounts:
    """The header's two numbers, each asked the first time a page shows it: unread inbox
    lines (the badge beside "Inbox") and follow-ups waiting for an answer (the number on the
    installed app's icon, js/home-screen.js). Each is a count on a partial index. Two plain
    counts cost less to build than one query holding both as subqueries (about half the CPU,
    for one more round trip)."""

    def __init__(self, person):
        self.person = person

    @cached_property
    def _unread(self) -> int:
        return Notification.objects.filter(person=self.person, read_at__isnull=True).count()

    @cached_property
    def _waiting(self) -> int:
        return FollowUp.objects.for_person(self.person).waiting().count()

    def unread(self) -> int:
        return self._unread

    def waiting(self) -> int:
        return self._waiting


def header_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = HeaderCounts(user)
    return {"unread_count": counts.unread, "waiting_count": counts.waiting}
