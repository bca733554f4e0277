from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import setting_changed
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ShakyoPortalConfig(AppConfig):
    default = True
    name = "shakyo_portal"
    verbose_name = "社協の基本情報"

    def ready(self):
        from shakyo_portal.backoffice import sessions
        from shakyo_portal.core import cacheversions, declarations
        from shakyo_portal.staff import access, audit

        # What each app declares in its portal.py that the policy core reads.
        for name, resolver in declarations.collect_mapping("STAFF_SCOPES").items():
            access.register_scope(name, resolver)
        audit.register_models()
        sessions.connect_signals()
        post_migrate.connect(_sync_groups)
        # Every write, by whatever path, gives the page cache's topics new versions.
        connection_created.connect(cacheversions.install)
        for connection in connections.all():
            cacheversions.install(connection=connection)
        # A test that changes a setting changes what pages show.
        setting_changed.connect(cacheversions.bump_all)


def _sync_groups(sender, **kwargs):
    from django.apps import apps

    from shakyo_portal.staff.roles import sync_groups

    # Once per migrate, after the last app: by then every model's permissions exist.
    if sender is list(apps.get_app_configs())[-1]:
        sync_groups(verbosity=0)


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "shakyo_portal.backoffice.admin_site.PortalAdminSite"
