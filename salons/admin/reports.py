"""実績報告 in the admin: confirm (settling the grant) or return with a reason."""

from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html

from salons.admin.base import (
    WORKFLOW_CHANGE_FORM,
    ReadOnlyInline,
    ReferenceSearchMixin,
    WorkflowAdminMixin,
    yen,
)
from salons.admin.plans import PlanAttachmentInline
from salons.forms.admin import ReportDecisionForm
from salons.models import ActivityReport, BudgetLine, ReportStatus
from salons.services import WorkflowError, confirm_report, return_report
from salons.workflow import REPORT, Actor
from shakyo_portal.core.dates import format_date, format_datetime
from shakyo_portal.core.listfilters import fiscal_year_filter

# The confirmation page behind each of staff's moves, by the status it leads to.
DECISION_VIEWS = {ReportStatus.CONFIRMED: "confirm", ReportStatus.RETURNED: "return"}
REPORT_ACTIONS = REPORT.actions(Actor.STAFF)


class SpendingLineInline(ReadOnlyInline, admin.TabularInline):
    model = BudgetLine
    fk_name = "report"
    verbose_name_plural = "支出（決算）"
    fields = ["item", "note", "amount_display"]
    readonly_fields = fields

    @admin.display(description="金額")
    def amount_display(self, obj):
        return yen(obj.amount)


class ReportAttachmentInline(PlanAttachmentInline):
    fk_name = "report"
    verbose_name_plural = "写真"


@admin.register(ActivityReport)
class ActivityReportAdmin(ReferenceSearchMixin, WorkflowAdminMixin, admin.ModelAdmin):
    change_form_template = WORKFLOW_CHANGE_FORM
    changed_only_by_workflow = True
    reference_lookup = "plan__reference"
    list_display = [
        "reference",
        "salon",
        "sessions_held",
        "total_participants",
        "status",
        "submitted_display",
    ]
    list_filter = ["status", fiscal_year_filter(year_field="plan__program__fiscal_year")]
    fiscal_year_parameter = "plan__program__fiscal_year__exact"
    search_fields = ["plan__reference", "plan__salon_name", "plan__salon__name"]
    list_select_related = ["plan", "plan__salon"]
    inlines = [SpendingLineInline, ReportAttachmentInline]
    fields = [
        "plan_link",
        "status",
        ("sessions_held", "total_participants", "total_helpers"),
        "last_held_on",
        "spending_total_display",
        "grant_display",
        "comments",
        ("submitted_display", "confirmed_at"),
    ]
    readonly_fields = [
        "plan_link",
        "status",
        "sessions_held",
        "total_participants",
        "total_helpers",
        "last_held_on",
        "spending_total_display",
        "grant_display",
        "comments",
        "submitted_display",
        "confirmed_at",
    ]

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False  # the organiser sends it against the plan's reference

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/confirm/",
                view(self.confirm_view),
                name="salons_activityreport_confirm",
            ),
            path(
                "<path:object_id>/return/",
                view(self.return_view),
                name="salons_activityreport_return",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="受付番号", ordering="plan__serial")
    def reference(self, obj):
        return obj.plan.reference

    @admin.display(description="サロン名")
    def salon(self, obj):
        return obj.plan.display_salon_name

    @admin.display(description="提出日時", ordering="submitted_at")
    def submitted_display(self, obj):
        return format_datetime(obj.submitted_at)

    @admin.display(description="活動計画書")
    def plan_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:salons_activityplan_change", args=[obj.plan_id]),
            str(obj.plan),
        )

    @admin.display(description="支出の合計")
    def spending_total_display(self, obj):
        return yen(obj.spending_total)

    @admin.display(description="助成金")
    def grant_display(self, obj):
        grant = obj.plan.grant_or_none
        if grant is None:
            return "なし"
        return f"{yen(grant.amount)}（{grant.get_status_display()}）"

    def workflow_actions(self, request, obj):
        return [
            (move.action, self.admin_url(DECISION_VIEWS[move.to], obj.pk))
            for move in REPORT.moves(obj.status, Actor.STAFF)
        ]

    def report_summary(self, report):
        return [
            ("受付番号", report.plan.reference),
            ("サロン名", report.plan.display_salon_name),
            ("開催回数", f"{report.sessions_held}回"),
            ("延べ参加者数", f"{report.total_participants}人"),
            ("最後に開催した日", format_date(report.last_held_on)),
            ("いまの状態", report.get_status_display()),
        ]

    def decision_view(self, request, object_id, *, returning: bool):
        report = self.workflow_object(request, object_id)
        target = ReportStatus.RETURNED if returning else ReportStatus.CONFIRMED
        needs_reason = REPORT[target].reason_required
        if report.status not in REPORT.sources(target, by=Actor.STAFF):
            self.message_user(
                request,
                f"この実績報告は「{report.get_status_display()}」のため、操作できません。",
                messages.ERROR,
            )
            return self.back_to(report)
        if request.method == "POST":
            form = ReportDecisionForm(request.POST, needs_reason=needs_reason)
            if form.is_valid():
                try:
                    if form.cleaned_data["seen_status"] != report.status:
                        raise WorkflowError("ほかの職員が先にこの記録を変更しました。")
                    if returning:
                        return_report(
                            report, actor=request.user, reason=form.cleaned_data["reason"]
                        )
                    else:
                        confirm_report(report, actor=request.user)
                except WorkflowError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.log_change(request, report, f"実績報告を「{target.label}」に変更")
                    self.message_user(
                        request, f"実績報告を「{target.label}」にしました。", messages.SUCCESS
                    )
                return self.back_to(report)
        else:
            form = ReportDecisionForm(
                needs_reason=needs_reason, initial={"seen_status": report.status}
            )
        if returning:
            title = "実績報告を差し戻す"
            intro = "差し戻すと、理由を申請者にメールで知らせます。申請者は直して出し直せます。"
        else:
            title = "実績報告を確認する"
            intro = (
                "確認すると、この年度の助成金を精算済にし、"
                "サロンの最終開催日をこの報告の日付にします。"
            )
        return self.confirmation(
            request,
            report,
            title=title,
            form=form,
            submit_label=REPORT_ACTIONS[target],
            summary=self.report_summary(report),
            intro=intro,
        )

    def confirm_view(self, request, object_id):
        return self.decision_view(request, object_id, returning=False)

    def return_view(self, request, object_id):
        return self.decision_view(request, object_id, returning=True)
