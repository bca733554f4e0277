import secrets

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare

from districts import imports
from districts.models import (
    Activity,
    ActivityType,
    District,
    MemberCategory,
    WelfareCommitteeMember,
)
from shakyo_portal.core.csvexport import csv_response

MEMBER_TEMPLATES = "admin/districts/welfarecommitteemember"
# The file of an import between its check and its confirmation (at most one at a time).
IMPORT_SESSION_KEY = "districts.member_import"


class ActivityInline(admin.TabularInline):
    model = Activity
    fields = ["activity_type", "name", "season", "description", "display_order"]
    # One row per activity: a short description box keeps the table compact.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    extra = 1


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
    inlines = [ActivityInline, SubDistrictInline]
    fieldsets = [
        (None, {"fields": ["name", "reading", "slug", "parent", "display_order", "is_public"]}),
        ("紹介", {"fields": ["summary", "description", "area_served", "member_categories"]}),
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
            return [ActivityInline]
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


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label="CSVファイル",
        help_text=(
            "Excelで「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」で保存したファイル。"
            f"{imports.MAX_BYTES // (1024 * 1024)}MB・{imports.MAX_ROWS:,}行まで。"
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "CSVファイルを選んでください。",
            "empty": "ファイルが空です。",
            "invalid": "ファイルを読み取れませんでした。もう一度選んでください。",
        },
    )


@admin.register(WelfareCommitteeMember)
class WelfareCommitteeMemberAdmin(admin.ModelAdmin):
    change_list_template = f"{MEMBER_TEMPLATES}/change_list.html"
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

    # --- CSV import -------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="districts_welfarecommitteemember_import"),
            path(
                "import/confirm/",
                view(self.import_confirm_view),
                name="districts_welfarecommitteemember_import_confirm",
            ),
            path(
                "import/template.csv",
                view(self.import_template_view),
                name="districts_welfarecommitteemember_import_template",
            ),
            *super().get_urls(),
        ]

    def may_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        if self.may_import(request):
            url = reverse("admin:districts_welfarecommitteemember_import")
            extra_context = {"import_url": url, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def import_template_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        return csv_response(
            imports.template_rows(),
            filename="福祉委員の取り込み用ひな形.csv",
            ascii_filename="welfare-members-template.csv",
        )

    def import_view(self, request):
        """Step 1: the file is checked row by row and nothing is saved."""
        if not self.may_import(request):
            raise PermissionDenied
        if request.method != "POST":
            return self.import_page(request, MemberImportForm())
        form = MemberImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.import_page(request, form)
        upload = form.cleaned_data["file"]
        try:
            text = imports.decode(upload.read(imports.MAX_BYTES + 1))
            result = imports.preview(request.user, text)
        except imports.FileProblem as problem:
            form.add_error("file", str(problem))
            return self.import_page(request, form)
        token = secrets.token_urlsafe(16)
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "text": text,
            "filename": upload.name,
            "fingerprint": result.fingerprint,
        }
        return self.import_page(request, MemberImportForm(), result, token, upload.name)

    def import_confirm_view(self, request):
        """Step 2: the same file, checked again, saved whole or not at all."""
        if not self.may_import(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        import_url = reverse("admin:districts_welfarecommitteemember_import")
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or not constant_time_compare(
            pending["token"], request.POST.get("token", "")
        ):
            self.message_user(
                request,
                "確かめた内容が見つかりません（別の画面で新しいファイルを選んだときなど）。"
                "もう一度ファイルを選んでください。",
                messages.ERROR,
            )
            return HttpResponseRedirect(import_url)
        token, filename = pending["token"], pending["filename"]
        # Checked again: the records (or the user's districts) may have changed since.
        result = imports.preview(request.user, pending["text"])
        changed = result.fingerprint != pending["fingerprint"]
        if changed:
            pending["fingerprint"] = result.fingerprint
            request.session.modified = True
            self.message_user(
                request,
                "確かめたあとで福祉委員の記録が変わったため、取り込む内容が変わりました。"
                "何も保存していません。もう一度内容を確かめてください。",
                messages.WARNING,
            )
        if changed or result.has_errors:
            return self.import_page(request, MemberImportForm(), result, token, filename)
        done = imports.apply(result)
        del request.session[IMPORT_SESSION_KEY]
        self.message_user(
            request,
            f"{filename}を取り込みました（追加 {done[imports.ADD]}件、"
            f"更新 {done[imports.UPDATE]}件、変更なし {done[imports.SAME]}件）。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:districts_welfarecommitteemember_changelist"))

    def import_page(self, request, form, result=None, token="", filename=""):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "福祉委員をCSVから取り込む",
            "subtitle": None,
            "form": form,
            "result": result,
            "token": token,
            "filename": filename,
            "columns": imports.TEMPLATE_HEADER,
            "required_columns": [imports.LABELS[name] for name in imports.REQUIRED],
            "roles": list(imports.ROLES),
            "max_rows": imports.MAX_ROWS,
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, f"{MEMBER_TEMPLATES}/import.html", context)
