"""送信するメール: the mails the site is sending (shakyo_portal.core.mail), so
staff see one the mail server refused, with its error, and send it again once
the server is back, or tell the resident another way.

Only the addresses, subjects and state are shown: the body (a resident's plan,
a link to reopen it) is no one's to read here, and is emptied once sent.
"""

from django.contrib import admin, messages
from django_tasks_db.models import DBTaskResult

from shakyo_portal.core import mail
from shakyo_portal.core.models import MailStatus, OutgoingMail

# The queue's own rows (task ids, arguments) say nothing a person can act on;
# the mails they send are listed here instead.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "status",
        "recipients_shown",
        "subject",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "status",
        "to",
        "subject",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description="宛先")
    def recipients_shown(self, obj):
        return ", ".join(obj.recipients)

    # Mails are written by the site, never by hand; a sent one is a record of
    # what went out.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="選んだメールを今すぐ送り直す", permissions=["view"])
    def send_again(self, request, queryset):
        waiting = list(queryset.exclude(status=MailStatus.SENT))
        skipped = queryset.filter(status=MailStatus.SENT).count()
        for outgoing in waiting:
            mail.queue_again(outgoing)
        if waiting:
            self.message_user(
                request,
                f"{len(waiting)}件のメールを送信の列に戻しました。"
                "結果は少し後にこの一覧の「状態」でご確認ください。",
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request, f"{skipped}件は送信済みのため、送り直していません。", messages.WARNING
            )
