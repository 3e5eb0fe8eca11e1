from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def site_link(viewname: str, *args) -> str:
    """An absolute link for e-mails and notifications, which have no request to ask: the
    address the server is reached on (SITE_URL; `make run` sets it from its host and port)."""
    return settings.SITE_URL + reverse(viewname, args=args)


def on_site(url: str) -> str:
    """The same page on SITE_URL. For links made from a request (allauth makes its own): the
    host a request names may be a proxy's inside name, or forged to catch a reset link."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{settings.SITE_URL}{parts.path}{query}{fragment}"
