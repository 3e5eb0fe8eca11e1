"""The service worker script, served from the site's root.

A service worker only controls pages at or below its own URL, and /static/ is not where our
pages are, so the script is answered at /sw.js. It holds nothing personal, so it is the same
for everyone, signed in or not.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


def _read_script() -> bytes:
    return (Path(settings.BASE_DIR) / "static" / "sw.js").read_bytes()


@functools.cache
def _cached_script() -> bytes:
    return _read_script()


def service_worker_script() -> bytes:
    # Read once per process; in development every time, so edits show up at once.
    return _read_script() if settings.DEBUG else _cached_script()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        service_worker_script(), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new worker on each visit; it must not come from a stale cache.
    response["Cache-Control"] = "no-cache"
    return response
