"""Admin for 地域資源 and their categories and life scenes.

Salons are not entered here: the 地域資源マップ lists them from the salon
records under the category whose URL名 is "salon".
"""

from django.contrib import admin
from django.db.models import Count

from coordinators.directory import HEALTH_SCENE, SALON_CATEGORY, SALON_SCENE
from coordinators.forms.resources import ResourceAdminForm
from coordinators.models import LifeScene, Resource, ResourceCategory


class ResourceVocabularyAdmin(admin.ModelAdmin):
    """The words resources are sorted by (categories, life scenes): name, URL名, 表示順,
    and how many resources use each."""

    list_display = ["name", "slug", "display_order", "resource_count"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    description = ""

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["name", "slug", "display_order"], "description": self.description})
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_total=Count("resources"))

    @admin.display(description="地域資源の数", ordering="resource_total")
    def resource_count(self, obj):
        return obj.resource_total


@admin.register(ResourceCategory)
class ResourceCategoryAdmin(ResourceVocabularyAdmin):
    description = (
        f"URL名が「{SALON_CATEGORY}」の分類には、ふれあいサロンの名簿にある"
        "サロンが自動で入ります（地域資源として入力し直す必要はありません）。"
    )


@admin.register(LifeScene)
class LifeSceneAdmin(ResourceVocabularyAdmin):
    description = (
        f"ふれあいサロンは、URL名が「{SALON_SCENE}」の場面（居場所）に、"
        f"体操をしているサロンは「{HEALTH_SCENE}」の場面（健康づくり）にも"
        "自動で入ります。"
    )


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = [
        "name",
        "category",
        "area",
        "formality",
        "has_position",
        "is_public",
        "updated_at",
    ]
    list_filter = [
        "category",
        "life_scenes",
        "formality",
        ("district", admin.RelatedOnlyFieldListFilter),
        "is_public",
    ]
    search_fields = [
        "name",
        "reading",
        "summary",
        "description",
        "help_offered",
        "address",
        "contact_name",
    ]
    list_select_related = ["category", "district"]
    autocomplete_fields = ["district", "salons"]
    readonly_fields = ["updated_at"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "reading", "category", "formality", "is_public"]}),
        (
            "どんなところか",
            {"fields": ["life_scenes", "summary", "description", "schedule"]},
        ),
        (
            "お手伝いと利用のしかた",
            {
                "fields": ["help_offered", "how_to_ask"],
                "description": (
                    "住民どうしの助け合いサービスなどは、できるお手伝いと申し込み方を書きます。"
                ),
            },
        ),
        (
            "場所",
            {
                "fields": [
                    "district",
                    "salons",
                    "postal_code",
                    "address",
                    ("latitude", "longitude"),
                ],
                "description": (
                    "緯度と経度を入れると、地域資源マップの地図に表示されます。"
                    "サロンの会場に立ち寄る（移動販売など）ときは、そのサロンを選びます。"
                ),
            },
        ),
        (
            "連絡先（公開）",
            {
                "fields": ["contact_name", "contact_phone", "contact_email", "website"],
                "description": (
                    "ここに入れた連絡先は公開ページに表示されます。"
                    "団体や窓口が公開している連絡先だけを入れてください。"
                ),
            },
        ),
        ("記録", {"fields": ["updated_at"]}),
    ]

    @admin.display(description="地区", ordering="district__display_order")
    def area(self, obj):
        return obj.district.name if obj.district else "市全域"

    @admin.display(description="地図", boolean=True)
    def has_position(self, obj):
        return obj.latitude is not None
