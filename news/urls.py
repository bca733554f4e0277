from django.urls import path
from django.views.generic import TemplateView

app_name = "news"
# Until this section's own issue lands, its index says whom to ask.
urlpatterns = [
    path("news/", TemplateView.as_view(template_name="news/index.html"), name="index"),
]
