from django.urls import path

from councils import views

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
]
