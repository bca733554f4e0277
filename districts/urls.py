from django.urls import path

from districts import views

app_name = "districts"
urlpatterns = [
    path("", views.district_list, name="list"),
    path("activities/", views.activity_matrix, name="activities"),
    path("areas/", views.area_index, name="areas"),
    path("<slug:slug>/", views.district_detail, name="detail"),
]
