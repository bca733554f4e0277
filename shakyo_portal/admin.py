from django.contrib import admin

from shakyo_portal.models import Office, SiteProfile

admin.site.site_header = "社協ポータル 管理画面"
admin.site.site_title = "社協ポータル 管理画面"
admin.site.index_title = "管理メニュー"


@admin.register(SiteProfile)
class SiteProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "phone", "email"]

    # The site has exactly one profile: it can be edited, not added twice or removed.
    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "phone",
        "fax",
        "email",
        "opens_at",
        "closes_at",
        "display_order",
        "show_in_footer",
    ]
    list_editable = ["display_order", "show_in_footer"]
    search_fields = ["name", "address", "phone"]
