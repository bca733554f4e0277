from django.urls import path

from councils import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="index"),
    path("calendar.ics", views.calendar_all, name="calendar"),
    path("<slug:slug>/", views.council_detail, name="detail"),
    path("<slug:slug>/calendar.ics", views.calendar_council, name="council_calendar"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "<slug:slug>/meetings/<int:pk>/materials/<int:material_pk>/",
        views.material,
        name="material",
    ),
]
