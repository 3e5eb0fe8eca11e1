from django.urls import path

from notify import views

app_name = "notify"
urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/read/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<uuid:code>/", views.open_notification, name="open"),
    path("settings/channels/", views.channels, name="channels"),
    path("settings/channels/<uuid:code>/test/", views.channel_test, name="channel_test"),
    path("settings/channels/<uuid:code>/remove/", views.channel_remove, name="channel_remove"),
]
