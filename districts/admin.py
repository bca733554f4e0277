from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count

from districts.models import (
    Activity,
    ActivityType,
    District,
    DistrictArea,
    MemberCategory,
    WelfareCommitteeMember,
)

# The CSV imports of 福祉委員 and 地区社協 are declared in portal.py (IMPORTS); the
# back office adds their pages to these admins.


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["activity_type", "name", "season", "description", "display_order"]
    # One row per activity: a short description box keeps the table compact.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    extra = 1


class DistrictAreaInline(admin.TabularInline):
    model = DistrictArea
    fields = ["name", "reading", "note", "display_order"]
    extra = 1
    verbose_name = "対象区域の町名"
    verbose_name_plural = "対象区域の町名・大字（お住まいの町名から探すページと検索に使います）"


class SubDistrictInline(admin.TabularInline):
    model = District
    fk_name = "parent"
    fields = ["name", "reading", "slug", "display_order", "is_public"]
    extra = 0
    show_change_link = True
    verbose_name = "小地区社協"
    verbose_name_plural = "小地区社協"


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "reading", "parent", "display_order", "activity_count", "is_public"]
    list_editable = ["display_order", "is_public"]
    list_filter = ["is_public", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "reading", "slug", "area_served"]
    # The changelist's count annotation drops the model's ordering, and the
    # autocomplete other admins use pages through this list: it must be ordered.
    ordering = ["display_order", "reading", "pk"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["member_categories"]
    inlines = [DistrictAreaInline, ActivityInline, SubDistrictInline]
    fieldsets = [
        (None, {"fields": ["name", "reading", "slug", "parent", "display_order", "is_public"]}),
        (
            "紹介",
            {
                "fields": ["summary", "description", "area_served", "member_categories"],
                "description": (
                    "対象区域は文章のまま表示します。町名・大字は下の「対象区域の町名」に"
                    "1行ずつ入れると、町名から地区を探せるようになります。"
                ),
            },
        ),
        (
            "問合せ先",
            {
                "fields": ["office", "contact_name", "contact_phone", "contact_email"],
                "description": "独自の連絡先を入れると、社協の窓口の代わりにそれを案内します。",
            },
        ),
    ]

    def get_inlines(self, request, obj):
        # A sub-district cannot have sub-districts of its own.
        if obj is not None and obj.parent_id is not None:
            return [DistrictAreaInline, ActivityInline]
        return self.inlines

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("parent")
            .annotate(activity_total=Count("activities"))
        )

    @admin.display(description="活動の数", ordering="activity_total")
    def activity_count(self, obj):
        return obj.activity_total


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order", "district_count"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(district_total=Count("activities__district", distinct=True))
        )

    @admin.display(description="実施している地区の数", ordering="district_total")
    def district_count(self, obj):
        return obj.district_total


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "activity_type", "season"]
    list_filter = ["activity_type", ("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description", "district__name"]
    list_select_related = ["district", "activity_type"]
    autocomplete_fields = ["district"]


@admin.register(MemberCategory)
class MemberCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name"]


@admin.register(WelfareCommitteeMember)
class WelfareCommitteeMemberAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "reading",
        "district",
        "area_covered",
        "role",
        "is_council_representative",
        "term_start",
        "term_end",
        "consent_date",
    ]
    list_filter = [
        ("district", admin.RelatedOnlyFieldListFilter),
        "role",
        "is_council_representative",
        ("consent_date", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "reading", "area_covered"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]
    date_hierarchy = "term_start"
    fieldsets = [
        (None, {"fields": ["name", "reading", "district", "area_covered"]}),
        ("役職と任期", {"fields": ["role", "is_council_representative", "term_start", "term_end"]}),
        ("連絡先（非公開）", {"fields": ["phone", "email"]}),
        (
            "公開への同意",
            {
                "fields": [
                    "consent_date",
                    "publish_name",
                    "publish_area",
                    "publish_role",
                    "publish_phone",
                    "publish_email",
                ],
                "description": (
                    "本人が同意した項目だけが公開ページに表示されます。"
                    "同意を得た日がなければ、何も公開されません。"
                ),
            },
        ),
    ]


@admin.register(DistrictArea)
class DistrictAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "note", "reading", "district", "display_order"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "reading", "note", "district__name"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]
    fields = ["name", "reading", "note", "district", "display_order"]
