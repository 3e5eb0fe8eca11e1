from django.urls import path

from care import views

app_name = "care"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/card/", views.card, name="card"),
    path("profile/words/", views.save_words, name="save_words"),
    path("profile/items/", views.add_item, name="add_item"),
    path("profile/items/<uuid:code>/", views.save_item, name="save_item"),
    path("profile/items/<uuid:code>/remove/", views.remove_item, name="remove_item"),
    path("guide/", views.guide, name="guide"),
]
