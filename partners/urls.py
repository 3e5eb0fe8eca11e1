from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("partners/", views.connections, name="connections"),
    path("partners/invite/", views.invite_create, name="invite_create"),
    path("partners/invites/<uuid:code>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("partners/<uuid:code>/", views.detail, name="detail"),
    path("partners/<uuid:code>/card/", views.plan_card, name="plan_card"),
    path("partners/<uuid:code>/pause/", views.pause, name="pause"),
    path("partners/<uuid:code>/resume/", views.resume, name="resume"),
    path("partners/<uuid:code>/end/", views.end, name="end"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:secret>/", views.join, name="join"),
]
