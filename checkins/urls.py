from django.urls import path

from checkins import followup_views, views

app_name = "checkins"
urlpatterns = [
    path("encounters/", views.encounter_list, name="encounter_list"),
    path("encounters/new/", views.encounter_new, name="encounter_new"),
    path("encounters/<uuid:code>/", views.encounter_detail, name="encounter_detail"),
    path("encounters/<uuid:code>/edit/", views.encounter_edit, name="encounter_edit"),
    path("encounters/<uuid:code>/delete/", views.encounter_delete, name="encounter_delete"),
    path("encounters/<uuid:code>/checkin/", views.checkin_new, name="checkin_new"),
    path("checkins/", views.checkin_list, name="checkin_list"),
    path("checkins/<uuid:code>/", views.checkin_detail, name="checkin_detail"),
    path(
        "checkins/<uuid:code>/care-given/",
        views.checkin_care_given,
        name="checkin_care_given",
    ),
    path("checkins/<uuid:code>/delete/", views.checkin_delete, name="checkin_delete"),
    path("checkins/<uuid:code>/tell/", followup_views.tell_them, name="tell_them"),
    path("encounters/<uuid:code>/nudge/", followup_views.nudge, name="nudge"),
    path("follow-ups/", followup_views.followup_list, name="followups"),
    path("follow-ups/<uuid:code>/", followup_views.followup_answer, name="followup"),
    path("follow-ups/<uuid:code>/snooze/", followup_views.followup_snooze, name="followup_snooze"),
    path("follow-ups/<uuid:code>/skip/", followup_views.followup_skip, name="followup_skip"),
    path("alerts/", followup_views.alert_list, name="alerts"),
]
