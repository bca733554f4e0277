from django.urls import path

from coordinators import views

app_name = "coordinators"
urlpatterns = [
    path("", views.coordinator_list, name="index"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("insights/", views.insights_default, name="insights"),
    path("insights/<int:year>/", views.insights_year, name="insights_year"),
]
