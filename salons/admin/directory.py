"""The directory and the year's rules: target groups, activity types, salons, grant programs."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html, format_html_join

from salons.forms.admin import GrantProgramAdminForm, SalonPhotoAdminForm
from salons.grants import rules_in_words
from salons.models import (
    GrantProgram,
    GrantTier,
    Salon,
    SalonActivityType,
    SalonPhoto,
    SalonScheduleChange,
    TargetGroup,
)


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SalonActivityType)
class SalonActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SalonPhotoInline(admin.TabularInline):
    model = SalonPhoto
    form = SalonPhotoAdminForm
    fields = ["preview", "image", "alt_text", "display_order"]
    readonly_fields = ["preview"]
    extra = 1

    @admin.display(description="いまの写真")
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="160" height="{}">',
            obj.image.url,
            obj.alt_text,
            round(160 * obj.height / obj.width) if obj.width and obj.height else 120,
        )


class SalonScheduleChangeInline(admin.TabularInline):
    """休み and 中止 next to the schedule they change: the public pages and the
    calendar feeds take the coming dates from both."""

    model = SalonScheduleChange
    fields = ["kind", "starts_on", "ends_on", "every_year", "reason"]
    extra = 1
    verbose_name = "休み・中止"
    verbose_name_plural = (
        "休み・中止（休みの期間の開催日は表示しません。中止の日は「中止」と表示します）"
    )


@admin.register(Salon)
class SalonAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "schedule", "status", "last_held_on"]
    list_filter = [
        ("district", admin.RelatedOnlyFieldListFilter),
        "status",
        "target_groups",
        "activity_types",
    ]
    search_fields = ["name", "reading", "venue_name", "organiser_name"]
    list_select_related = ["district"]
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4})},
    }
    readonly_fields = ["last_held_on", "created_at", "updated_at"]
    inlines = [SalonScheduleChangeInline, SalonPhotoInline]
    fieldsets = [
        (None, {"fields": ["name", "reading", "district", "status", "welcomes_newcomers"]}),
        (
            "会場",
            {
                "fields": ["venue_name", "venue_address", ("latitude", "longitude")],
                "description": "緯度と経度を入れると、地図に表示されます。",
            },
        ),
        (
            "開催日",
            {
                "fields": [
                    "frequency",
                    "weeks_of_month",
                    "weekday",
                    ("starts_at", "ends_at"),
                    "schedule_note",
                ]
            },
        ),
        (
            "活動の内容",
            {"fields": ["description", "target_groups", "activity_types", "fee", "fee_note"]},
        ),
        (
            "代表者（非公開）",
            {
                "fields": ["organiser_name", "organiser_phone", "organiser_email"],
                "description": (
                    "ここに入れた代表者の連絡先は、公開ページには表示されません。"
                    "サロンについての問い合わせは、社協の窓口が受けます。"
                ),
            },
        ),
        (
            "記録",
            {
                "fields": ["last_held_on", "created_at", "updated_at"],
                "description": (
                    "最終開催日（実績報告から）は、確認した実績報告から自動で入ります。"
                    "公開ページには表示しません。"
                ),
            },
        ),
    ]

    @admin.display(description="開催日")
    def schedule(self, obj):
        return obj.schedule_label


# --- the year's grant rules -----------------------------------------------------------


class GrantTierInline(admin.TabularInline):
    model = GrantTier
    extra = 1
    verbose_name = "開催回数による加算"
    verbose_name_plural = "開催回数による加算（年間の開催回数が多いサロンに加算する額）"


@admin.register(GrantProgram)
class GrantProgramAdmin(admin.ModelAdmin):
    form = GrantProgramAdminForm
    list_display = ["name", "fiscal_year_display", "opens_on", "closes_on", "report_due_on"]
    search_fields = ["name"]
    inlines = [GrantTierInline]
    readonly_fields = ["rules_preview"]
    fieldsets = [
        (
            None,
            {"fields": ["fiscal_year", "name", ("opens_on", "closes_on"), "report_due_on"]},
        ),
        (
            "金額の基準",
            {
                "fields": [
                    "base_amount",
                    "late_start_base_amount",
                    "per_participant_amount",
                    "startup_amount",
                    "cap_amount",
                ],
                "description": (
                    "助成額 = 基本額 + 参加者1人あたりの額 × 参加者数 + 開催回数による加算"
                    " + 立ち上げ額（新規・再開のみ）。上限額を超えるときは上限額にします。"
                ),
            },
        ),
        ("対象の条件", {"fields": ["min_sessions", "min_participants", "notes"]}),
        (
            "公開ページでの説明",
            {
                "fields": ["rules_preview"],
                "description": "保存した基準を、申請者向けにこのように説明します。",
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tiers")

    @admin.display(description="年度", ordering="fiscal_year")
    def fiscal_year_display(self, obj):
        return obj.fiscal_year_label

    @admin.display(description="説明の例")
    def rules_preview(self, obj):
        if obj is None or obj.pk is None:
            return "保存すると、ここに説明が表示されます。"
        rules = rules_in_words(obj, tiers=list(obj.tiers.all()))
        if not rules:
            return "まだ金額の基準が入っていません。"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in rules))
        )
