from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("exit/", views.quick_exit, name="quick_exit"),
    path("welcome/<str:secret>/", views.signup_link, name="signup_link"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/time-zone/", views.time_zone_offer, name="time_zone_offer"),
    path("settings/tokens/", views.token_create, name="token_create"),
    path("settings/tokens/<uuid:code>/revoke/", views.token_revoke, name="token_revoke"),
]
