from django.urls import include, path

from softlanding import views
from softlanding.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("care.urls")),
    path("", include("checkins.urls")),
    path("", include("partners.urls")),
    path("", include("notify.urls")),
    path("api/v1/", api.urls),
]
