from django.urls import path

from checkins import views

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
]
