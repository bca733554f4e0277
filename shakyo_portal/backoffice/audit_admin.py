"""The site-wide history report and the login log, for 管理者.

Nothing here can be added, changed or deleted from the admin: the trail is
only ever written by the portal itself (and trimmed by apply_retention).
"""

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.template.loader import render_to_string

from shakyo_portal.staff import audit

for model in (LogEntry, AccessLog, AccessFailureLog, AccessAttempt):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReadOnlyTrail(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LogEntry)
class AuditLogAdmin(ReadOnlyTrail):
    list_display = ["timestamp", "who", "what", "content_type", "object_repr", "changed_fields"]
    list_filter = ["action", "timestamp", ("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["object_repr", "actor__username", "actor__last_name", "remote_addr"]
    date_hierarchy = "timestamp"
    list_select_related = ["actor", "content_type"]
    list_per_page = 50
    fields = ["timestamp", "who", "what", "content_type", "object_repr", "remote_addr", "detail"]
    readonly_fields = fields

    @admin.display(description="操作した人", ordering="actor__username")
    def who(self, obj):
        return audit.actor_name(obj.actor)

    @admin.display(description="操作", ordering="action")
    def what(self, obj):
        return audit.ACTION_LABELS.get(obj.action, obj.get_action_display())

    @admin.display(description="変更した項目")
    def changed_fields(self, obj):
        return "、".join(change["field"] for change in audit.describe(obj)["changes"])

    @admin.display(description="内容")
    def detail(self, obj):
        return render_to_string("admin/staff/audit_detail.html", {"item": audit.describe(obj)})


class LoginLogAdmin(ReadOnlyTrail):
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    list_per_page = 50


@admin.register(AccessLog)
class AccessLogAdmin(LoginLogAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address", "user_agent"]
    list_filter = ["attempt_time"]
    fields = list_display
    readonly_fields = fields


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(LoginLogAdmin):
    list_display = ["attempt_time", "username", "ip_address", "locked_out", "user_agent"]
    list_filter = ["attempt_time", "locked_out"]
    fields = list_display
    readonly_fields = fields


@admin.register(AccessAttempt)
class AccessAttemptAdmin(LoginLogAdmin):
    """Current failure counts; deleting one lifts that lockout early."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    fields = list_display
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return admin.ModelAdmin.has_delete_permission(self, request, obj)
