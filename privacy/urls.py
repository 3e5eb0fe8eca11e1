from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("consent/", views.consent, name="consent"),
    path("consent/withdraw/", views.withdraw, name="withdraw"),
]
