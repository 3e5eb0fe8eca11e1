from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from checkins.views import dashboard
from consent.services import has_consent
from notify.models import Heartbeat


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
    dispatcher, age = _dispatcher_state() if checks["default"] == "ok" else ("unknown", None)
    status = "ok" if healthy and dispatcher == "ok" else "degraded" if healthy else "unavailable"
    body = {
        "status": status,
        "database": checks["default"],
        "key_store": checks["keys"],
        # "late" means follow-ups are not going out: pages still work, so the answer stays 200.
        "dispatcher": dispatcher,
        "dispatcher_seen_seconds_ago": age,
    }
    return JsonResponse(body, status=200 if healthy else 503)


DISPATCHER_LATE_AFTER = 60  # seconds; a dispatcher beats every 10


def _dispatcher_state() -> tuple[str, int | None]:
    last = Heartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return "never_seen", None
    age = int((timezone.now() - last).total_seconds())
    return ("ok" if age <= DISPATCHER_LATE_AFTER else "late"), age
