from django.conf import settings


def instance(request):
    return {"instance_name": settings.INSTANCE_NAME, "quick_exit_url": settings.QUICK_EXIT_URL}


def inbox(request):
    """The unread badge: one count on an index of unread lines, and only when a page asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notify.services import unread_count

    return {"unread_count": lambda: unread_count(user)}
