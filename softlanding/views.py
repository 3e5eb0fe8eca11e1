from django.conf import settings
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from checkins.views import dashboard
from consent.services import has_consent
from lib import discreet
from notify.models import Heartbeat
from privacy.backup_schedule import backup_state

# The light colours of static/css/app.css (the header's --card and the page's --bg). A manifest
# holds one of each; base.html's theme-color tags give browsers the dark header as well.
THEME_COLOR = "#ffffff"
BACKGROUND_COLOR = "#fbf8f5"


def home(request):
    if request.user.is_authenticated:
        return dashboard(request)
    if request.discreet:
        # The welcome page says what the app is for; on a device that wears discreet mode,
        # signing out (or Back after a quick exit) lands on the neutral sign-in page instead.
        return redirect("account_login")
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
    backup, backup_age = backup_state()
    fine = dispatcher == "ok" and backup in {"ok", "off"}
    status = "ok" if healthy and fine else "degraded" if healthy else "unavailable"
    body = {
        "status": status,
        "database": checks["default"],
        "key_store": checks["keys"],
        # "late" means follow-ups are not going out: pages still work, so the answer stays 200.
        "dispatcher": dispatcher,
        "dispatcher_seen_seconds_ago": age,
        # "off" (backups are someone else's job), "ok", "late" or "never"; the age is known
        # whenever a backup lies in BACKUP_DIR, scheduled or not.
        "backup": backup,
        "backup_seconds_ago": backup_age,
    }
    return JsonResponse(body, status=200 if healthy else 503)


DISPATCHER_LATE_AFTER = 60  # seconds; a dispatcher beats every 10


def _dispatcher_state() -> tuple[str, int | None]:
    last = Heartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return "never_seen", None
    age = int((timezone.now() - last).total_seconds())
    return ("ok" if age <= DISPATCHER_LATE_AFTER else "late"), age


def _icons(design: str) -> list[dict[str, str]]:
    """The icons drawn by scripts/make_icons.py: ``icon`` (the app's own) or ``neutral``."""
    return [
        {
            "src": static(f"img/{design}{form}-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for form, purpose in (("", "any"), ("-maskable", "maskable"))
        for size in (192, 512)
    ]


@require_safe
def manifest(request):
    """What a phone needs to install the app: its name, icons and where it starts.

    Fetched with the person's cookies (base.html says why), so that in discreet mode the home
    screen keeps the neutral name and icon, in the person's language.
    """
    on = getattr(request, "discreet", False)
    name = discreet.instance_name(on)
    icons = _icons("neutral" if on else "icon")
    body = {
        # One id whatever the name: switching discreet mode renames the installed app rather
        # than making it a second one.
        "id": "/",
        "name": name,
        "short_name": name,
        "lang": translation.get_language(),
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
        "shortcuts": [
            {
                "name": _("Log an encounter"),
                "url": reverse("checkins:encounter_new"),
                "icons": icons[:1],
            },
            {"name": _("Check in"), "url": reverse("checkins:followups"), "icons": icons[:1]},
        ],
    }
    response = JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    # It differs with the discreet cookie and the session: never one copy for everybody.
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def offline(request):
    """The page the service worker keeps and shows when a page cannot load for want of a
    network. Rendered without the request, so no context processor can put anything of a
    signed-in person (a name, a count, the menu) into the copy a device keeps."""
    html = render_to_string("softlanding/offline.html", {"quick_exit_url": settings.QUICK_EXIT_URL})
    return HttpResponse(html)
