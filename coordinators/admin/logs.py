"""Admin for coordinators and their activity logs (地域資源 are in admin/resources.py).

A coordinator who logs in sees their own logs at the top of the list, and a new
log starts as theirs. CSV exports are actions on the chosen logs, so the
changelist's filters (年度, coordinator, area, kind) decide what goes in.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import format_html

from coordinators import exports
from coordinators.forms.logs import (
    ActivityLogAdminForm,
    ActivityLogPhotoAdminForm,
    CoordinatorAdminForm,
)
from coordinators.models import ActivityLog, ActivityLogPhoto, Coordinator
from shakyo_portal.core.listfilters import fiscal_year_filter
from shakyo_portal.staff.exports import guarded_export


@admin.register(Coordinator)
class CoordinatorAdmin(admin.ModelAdmin):
    form = CoordinatorAdminForm
    list_display = [
        "display_name",
        "kind",
        "layer",
        "office",
        "active_period",
        "is_public",
        "display_order",
    ]
    list_editable = ["display_order"]
    list_filter = ["kind", "layer", "is_public"]
    search_fields = ["display_name", "reading", "message"]
    list_select_related = ["office"]
    autocomplete_fields = ["user"]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    fieldsets = [
        (
            None,
            {"fields": ["display_name", "reading", "kind", "layer", "is_public", "display_order"]},
        ),
        (
            "担当",
            {
                "fields": ["life_areas", "districts", ("active_from", "active_until")],
                "description": (
                    "圏域も地区も選ばないときは、市全域の担当として表示します。"
                    "担当の期間が終わると、公開ページに出なくなります（活動報告は残ります）。"
                ),
            },
        ),
        (
            "紹介（公開）",
            {
                "fields": ["photo", "photo_alt", "message"],
                "description": "写真は本人の了承を得たものだけを載せてください。",
            },
        ),
        (
            "連絡と職員アカウント",
            {
                "fields": ["office", "user"],
                "description": (
                    "公開ページには、選んだ窓口の電話番号などを案内します（個人の連絡先は出ません）。"
                    "職員アカウントを結びつけると、その人の活動記録が一覧の上に並びます。"
                ),
            },
        ),
    ]

    @admin.display(description="担当の期間")
    def active_period(self, obj):
        return obj.active_period_label


class MineFilter(admin.SimpleListFilter):
    title = "担当"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "自分の記録")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(coordinator__user=request.user)
        return queryset


class ActivityLogPhotoInline(admin.TabularInline):
    model = ActivityLogPhoto
    form = ActivityLogPhotoAdminForm
    fields = ["preview", "image", "alt_text", "caption", "display_order"]
    readonly_fields = ["preview"]
    extra = 1
    verbose_name_plural = (
        "写真（公開する記録では、活動報告に載ります。写っている方の了承を得てください）"
    )

    @admin.display(description="いまの写真")
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="{}" width="160">', obj.image.url, obj.alt_text)


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    form = ActivityLogAdminForm
    list_display = [
        "when",
        "title",
        "coordinator",
        "area",
        "kind",
        "visibility",
        "consultations",
        "referrals",
        "participants",
        "mine",
    ]
    list_display_links = ["when", "title"]
    list_filter = [
        fiscal_year_filter(date_field="date"),
        MineFilter,
        ("coordinator", admin.RelatedOnlyFieldListFilter),
        ("district", admin.RelatedOnlyFieldListFilter),
        ("life_area", admin.RelatedOnlyFieldListFilter),
        "kind",
        "visibility",
    ]
    search_fields = ["title", "narrative", "staff_notes", "coordinator__display_name"]
    date_hierarchy = "date"
    list_select_related = ["coordinator", "district", "life_area"]
    autocomplete_fields = ["district", "resource"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ActivityLogPhotoInline]
    actions = ["export_logs", "export_insights"]
    fieldsets = [
        (
            None,
            {"fields": ["coordinator", ("date", "date_precision"), "kind", "title", "narrative"]},
        ),
        (
            "時間と会場",
            {
                "fields": [("starts_at", "ends_at"), "place"],
                "description": (
                    "分かるときだけ入れます（例: フードドライブ 10:00〜14:00、会場名）。"
                    "空欄なら、公開ページにも出ません。"
                ),
            },
        ),
        (
            "地域",
            {
                "fields": ["district", "life_area", "resource"],
                "description": (
                    "地区社協か日常生活圏域を選びます（両方選ぶときは、その圏域の地区社協を）。"
                    "どちらも選ばないときは市全域の活動として数えます。"
                ),
            },
        ),
        ("件数", {"fields": ["consultations", "referrals", "participants"]}),
        ("公開", {"fields": ["visibility", "staff_notes"]}),
        ("登録", {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # is_mine is 1 for the logs of the coordinator this account belongs to, so that
        # they sort first; ModelAdmin would order by it before it exists, so this orders.
        return (
            self.model._default_manager.get_queryset()
            .annotate(
                is_mine=Case(
                    When(coordinator__user=request.user, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by(*self.get_ordering(request))
        )

    def get_ordering(self, request):
        return ["-is_mine", "-date", "-pk"]

    def get_changeform_initial_data(self, request):
        initial = {"date": timezone.localdate(), **super().get_changeform_initial_data(request)}
        coordinator = Coordinator.objects.filter(user=request.user).first()
        if coordinator is not None:
            initial.setdefault("coordinator", coordinator.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # Only a published report has a public page.
        return obj.get_absolute_url() if obj.is_published else None

    @admin.display(description="活動日", ordering="date")
    def when(self, obj):
        return obj.date_label

    @admin.display(description="地域")
    def area(self, obj):
        if obj.district:
            return obj.district.name
        return obj.life_area.name if obj.life_area else "市全域"

    @admin.display(description="自分の記録", boolean=True, ordering="is_mine")
    def mine(self, obj):
        return bool(obj.is_mine)

    @admin.action(description="選んだ活動記録をCSVで書き出す", permissions=["export"])
    def export_logs(self, request, queryset):
        return guarded_export(
            request, self._plain(queryset), label="活動記録", build=exports.logs_csv
        )

    @admin.action(
        description="選んだ活動記録の見える化の集計（年度ごと）をCSVで書き出す",
        permissions=["export"],
    )
    def export_insights(self, request, queryset):
        return guarded_export(
            request,
            self._plain(queryset),
            label="活動記録の見える化の集計",
            build=exports.insights_csv,
        )

    @staticmethod
    def _plain(queryset):
        # Without this page's ordering annotation, which would split the CSV's groups.
        return ActivityLog.objects.filter(pk__in=queryset.values("pk"))
