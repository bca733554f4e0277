from django.urls import path

from coordinators.views import logs, resources

app_name = "coordinators"
urlpatterns = [
    path("", logs.coordinator_list, name="index"),
    path("reports/", logs.report_list, name="reports"),
    path("reports/<int:pk>/", logs.report_detail, name="report"),
    path("insights/", logs.insights_default, name="insights"),
    path("insights/<int:year>/", logs.insights_year, name="insights_year"),
]

# /resources/ (the 地域資源 map), mounted under its own namespace.
resource_urlpatterns = (
    [
        path("", resources.resource_list, name="index"),
        path("map.json", resources.resource_map, name="map"),
        path("<int:pk>/", resources.resource_detail, name="detail"),
    ],
    "resources",
)
