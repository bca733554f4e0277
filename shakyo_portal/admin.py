"""Django's admin autodiscovery imports this module: the back office's
admin for the site's own content, the staff accounts, the audit trail and the
mails being sent."""

from shakyo_portal.backoffice import audit_admin, mail_admin, site_admin, user_admin  # noqa: F401
