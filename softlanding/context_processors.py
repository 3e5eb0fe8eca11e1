from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext

from followups.models import FollowUp
from lib import discreet
from lib.compiled import Compiled
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
    index. Each count is compiled by Django as a plain query (its rules stay with the
    models: `FollowUp.objects.waiting()`), once per process (lib.compiled), and the two are
    sent as one statement: one round trip, not two."""

    def __init__(self, person):
        self.person = person

    @cached_property
    def counts(self) -> tuple[int, int]:
        unread_sql, unread_params, _db = UNREAD.sql(self.person.pk)
        waiting_sql, waiting_params, _db = WAITING.sql(self.person.pk)
        with connection.cursor() as cursor:
            # Both parts are SQL Django compiled, with their values as parameters.
            cursor.execute(
                f"SELECT COALESCE(({unread_sql}), 0), COALESCE(({waiting_sql}), 0)",
                [*unread_params, *waiting_params],
            )
            unread, waiting = cursor.fetchone()
        return int(unread), int(waiting)

    def unread(self) -> int:
        return self.counts[0]

    def waiting(self) -> int:
        return self.counts[1]


def _counted(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().values("person").annotate(n=Count("pk")).values("n")


# Compiled once per process (lib.compiled): every signed-in page shows them.
UNREAD = Compiled(
    lambda person: _counted(Notification.objects.unread_for(person)),
    int,
)
WAITING = Compiled(lambda person: _counted(FollowUp.objects.for_person(person).waiting()), int)


def header_counts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = HeaderCounts(user)
    return {"unread_count": counts.unread, "waiting_count": counts.waiting}
