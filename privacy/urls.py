from django.urls import path

from privacy import data_views, views

app_name = "privacy"
urlpatterns = [
    path("consent/", views.consent, name="consent"),
    path("consent/withdraw/", views.withdraw, name="withdraw"),
    path("privacy/", data_views.privacy_page, name="privacy"),
    path("settings/data/", data_views.data, name="data"),
    path("settings/data/export/", data_views.export_request, name="export_request"),
    path("settings/data/exports/<uuid:code>/", data_views.export_status, name="export_status"),
    path(
        "settings/data/exports/<uuid:code>/<str:fmt>/",
        data_views.export_download,
        name="export_download",
    ),
    path("settings/data/import/", data_views.import_upload, name="import"),
    path("settings/data/delete/", data_views.delete_account, name="delete_account"),
]
