from django.urls import path

from alerts import views

# In the "checkins" namespace (see softlanding.urls): their names predate this app.
urlpatterns = [
    path("checkins/<uuid:code>/tell/", views.tell_them, name="tell_them"),
    path("encounters/<uuid:code>/nudge/", views.nudge, name="nudge"),
    path("alerts/", views.alert_list, name="alerts"),
]
