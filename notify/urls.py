from django.urls import path

from notify import push_views, views

app_name = "notify"
urlpatterns = [
    # At the root, so that the service worker may show notifications for every page.
    path("sw.js", push_views.service_worker, name="service_worker"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/read/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<uuid:code>/", views.open_notification, name="open"),
    path("settings/channels/", views.channels, name="channels"),
    path("settings/channels/<uuid:code>/test/", views.channel_test, name="channel_test"),
    path("settings/channels/<uuid:code>/remove/", views.channel_remove, name="channel_remove"),
    path("reach/", views.reach, name="reach"),
    path("reach/email/", views.reach_email, name="reach_email"),
    path("reach/messenger/<slug:service>/", views.reach_messenger, name="reach_messenger"),
    path("reach/done/", views.reach_done, name="reach_done"),
]
