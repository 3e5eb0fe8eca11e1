from django.conf import settings
from django.urls import reverse


def site_link(viewname: str, *args) -> str:
    """An absolute link for e-mails and notifications, which have no request to ask: the
    address the server is reached on (SITE_URL; `make run` sets it from its host and port)."""
    return settings.SITE_URL + reverse(viewname, args=args)
