from django.conf import settings
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext

from accounts.models import Person
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
    """The header's two numbers, asked together in one query the first time a page shows
    either: unread inbox lines (the badge beside "Inbox") and follow-ups waiting for an answer
    (the number on the installed app's icon, js/home-screen.js). Each is a count on a partial
    index."""

    def __init__(self, person):
        self.person = person

    @cached_property
    def counts(self) -> dict[str, int]:
        unread = Notification.objects.filter(person=self.person, read_at__isnull=True)
        waiting = FollowUp.objects.for_person(self.person).waiting()
        row = Person.objects.filter(pk=self.person.pk).values(
            unread=_count(unread), waiting=_count(waiting)
        )[0]
        return {"unread": row["unread"], "waiting": row["waiting"]}

    def unread(self) -> int:
        return self.counts["unread"]

    def waiting(self) -> int:
        return self.counts["waiting"]


def _count(queryset) -> Coalesce:
    rows = queryset.order_by().values("person").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def header_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = HeaderCounts(user)
    return {"unread_count": counts.unread, "waiting_count": counts.waiting}
