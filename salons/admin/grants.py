"""助成金 in the admin: the amount and payment change only through their buttons."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from salons import exports
from salons.admin.base import (
    WORKFLOW_CHANGE_FORM,
    ExportMixin,
    ReferenceSearchMixin,
    WorkflowAdminMixin,
    yen,
)
from salons.forms.admin import GrantAdjustForm, GrantPaidForm
from salons.models import Grant, GrantStatus
from salons.services import WorkflowError, adjust_grant, mark_grant_paid
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.listfilters import fiscal_year_filter


@admin.register(Grant)
class GrantAdmin(ExportMixin, ReferenceSearchMixin, WorkflowAdminMixin, admin.ModelAdmin):
    change_form_template = WORKFLOW_CHANGE_FORM
    changed_only_by_workflow = True
    export_rows = staticmethod(exports.grants_for_export)
    export_response = staticmethod(exports.grants_csv)
    reference_lookup = "plan__reference"
    list_display = [
        "reference",
        "salon",
        "amount_display",
        "computed_display",
        "status",
        "decided_on",
        "paid_on",
    ]
    list_filter = [fiscal_year_filter(year_field="plan__program__fiscal_year"), "status"]
    search_fields = ["plan__reference", "plan__salon_name", "plan__salon__name"]
    search_help_text = "受付番号（R8-0012）かサロン名で探せます。"
    list_select_related = ["plan", "plan__salon"]
    actions = ["mark_paid"]
    fields = [
        "plan_link",
        ("computed_display", "amount_display"),
        "adjustment_reason",
        "status",
        ("decided_on", "paid_on", "settled_on"),
    ]
    readonly_fields = [
        "plan_link",
        "computed_display",
        "amount_display",
        "adjustment_reason",
        "status",
        "decided_on",
        "paid_on",
        "settled_on",
    ]
    fiscal_year_parameter = "plan__program__fiscal_year__exact"

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_add_permission(self, request):
        return False  # a grant is decided by approving its plan

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/adjust/", view(self.adjust_view), name="salons_grant_adjust"),
            path("<path:object_id>/paid/", view(self.paid_view), name="salons_grant_paid"),
            *super().get_urls(),
        ]

    @admin.display(description="受付番号", ordering="plan__serial")
    def reference(self, obj):
        return obj.plan.reference

    @admin.display(description="サロン名")
    def salon(self, obj):
        return obj.plan.display_salon_name

    @admin.display(description="交付額", ordering="amount")
    def amount_display(self, obj):
        return yen(obj.amount)

    @admin.display(description="基準による額", ordering="computed_amount")
    def computed_display(self, obj):
        return yen(obj.computed_amount)

    @admin.display(description="活動計画書")
    def plan_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:salons_activityplan_change", args=[obj.plan_id]),
            str(obj.plan),
        )

    def workflow_actions(self, request, obj):
        if obj.status != GrantStatus.DECIDED:
            return []
        return [
            ("交付額を変える", self.admin_url("adjust", obj.pk)),
            ("交付済にする", self.admin_url("paid", obj.pk)),
        ]

    def grant_summary(self, grant):
        plan = grant.plan
        return [
            ("受付番号", plan.reference),
            ("サロン名", plan.display_salon_name),
            ("基準による額", yen(grant.computed_amount)),
            ("いまの交付額", yen(grant.amount)),
            ("状態", grant.get_status_display()),
            ("交付決定日", format_date(grant.decided_on)),
        ]

    def not_decided(self, request, grant):
        self.message_user(
            request,
            f"この助成金は「{grant.get_status_display()}」のため、変更できません。",
            messages.ERROR,
        )
        return self.back_to(grant)

    def adjust_view(self, request, object_id):
        grant = self.workflow_object(request, object_id)
        if grant.status != GrantStatus.DECIDED:
            return self.not_decided(request, grant)
        if request.method == "POST":
            form = GrantAdjustForm(request.POST, grant=grant)
            if form.is_valid():
                seen = grant.amount
                grant.amount = form.cleaned_data["seen_amount"]
                try:
                    adjust_grant(
                        grant,
                        form.cleaned_data["amount"],
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                    )
                except WorkflowError as error:
                    # Keep what was typed; show the amount as it is now, so a second
                    # press is a decision made on the current figure.
                    grant.amount = seen
                    data = request.POST.copy()
                    data["seen_amount"] = str(seen)
                    form = GrantAdjustForm(data, grant=grant)
                    form.is_valid()
                    form.add_error(None, str(error))
                else:
                    self.log_change(request, grant, f"交付額を{grant.amount:,}円に変更")
                    self.message_user(
                        request, f"交付額を{grant.amount:,}円にしました。", messages.SUCCESS
                    )
                    return self.back_to(grant)
        else:
            form = GrantAdjustForm(
                grant=grant, initial={"amount": grant.amount, "seen_amount": grant.amount}
            )
        return self.confirmation(
            request,
            grant,
            title="交付額を変える",
            form=form,
            submit_label="交付額を変える",
            summary=self.grant_summary(grant),
            intro="基準による額と違う額にするときは、理由を書いてください。理由は履歴に残ります。",
        )

    def paid_view(self, request, object_id):
        grant = self.workflow_object(request, object_id)
        if grant.status != GrantStatus.DECIDED:
            return self.not_decided(request, grant)
        if request.method == "POST":
            form = GrantPaidForm(request.POST, decided_on=grant.decided_on)
            if form.is_valid():
                try:
                    mark_grant_paid(grant, paid_on=form.cleaned_data["paid_on"], actor=request.user)
                except WorkflowError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.log_change(request, grant, "交付済にしました")
                    self.message_user(
                        request,
                        f"{grant.plan.reference} の助成金を交付済にしました"
                        f"（交付日 {format_date(grant.paid_on)}）。",
                        messages.SUCCESS,
                    )
                return self.back_to(grant)
        else:
            form = GrantPaidForm(decided_on=grant.decided_on)
        return self.confirmation(
            request,
            grant,
            title="助成金を交付済にする",
            form=form,
            submit_label="交付済にする",
            summary=self.grant_summary(grant),
            intro="交付した日を入れてください。交付済にすると、交付額は変えられなくなります。",
        )

    @admin.action(description="交付済にする（交付日を入れる）", permissions=["change"])
    def mark_paid(self, request, queryset):
        grants = list(queryset.select_related("plan"))
        if "apply" in request.POST:
            form = GrantPaidForm(request.POST)
            if form.is_valid():
                paid_on = form.cleaned_data["paid_on"]
                done, skipped = [], []
                for grant in grants:
                    if grant.status != GrantStatus.DECIDED or grant.decided_on > paid_on:
                        skipped.append(grant)
                        continue
                    try:
                        mark_grant_paid(grant, paid_on=paid_on, actor=request.user)
                    except WorkflowError:
                        skipped.append(grant)
                    else:
                        done.append(grant)
                if done:
                    self.message_user(
                        request, f"{len(done)}件を交付済にしました。", messages.SUCCESS
                    )
                if skipped:
                    names = "、".join(grant.plan.reference for grant in skipped)
                    self.message_user(
                        request,
                        f"交付決定でないか、交付決定日より前の交付日のため、"
                        f"{len(skipped)}件は変えませんでした: {names}",
                        messages.WARNING,
                    )
                return None
        else:
            form = GrantPaidForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "選んだ助成金を交付済にする",
            "grants": grants,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/salons/grant/mark_paid.html", context)
