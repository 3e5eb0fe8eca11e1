from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from checkins.views import dashboard
from privacy.services import has_consent


def home(request):
    if request.user.is_authenticated:
        return dashboard(request)
    ctx = {"needs_consent": request.user.is_authenticated and not has_consent(request.user)}
    return render(request, "softlanding/home.html", ctx)


def ping(request):
    """The cheapest answer the app can give: liveness, and the baseline of `make bench`."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def healthz(request):
    checks = {}
    for alias in ("default", "keys"):
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
            checks[alias] = "ok"
        except Exception:
            checks[alias] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": checks["default"],
        "key_store": checks["keys"],
    }
    return JsonResponse(body, status=200 if healthy else 503)
