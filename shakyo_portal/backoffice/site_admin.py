from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from shakyo_portal.core import office_hours
from shakyo_portal.core.fields import LenientDateField, LenientTimeField
from shakyo_portal.core.models import (
    BasicGoal,
    EmergencyNotice,
    MainProject,
    Office,
    OfficeHoursPeriod,
    OfficePhone,
    OfficeSpecialDay,
    PlanPhoto,
    Policy,
    PracticePlan,
    PrivacyPolicy,
    PrivacyPolicySection,
    SiteProfile,
    Weekday,
)
from shakyo_portal.core.uploads import PhotoField

SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4})}}


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "phone", "email"]

    # The site has exactly one profile: it can be edited, not added twice or removed.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class OfficeHoursPeriodForm(forms.ModelForm):
    opens = LenientTimeField(label="受付開始", help_text="例: 8:30")
    closes = LenientTimeField(label="受付終了", help_text="例: 17:15")

    class Meta:
        model = OfficeHoursPeriod
        fields = ["weekday", "opens", "closes"]


class OfficeHoursPeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and all(
                form.cleaned_data.get(key) is not None for key in ("weekday", "opens", "closes")
            )
        ]
        periods = [
            office_hours.Period(
                int(form.cleaned_data["weekday"]),
                form.cleaned_data["opens"],
                form.cleaned_data["closes"],
            )
            for form in kept
        ]
        clashing = office_hours.overlapping_weekdays(periods)
        if clashing:
            days = "・".join(Weekday(day).label for day in clashing)
            raise forms.ValidationError(
                f"{days}の受付時間が重なっています。昼休みがあるときは、"
                "8:30〜12:00と13:00〜17:15のように重ならない2つの時間に分けてください。"
            )


class OfficeHoursPeriodInline(admin.TabularInline):
    model = OfficeHoursPeriod
    form = OfficeHoursPeriodForm
    formset = OfficeHoursPeriodFormSet
    extra = 1
    verbose_name_plural = "受付時間（曜日ごと）"
    description = (
        "受付する曜日ごとに、受付開始と受付終了を入力します。行のない曜日は休みです。"
        "昼休みがある曜日は2行に分け（例: 8:30〜12:00 と 13:00〜17:15）、"
        "土曜の午前だけ開けるなら土曜日を1行（例: 8:30〜12:00）加えます。"
    )


class OfficeSpecialDayForm(forms.ModelForm):
    date = LenientDateField(label="日付")
    opens = LenientTimeField(label="受付開始", required=False)
    closes = LenientTimeField(label="受付終了", required=False)

    class Meta:
        model = OfficeSpecialDay
        fields = ["date", "kind", "label", "opens", "closes"]


class OfficeSpecialDayInline(admin.TabularInline):
    model = OfficeSpecialDay
    form = OfficeSpecialDayForm
    extra = 1
    description = (
        "ふだんと違う日を日付で登録します。「臨時休業日」はふだん開いている日を休みにし"
        "（例: 台風のため臨時休業）、「特別に開ける日」は土日・祝日・年末年始でも開けます"
        "（例: 土曜開所日）。開ける日の時刻を空欄にすると、その曜日のふだんの受付時間"
        "（その曜日が休みなら、週の最初の受付日と同じ時間）になります。"
    )


class OfficePhoneInline(admin.TabularInline):
    model = OfficePhone
    extra = 1
    description = (
        "上の電話番号のほかに載せる番号です。種類（直通、相談専用、内線など）と一緒に表示します。"
    )


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "phone",
        "fax",
        "email",
        "hours_label",
        "display_order",
        "show_in_footer",
    ]
    list_editable = ["display_order", "show_in_footer"]
    search_fields = ["name", "address", "phone"]
    fieldsets = [
        (None, {"fields": ["name", ("postal_code", "address")]}),
        (
            "連絡先",
            {"fields": [("phone", "phone_label"), "fax", "email"]},
        ),
        (
            "受付時間",
            {
                "fields": [
                    "publishes_hours",
                    "closes_on_holidays",
                    ("year_end_start_month", "year_end_start_day"),
                    ("year_end_end_month", "year_end_end_day"),
                    "hours_note",
                ],
                "description": (
                    "曜日ごとの受付時間は下の「受付時間（曜日ごと）」に入力します。"
                    "年末年始の休みは月と日で入力します（例: 12月29日〜1月3日、"
                    "12月28日〜1月4日）。年末年始も開けている窓口は4つとも空欄にします。"
                ),
            },
        ),
        ("表示", {"fields": ["display_order", "show_in_footer"]}),
    ]
    inlines = [OfficeHoursPeriodInline, OfficeSpecialDayInline, OfficePhoneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_hours()

    @admin.display(description="受付時間")
    def hours_label(self, obj):
        return obj.hours_label or "掲載しない"


# ------------------------------------------------------------ 緊急時のお知らせ


class CurrentFilter(admin.SimpleListFilter):
    title = "表示の状態"
    parameter_name = "showing"

    def lookups(self, request, model_admin):
        return [("yes", "いま表示中"), ("no", "表示していない")]

    def queryset(self, request, queryset):
        current = EmergencyNotice.objects.current()
        if self.value() == "yes":
            return queryset.filter(pk__in=current.values("pk"))
        if self.value() == "no":
            return queryset.exclude(pk__in=current.values("pk"))
        return queryset


@admin.register(EmergencyNotice)
class EmergencyNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "starts_at", "ends_at", "is_active", "showing_now"]
    # Switching a notice off is one click in the list, and takes effect on the next page view.
    list_editable = ["is_active"]
    list_filter = [CurrentFilter, "level", "is_active"]
    search_fields = ["title", "body"]
    date_hierarchy = "starts_at"
    actions = ["switch_off"]
    formfield_overrides = SHORT_TEXTAREA
    fieldsets = [
        (None, {"fields": ["level", "title", "body"]}),
        ("詳しい情報へのリンク（任意）", {"fields": ["link_url", "link_label"]}),
        (
            "掲載",
            {
                "fields": ["is_active", ("starts_at", "ends_at")],
                "description": (
                    "「掲載する」にチェックがあり、掲載開始日時から掲載終了日時までの間、"
                    "すべてのページの一番上に表示します（「社協の基本情報」が登録されて"
                    "いることが必要です）。"
                ),
            },
        ),
    ]

    @admin.display(description="いま表示中", boolean=True)
    def showing_now(self, obj):
        return obj.is_current

    @admin.action(description="選んだお知らせの掲載をやめる")
    def switch_off(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False, updated_at=timezone.now())
        self.message_user(
            request, f"{count}件のお知らせの掲載をやめました。", level=messages.SUCCESS
        )


# ------------------------------------------------------------ 地域福祉実践計画


class BasicGoalInline(admin.StackedInline):
    model = BasicGoal
    fields = [("number", "title"), "department", "summary", "edit_link"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}
    readonly_fields = ["edit_link"]
    extra = 0
    show_change_link = True

    @admin.display(description="施策・主な事業・写真")
    def edit_link(self, obj):
        if not obj.pk:
            return "保存したあとで入力できます"
        return format_html(
            '<a href="{}">施策・主な事業・写真を編集する</a>',
            reverse("admin:shakyo_portal_basicgoal_change", args=[obj.pk]),
        )


@admin.register(PracticePlan)
class PracticePlanAdmin(admin.ModelAdmin):
    list_display = ["title", "period_label", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "motto"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 8})}}
    fields = [
        "title",
        ("starts_fiscal_year", "ends_fiscal_year"),
        "motto",
        "philosophy",
        "is_published",
    ]
    inlines = [BasicGoalInline]

    @admin.display(description="計画期間", ordering="starts_fiscal_year")
    def period_label(self, obj):
        return obj.period_label


class PolicyInline(admin.TabularInline):
    model = Policy
    extra = 1


class MainProjectInline(admin.TabularInline):
    model = MainProject
    extra = 1


class PlanPhotoAdminForm(forms.ModelForm):
    # Re-encoded on upload: no EXIF or GPS position survives.
    image = PhotoField(label="写真")

    class Meta:
        model = PlanPhoto
        fields = ["image", "alt_text", "caption", "display_order"]
        error_messages = {
            "alt_text": {
                "required": "写真の説明を入力してください（画面の読み上げで伝わります）。"
            },
            "caption": {"required": "写真の下に表示するキャプションを入力してください。"},
        }


class PlanPhotoInline(admin.TabularInline):
    model = PlanPhoto
    form = PlanPhotoAdminForm
    fields = ["preview", "image", "alt_text", "caption", "display_order"]
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


@admin.register(BasicGoal)
class BasicGoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["title", "department", "summary", "projects__name"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 6})}}
    fields = ["plan", ("number", "title"), "department", "summary", "projects_continue"]
    inlines = [PolicyInline, MainProjectInline, PlanPhotoInline]


# ------------------------------------------------------------ 個人情報保護方針


class PrivacyPolicySectionInline(admin.StackedInline):
    model = PrivacyPolicySection
    formfield_overrides = SHORT_TEXTAREA
    extra = 1


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "established_on", "revised_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["introduction", "sections__title", "sections__body"]
    formfield_overrides = SHORT_TEXTAREA
    fields = ["introduction", ("established_on", "revised_on"), "is_published"]
    inlines = [PrivacyPolicySectionInline]
