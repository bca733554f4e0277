"""The portal's admin site: the role rules on every registered model, login
with optional two-factor, and the dashboard as the front page."""

from functools import cached_property

from django.contrib import admin
from django.db.models.base import ModelBase

from shakyo_portal.backoffice import auth_views, csv_imports, dashboard, personal_data, twofactor
from shakyo_portal.backoffice.admin_mixins import ScopedAdminMixin, export_csv


class PortalAdminSite(admin.AdminSite):
    site_header = "社協ポータル 管理画面"
    site_title = "社協ポータル 管理画面"
    index_title = "管理メニュー"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_action(export_csv, "export_csv")

    def each_context(self, request):
        context = super().each_context(request)
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith("_changelist"):
            # A change list of a dozen columns needs the whole width at 1280 px:
            # beside the menu, names wrapped every three characters. The
            # breadcrumbs and 管理メニュー still lead everywhere.
            context["is_nav_sidebar_enabled"] = False
        return context

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ScopedAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (ScopedAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            super().register(model, self._with_import(model, admin_class), **options)

    @cached_property
    def _imports(self) -> dict:
        return csv_imports.declared_imports()

    def _with_import(self, model, admin_class):
        """The admin of a model an app declares a CSV import for gets its pages."""
        declared = self._imports.get(model._meta.label_lower)
        if declared is None or issubclass(admin_class, csv_imports.CsvImportAdminMixin):
            return admin_class
        return type(
            admin_class.__name__,
            (csv_imports.CsvImportAdminMixin, admin_class),
            {"__module__": admin_class.__module__, "csv_import_declared": declared},
        )

    def has_permission(self, request):
        # A staff member who must (or chose to) use two-factor login reaches
        # no admin page until the six digits are checked.
        return super().has_permission(request) and twofactor.satisfied(request)

    # Apps and models that ship no Japanese name of their own.
    APP_NAMES = {"axes": "ログインの記録", "otp_totp": "2段階認証"}
    MODEL_NAMES = {"otp_totp": {"TOTPDevice": "認証アプリ"}}

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = self.APP_NAMES.get(app["app_label"], app["name"])
            names = self.MODEL_NAMES.get(app["app_label"], {})
            for model in app["models"]:
                model["name"] = names.get(model["object_name"], model["name"])
        return apps

    def login(self, request, extra_context=None):
        return auth_views.login(self, request, extra_context)

    def index(self, request, extra_context=None):
        return super().index(request, {**dashboard.context(request), **(extra_context or {})})

    def get_urls(self):
        return [*auth_views.urls(self), *personal_data.urls(self), *super().get_urls()]
