from django.urls import path

from partners import guest_views, support_views, views, wish_views

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
    path("partners/<uuid:code>/ideas/", wish_views.set_ideas, name="set_ideas"),
    path("partners/<uuid:code>/wishes/", wish_views.add_wish, name="add_wish"),
    path(
        "partners/<uuid:code>/wishes/<uuid:wish>/remove/",
        wish_views.remove_wish,
        name="remove_wish",
    ),
    path("partners/guests/", guest_views.guest_links, name="guest_links"),
    path("partners/guests/new/", guest_views.guest_link_create, name="guest_link_create"),
    path(
        "partners/guests/<uuid:code>/revoke/",
        guest_views.guest_link_revoke,
        name="guest_link_revoke",
    ),
    path("g/care/", guest_views.guest_care, name="guest_care"),
    path("g/<str:secret>/", guest_views.guest, name="guest"),
    path("support/", support_views.contacts, name="support"),
    path("support/add/", support_views.contact_add, name="support_add"),
    path("support/<uuid:code>/", support_views.contact_update, name="support_update"),
    path("support/<uuid:code>/remove/", support_views.contact_remove, name="support_remove"),
    path("support/confirm/<str:secret>/", support_views.verify, name="support_verify"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:secret>/", views.join, name="join"),
]
