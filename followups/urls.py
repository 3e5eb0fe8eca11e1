from django.urls import path

from followups import views

# In the "checkins" namespace (see softlanding.urls): their names predate this app.
urlpatterns = [
    path("follow-ups/", views.followup_list, name="followups"),
    path("follow-ups/<uuid:code>/", views.followup_answer, name="followup"),
    path("follow-ups/<uuid:code>/snooze/", views.followup_snooze, name="followup_snooze"),
    path("follow-ups/<uuid:code>/skip/", views.followup_skip, name="followup_skip"),
]
