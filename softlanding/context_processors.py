from django.conf import settings
from django.utils.translation import gettext


def instance(request):
    name = settings.INSTANCE_NAME
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.discreet_mode:
        # Discreet mode: tabs and the header wear a plain name that says nothing.
        name = gettext("Notes")
    return {"instance_name": name, "quick_exit_url": settings.QUICK_EXIT_URL}


def inbox(request):
    """The unread badge: one count on an index of unread lines, and only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notify.services import unread_count

    return {"unread_count": lambda: unread_count(user)}
