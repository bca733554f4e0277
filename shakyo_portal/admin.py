"""Django's admin autodiscovery imports this module: the back office's
admin for the site's own content, the staff accounts and the audit trail."""

from shakyo_portal.backoffice import audit_admin, site_admin, user_admin  # noqa: F401
