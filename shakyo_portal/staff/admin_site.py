"""The portal's admin site: the role rules on every registered model, login
with optional two-factor, and the dashboard as the front page."""

from django.contrib import admin

from shakyo_portal.staff import auth_views, dashboard, personal_data, twofactor
from shakyo_portal.staff.admin_mixins import ScopedAdminMixin, export_csv


class PortalAdminSite(admin.AdminSite):
    site_header = "社協ポータル 管理画面"
    site_title = "社協ポータル 管理画面"
    index_title = "管理メニュー"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_action(export_csv, "export_csv")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (ScopedAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        # A staff member who must (or chose to) use two-factor login reaches
        # no admin page until the six digits are checked.
        return super().has_permission(request) and twofactor.satisfied(request)

    def login(self, request, extra_context=None):
        return auth_views.login(self, request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard.context(request), **(extra_context or {})})

    def get_urls(self):
        return [*auth_views.urls(self), *personal_data.urls(self), *super().get_urls()]
