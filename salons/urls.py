from django.urls import path

from salons import views

app_name = "salons"
urlpatterns = [
    path("", views.index, name="index"),
]
