from django.urls import path

from followups import views

# In the "checkins" namespace (see softlanding.urls): their names predate this app.
urlpatterns = [
    path("follow-ups/", views.followup_list, name="followups"),
    path("follow-ups/<uuid:code>/", views.followup_answer, name="followup"),
    path("follow-ups/<uuid:code>/snooze/", views.followup_snooze, name="followup_snooze"),
    path("follow-ups/<uuid:code>/skip/", views.followup_skip, name="followup_skip"),
    # Answering from a follow-up e-mail, without signing in (see followups.by_token).
    path(
        "follow-ups/answer/<str:token>/<slug:choice>/",
        views.followup_by_link,
        name="followup_by_link",
    ),
]
