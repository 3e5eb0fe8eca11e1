"""/metrics: the instance's numbers in Prometheus' text format, for a monitoring system.

Off unless METRICS_TOKEN is set (then it does not exist: 404). A scraper sends
``Authorization: Bearer <token>``; without it the answer is 401, with a wrong one 403. Only
aggregate counts are exposed, and the only labels are our own closed vocabularies (a channel's
kind, a delivery's status, a backup's kind): never a person, an id or anything typed.
"""

import hashlib
import hmac

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from notify.models import Channel, Delivery
from privacy.backup_schedule import backup_age_seconds
from privacy.backup_tools import DATA, FOLDERS
from softlanding import operators
from vault.routers import KEY_STORE

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _digest(value: str) -> bytes:
    # Compared as digests of equal length: neither the token's length nor how much of it a
    # guess got right shows in the time the comparison takes.
    return hashlib.sha256(value.encode()).digest()


def _refusal(request) -> HttpResponse | None:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        response = HttpResponse(
            "A bearer token is needed.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if not hmac.compare_digest(_digest(given.strip()), _digest(settings.METRICS_TOKEN)):
        return HttpResponse("Wrong token.\n", status=403, content_type="text/plain")
    return None


@never_cache
@require_safe
def metrics(request):
    if not settings.METRICS_TOKEN:
        raise Http404
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    return HttpResponse(render(), content_type=CONTENT_TYPE)


def render() -> str:
    now = timezone.now()
    summary = operators.summary(now)
    lines: list[str] = []

    def gauge(name: str, help_text: str, samples: list[tuple[dict[str, str], float | None]]):
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        for labels, value in samples:
            if value is None:
                continue
            label_text = ",".join(f'{key}="{val}"' for key, val in sorted(labels.items()))
            lines.append(f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}")

    gauge("softlanding_people", "Accounts on this instance.", [({}, summary.people)])
    gauge(
        "softlanding_followups_due",
        "Follow-ups whose time has come and that have not gone out yet.",
        [({}, summary.followups_due)],
    )
    gauge(
        "softlanding_followups_late",
        f"Follow-ups still waiting {int(operators.LATE_AFTER.total_seconds())} s after their time.",
        [({}, summary.followups_late)],
    )
    gauge(
        "softlanding_dispatcher_seen_seconds",
        "Seconds since a dispatcher last reported in.",
        [({}, summary.dispatcher_seen_seconds_ago)],
    )
    counts = {
        (kind, status): n
        for kind, status, n in Delivery.objects.order_by()
        .values_list("channel__kind", "status")
        .annotate(n=Count("pk"))
    }
    gauge(
        "softlanding_deliveries",
        "Deliveries on record, by the kind of channel and how they ended.",
        [
            ({"kind": kind, "status": status}, counts.get((kind, status), 0))
            for kind in Channel.Kind.values
            for status in (Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.PENDING)
        ],
    )
    gauge(
        "softlanding_task_queue_depth",
        "Background tasks waiting for a worker.",
        [({}, operators.tasks_waiting())],
    )
    gauge(
        "softlanding_backup_age_seconds",
        "Seconds since the newest backup in BACKUP_DIR (absent: none yet).",
        [({"kind": FOLDERS[alias]}, backup_age_seconds(alias, now)) for alias in (DATA, KEY_STORE)],
    )
    return "\n".join(lines) + "\n"
