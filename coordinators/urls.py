from django.urls import path
from django.views.generic import TemplateView

app_name = "coordinators"
# Until this section's own issue lands, its index says whom to ask.
urlpatterns = [
    path("", TemplateView.as_view(template_name="coordinators/index.html"), name="index"),
]
