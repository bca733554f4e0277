"""活動計画書 in the admin: review steps, paper entry and 受付, the CSV of a 年度."""

from django.contrib import admin, messages
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html

from salons import exports
from salons.admin.base import (
    WORKFLOW_CHANGE_FORM,
    ExportMixin,
    ParentPermissionInline,
    ReadOnlyInline,
    ReferenceSearchMixin,
    WorkflowAdminMixin,
    attachment_link,
    yen,
)
from salons.forms.admin import (
    ActivityPlanAdminForm,
    BudgetLineAdminForm,
    ReceiveForm,
    TransitionForm,
)
from salons.grants import plan_grant_mismatch
from salons.models import (
    ActivityPlan,
    Attachment,
    BudgetLine,
    Channel,
    Grant,
    PlanStatus,
    StatusChange,
)
from salons.services import (
    WorkflowError,
    allowed_transitions,
    refresh_estimate,
    submit_plan,
    transition,
)
from salons.workflow import RECEIVABLE, REVIEW_ACTIONS, SEND
from shakyo_portal.core.dates import format_datetime
from shakyo_portal.core.listfilters import fiscal_year_filter


class BudgetLineInline(ParentPermissionInline, admin.TabularInline):
    model = BudgetLine
    fk_name = "plan"
    form = BudgetLineAdminForm
    extra = 0
    verbose_name = "予算の行"
    verbose_name_plural = "予算（収入と支出）"


class PlanAttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = Attachment
    fk_name = "plan"
    fields = ["file_link", "kind", "uploaded_at_display"]
    readonly_fields = fields

    @admin.display(description="ファイル")
    def file_link(self, obj):
        return attachment_link(obj)

    @admin.display(description="登録日時")
    def uploaded_at_display(self, obj):
        return format_datetime(obj.uploaded_at)


class GrantInline(ReadOnlyInline, admin.StackedInline):
    model = Grant
    verbose_name_plural = "助成金"
    fields = [
        ("amount_display", "computed_display"),
        ("status", "decided_on", "paid_on", "settled_on"),
        "adjustment_reason",
        "grant_page",
    ]
    readonly_fields = [
        "amount_display",
        "computed_display",
        "status",
        "decided_on",
        "paid_on",
        "settled_on",
        "adjustment_reason",
        "grant_page",
    ]

    @admin.display(description="交付額")
    def amount_display(self, obj):
        return yen(obj.amount)

    @admin.display(description="基準による額")
    def computed_display(self, obj):
        return yen(obj.computed_amount)

    @admin.display(description="操作")
    def grant_page(self, obj):
        return format_html(
            '<a href="{}">交付額の変更・交付済の記録は助成金の画面で</a>',
            reverse("admin:salons_grant_change", args=[obj.pk]),
        )


class StatusChangeInline(ReadOnlyInline, admin.TabularInline):
    model = StatusChange
    verbose_name_plural = "状態の履歴（だれが・いつ・何から何へ・理由）"
    fields = ["at_display", "actor_display", "subject", "change_display", "reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="日時")
    def at_display(self, obj):
        return format_datetime(obj.at)

    @admin.display(description="操作した人")
    def actor_display(self, obj):
        return obj.actor_label

    @admin.display(description="変更")
    def change_display(self, obj):
        return f"{obj.from_status_label} → {obj.to_status_label}"


@admin.register(ActivityPlan)
class ActivityPlanAdmin(ExportMixin, ReferenceSearchMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = ActivityPlanAdminForm
    change_form_template = WORKFLOW_CHANGE_FORM
    export_rows = staticmethod(exports.plans_for_export)
    export_response = staticmethod(exports.plans_csv)
    list_display = [
        "reference_display",
        "fiscal_year_display",
        "salon_display",
        "district",
        "kind",
        "status",
        "channel",
        "estimated_display",
        "grant_display",
        "submitted_display",
    ]
    list_filter = [
        fiscal_year_filter(year_field="program__fiscal_year"),
        "status",
        ("district", admin.RelatedOnlyFieldListFilter),
        "kind",
        "channel",
        "requests_grant",
    ]
    search_fields = ["reference", "salon_name", "salon__name", "representative_name"]
    search_help_text = "受付番号（R8-0012）、サロン名、代表者の氏名で探せます。"
    list_select_related = ["program", "salon", "district", "grant"]
    actions = ["start_review"]
    inlines = [BudgetLineInline, PlanAttachmentInline, GrantInline, StatusChangeInline]
    fiscal_year_parameter = "program__fiscal_year__exact"

    def get_fieldsets(self, request, obj=None):
        head = ["program", "kind", "channel", "requests_grant"]
        if obj is not None:
            head = [
                ("reference", "status"),
                "program",
                ("kind", "channel"),
                "submitted_at",
                ("requests_grant", "estimated_display"),
            ]
        return [
            (None, {"fields": head}),
            (
                "サロン",
                {
                    "fields": [
                        "salon",
                        ("salon_name", "salon_reading"),
                        "district",
                        "target_groups",
                        "activity_types",
                    ],
                    "description": (
                        "登録済みのサロンは「サロン」で選びます。新規のサロンはサロン名と地区を"
                        "入れてください（承認するとサロンが登録されます）。"
                    ),
                },
            ),
            (
                "代表者（非公開）",
                {
                    "fields": [
                        ("representative_name", "representative_reading"),
                        ("representative_phone", "representative_email"),
                        ("representative_postal_code", "representative_address"),
                    ],
                    "description": "申請者の個人情報です。公開ページには表示されません。",
                },
            ),
            (
                "会場と開催日",
                {
                    "fields": [
                        ("venue_name", "venue_address"),
                        "frequency",
                        "weeks_of_month",
                        "weekday",
                        ("starts_at", "ends_at"),
                        "schedule_note",
                        ("first_session_on", "last_session_on"),
                        "sessions_planned",
                    ]
                },
            ),
            (
                "参加者と活動",
                {"fields": [("expected_participants", "expected_helpers"), "content"]},
            ),
            *([("収支", {"fields": ["budget_totals_display"]})] if obj is not None else []),
            ("同意と職員メモ", {"fields": ["consented_at", "staff_note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = [
            "reference",
            "status",
            "submitted_at",
            "estimated_display",
            "budget_totals_display",
        ]
        if obj.reference:
            fields.append("program")  # the reference says which 年度
        if obj.channel == Channel.WEB or obj.status not in RECEIVABLE:
            fields.append("channel")
        return fields

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # a sent plan is a record; see has_delete_permission
        return actions

    def has_change_permission(self, request, obj=None):
        # An organiser's draft is theirs until they send it.
        if obj is not None and obj.status == PlanStatus.DRAFT and obj.channel == Channel.WEB:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != PlanStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<str:to>/",
                view(self.transition_view),
                name="salons_activityplan_transition",
            ),
            path(
                "<path:object_id>/receive/",
                view(self.receive_view),
                name="salons_activityplan_receive",
            ),
            *super().get_urls(),
        ]

    # The changelist's columns

    @admin.display(description="受付番号", ordering="serial")
    def reference_display(self, obj):
        return obj.reference or "（下書き）"

    @admin.display(description="年度", ordering="program__fiscal_year")
    def fiscal_year_display(self, obj):
        return obj.program.fiscal_year_label

    @admin.display(description="サロン名", ordering="salon_name")
    def salon_display(self, obj):
        return obj.display_salon_name

    @admin.display(description="助成額の見込み", ordering="estimated_amount")
    def estimated_display(self, obj):
        return yen(obj.estimated_amount)

    @admin.display(description="交付額", ordering="grant__amount")
    def grant_display(self, obj):
        grant = obj.grant_or_none
        return yen(grant.amount) if grant else "—"

    @admin.display(description="提出日時", ordering="submitted_at")
    def submitted_display(self, obj):
        return format_datetime(obj.submitted_at) if obj.submitted_at else "—"

    @admin.display(description="収入と支出の合計")
    def budget_totals_display(self, obj):
        income, expense = obj.budget_totals()
        text = f"収入 {income:,}円 ／ 支出 {expense:,}円"
        return text if income == expense else f"{text}（収入と支出が一致していません）"

    # Pages

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        if obj.submitted_at is not None:
            # The figure in the list follows corrections; approval recomputes it anyway.
            obj.estimated_amount = refresh_estimate(obj)
        # Only the fields on the form: status, reference and tokens belong to the
        # services, and a step taken while this form was being saved must stay.
        concrete = {field.name for field in obj._meta.concrete_fields}
        names = [name for name in form.fields if name in concrete]
        obj.save(update_fields=[*names, "estimated_amount", "updated_at"])

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            f"「{obj}」を下書きとして保存しました。内容を確かめて「受付する」を押すと、"
            "受付番号がつきます。",
            messages.SUCCESS,
        )
        return self.back_to(obj)

    def grant_warning(self, plan) -> str:
        """The budget's 助成金 against the 交付決定 (once there is one) or the rules."""
        grant = plan.grant_or_none
        mismatch = plan_grant_mismatch(plan, decided=grant.amount if grant else None)
        if mismatch is None:
            return ""
        if grant is not None:
            return (
                f"{mismatch.message}申請者の予算と交付額が合っていません。"
                "必要なら、助成金の画面で交付額を変えるか、申請者に予算の直しを伝えてください。"
            )
        return (
            f"{mismatch.message}承認すると、交付決定額は{mismatch.amount:,}円になります"
            "（あとで助成金の画面から変えられます）。申請者の予算と合っているか確かめてください。"
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context["grant_warning"] = self.grant_warning(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_actions(self, request, obj):
        if obj.channel != Channel.WEB and obj.status in RECEIVABLE:
            return [(SEND.action, self.admin_url("receive", obj.pk))]
        return [
            (REVIEW_ACTIONS[to], self.admin_url("transition", obj.pk, to.value))
            for to in allowed_transitions(obj)
        ]

    def plan_summary(self, plan):
        return [
            ("受付番号", plan.reference or "（まだありません）"),
            ("年度", plan.program.fiscal_year_label),
            ("サロン名", plan.display_salon_name),
            ("代表者", plan.representative_name or "—"),
            ("いまの状態", plan.get_status_display()),
            ("受付方法", plan.get_channel_display()),
            ("助成額の見込み", yen(plan.estimated_amount)),
        ]

    def transition_view(self, request, object_id, to):
        plan = self.workflow_object(request, object_id)
        try:
            target = PlanStatus(to)
        except ValueError:
            raise Http404 from None
        if target not in REVIEW_ACTIONS:
            raise Http404
        if request.method == "POST":
            form = TransitionForm(request.POST, target=target)
            if form.is_valid():
                try:
                    transition(
                        plan,
                        target,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                        seen_status=form.cleaned_data["seen_status"],
                    )
                except WorkflowError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.log_change(request, plan, f"状態を「{target.label}」に変更")
                    self.message_user(
                        request, f"「{plan}」を「{target.label}」にしました。", messages.SUCCESS
                    )
                    if target == PlanStatus.APPROVED and (warning := self.grant_warning(plan)):
                        self.message_user(request, warning, messages.WARNING)
                return self.back_to(plan)
        else:
            if target not in allowed_transitions(plan):
                self.message_user(
                    request,
                    f"「{plan.get_status_display()}」の活動計画書は「{target.label}」にできません。",
                    messages.ERROR,
                )
                return self.back_to(plan)
            form = TransitionForm(target=target, initial={"seen_status": plan.status})
        intro = {
            PlanStatus.REVIEWING: "この活動計画書の審査を始めます。",
            PlanStatus.APPROVED: (
                "承認すると、基準による額で助成金の交付決定を記録し、"
                "新規のサロンは一覧に登録して、申請者にメールで知らせます。"
            ),
            PlanStatus.RETURNED: (
                "差し戻すと、申請者に修正用のリンクと理由をメールで送ります。"
                "申請者が直して再提出すると、また受付になります。"
            ),
            PlanStatus.REJECTED: "不承認にすると、理由を申請者にメールで知らせます。",
        }[target]
        response = self.confirmation(
            request,
            plan,
            title=f"活動計画書を「{target.label}」にする",
            form=form,
            submit_label=REVIEW_ACTIONS[target],
            summary=self.plan_summary(plan),
            intro=intro,
        )
        if target == PlanStatus.APPROVED:
            # Read by admin/salons/confirm.html; the response renders only when returned.
            response.context_data["warning"] = self.grant_warning(plan)
        return response

    def receive_view(self, request, object_id):
        plan = self.workflow_object(request, object_id)
        if plan.channel == Channel.WEB or plan.status not in RECEIVABLE:
            self.message_user(
                request,
                "受付できるのは、職員が入力した下書きか差戻しの活動計画書だけです。",
                messages.ERROR,
            )
            return self.back_to(plan)
        if request.method == "POST":
            form = ReceiveForm(request.POST)
            if form.is_valid():
                try:
                    if form.cleaned_data["seen_status"] != plan.status:
                        raise WorkflowError("この活動計画書はすでに提出されています。")
                    submit_plan(plan, actor=request.user, channel=plan.channel)
                except WorkflowError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.log_change(request, plan, f"{plan.get_channel_display()}で受付")
                    self.message_user(
                        request,
                        f"{plan.get_channel_display()}で受付しました。"
                        f"受付番号は {plan.reference} です。",
                        messages.SUCCESS,
                    )
                return self.back_to(plan)
        else:
            form = ReceiveForm(initial={"seen_status": plan.status})
        return self.confirmation(
            request,
            plan,
            title="活動計画書を受付する",
            form=form,
            submit_label=SEND.action,
            summary=self.plan_summary(plan),
            intro=(
                f"{plan.get_channel_display()}で受け取った活動計画書として受付し、"
                "受付番号をつけます。メールアドレスがあれば、申請者に受付のメールを送ります。"
            ),
        )

    @admin.action(description="審査中にする（受付の活動計画書だけ）", permissions=["change"])
    def start_review(self, request, queryset):
        changed, skipped = [], []
        for plan in queryset.select_related("program"):
            if plan.status != PlanStatus.RECEIVED:
                skipped.append(plan)
                continue
            try:
                transition(
                    plan,
                    PlanStatus.REVIEWING,
                    actor=request.user,
                    seen_status=PlanStatus.RECEIVED,
                )
            except WorkflowError:
                skipped.append(plan)
            else:
                changed.append(plan)
        if changed:
            self.message_user(request, f"{len(changed)}件を審査中にしました。", messages.SUCCESS)
        if skipped:
            names = "、".join(str(plan) for plan in skipped)
            self.message_user(
                request,
                f"受付の状態ではないため、{len(skipped)}件は変えませんでした: {names}",
                messages.WARNING,
            )
