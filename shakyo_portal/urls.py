from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from coordinators import urls as coordinator_urls
from shakyo_portal.public import accessibility, calendar, search, views
from shakyo_portal.public.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("about/", views.about, name="about"),
    path("about/plan/", views.practice_plan, name="about_plan"),
    path("accessibility/", accessibility.accessibility, name="accessibility"),
    path("search/", search.search, name="search"),
    # Salons, 協議体 and 行事 of one month together
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<int:year>/<int:month>/", calendar.calendar_page, name="calendar_month"),
    path("preferences/", views.set_preferences, name="preferences"),
    path("districts/", include("districts.urls")),
    path("salons/", include("salons.urls")),
    path("councils/", include("councils.urls")),
    path("coordinators/", include("coordinators.urls")),
    path("resources/", include(coordinator_urls.resource_urlpatterns)),
    # The news app answers under /news/, /events/ and /newsletters/.
    path("", include("news.urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
]

handler500 = "shakyo_portal.public.views.server_error"

# `make run` serves public uploads itself; in production the proxy does (README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
