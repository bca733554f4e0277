from django.urls import path

from coordinators import resource_views

app_name = "resources"
urlpatterns = [
    path("", resource_views.resource_list, name="index"),
    path("map.json", resource_views.resource_map, name="map"),
    path("<int:pk>/", resource_views.resource_detail, name="detail"),
]
