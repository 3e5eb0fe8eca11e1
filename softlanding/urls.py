from django.urls import include, path

import alerts.urls
import checkins.urls
import followups.urls
from softlanding import errors, metrics, views
from softlanding.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("metrics", metrics.metrics, name="metrics"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("care.urls")),
    # Encounters, follow-ups and alerts share the "checkins" namespace: their URL names were
    # given when one app held all three, and pages and links name them so.
    path(
        "",
        include(
            (
                checkins.urls.urlpatterns + followups.urls.urlpatterns + alerts.urls.urlpatterns,
                "checkins",
            )
        ),
    ),
    path("", include("partners.urls")),
    path("", include("notify.urls")),
    path("", include("insights.urls")),
    path("api/v1/", api.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
# Not one of Django's: allauth answers its rate limits with this one.
handler429 = errors.too_many_requests
