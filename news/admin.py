"""The staff side of news: categories, posts, events with their registrants, 社協だより.

When a post, event or issue is saved, the editor checks (news.editor_checks)
run on what was written and their warnings are shown to the editor; they
never stop the save. The change form shows the same warnings while editing.

Registrations change status only through actions (取り消す, 繰り上げる) that
count seats under the event's lock, and leave the admin only as a CSV for
staff with the view permission.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from news import editor_checks, exports
from news.forms import EventAdminForm, NewsletterIssueAdminForm, PdfField, PostAdminForm
from news.models import (
    Accommodation,
    Category,
    Event,
    NewsletterArticle,
    NewsletterIssue,
    Post,
    PostAttachment,
    PostImage,
    Registration,
    RegistrationStatus,
)
from news.services import RegistrationRefused, cancel, promote
from shakyo_portal.core.uploads import PhotoField
from shakyo_portal.staff.exports import guarded_export

CHANGE_FORM = "news/admin/change_form.html"
REGISTRATION_CHANGE_LIST = "news/admin/registration_change_list.html"


class EditorChecksMixin:
    """Warnings about what was written, after each save and on the change form."""

    change_form_template = CHANGE_FORM

    def editor_warnings(self, obj) -> list[str]:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so the warnings cover the articles and images just saved.
        for warning in self.editor_warnings(form.instance):
            self.message_user(request, warning, messages.WARNING)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and request.method == "GET":
            context["editor_warnings"] = self.editor_warnings(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order", "post_count"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(post_total=Count("posts"))

    @admin.display(description="お知らせの数", ordering="post_total")
    def post_count(self, obj):
        return obj.post_total


@admin.register(Accommodation)
class AccommodationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


# --- お知らせ ----------------------------------------------------------------------------


class PostImageInline(admin.TabularInline):
    model = PostImage
    fields = ["preview", "image", "alt_text", "caption", "display_order"]
    readonly_fields = ["preview"]
    formfield_overrides = {models.ImageField: {"form_class": PhotoField}}
    extra = 0

    @admin.display(description="いまの画像")
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" width="120" height="{}">',
            obj.image.url,
            obj.alt_text,
            round(120 * obj.height / obj.width) if obj.width and obj.height else 90,
        )


class PostAttachmentInline(admin.TabularInline):
    model = PostAttachment
    fields = ["title", "file", "size_display", "display_order"]
    readonly_fields = ["size_display"]
    formfield_overrides = {models.FileField: {"form_class": PdfField}}
    extra = 0

    @admin.display(description="大きさ")
    def size_display(self, obj):
        return filesizeformat(obj.size) if obj.pk else "—"


class VisibleNowFilter(admin.SimpleListFilter):
    title = "いま公開ページに出ているか"
    parameter_name = "visible"

    def lookups(self, request, model_admin):
        return [("yes", "出ている"), ("scheduled", "公開予定（未来の日時）"), ("no", "出ていない")]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.model.objects.published(now).values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=published)
        if self.value() == "no":
            return queryset.exclude(pk__in=published)
        if self.value() == "scheduled":
            return queryset.scheduled(now)
        return queryset


@admin.register(Post)
class PostAdmin(EditorChecksMixin, admin.ModelAdmin):
    form = PostAdminForm
    list_display = ["title", "category", "status", "published_at", "ends_at", "is_pinned"]
    list_filter = [VisibleNowFilter, "status", "category", "is_pinned", "districts"]
    list_select_related = ["category"]
    search_fields = ["title", "summary", "body", "slug"]
    date_hierarchy = "published_at"
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [PostImageInline, PostAttachmentInline]
    fieldsets = [
        (None, {"fields": ["title", "category", "summary", "body", "districts"]}),
        (
            "公開",
            {
                "fields": ["status", "published_at", "ends_at", "is_pinned", "slug"],
                "description": (
                    "「公開」にすると、公開日時から掲載終了日時まで公開ページに出ます。"
                    "公開日時を未来にすると、その時刻に自動で公開されます。"
                ),
            },
        ),
    ]

    def editor_warnings(self, obj):
        return editor_checks.check_post(obj, images=list(obj.images.all()))


# --- 行事 ------------------------------------------------------------------------------


class RegistrationInline(admin.TabularInline):
    """The event's registrants, read only: statuses change through the registrations list."""

    model = Registration
    fields = ["reference", "name", "reading", "phone", "email", "people", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "申込者"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="受付番号")
    def reference(self, obj):
        return obj.reference


@admin.register(Event)
class EventAdmin(EditorChecksMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "starts_at",
        "status",
        "registration",
        "seats",
        "waiting",
        "publication",
        "published_at",
    ]
    list_filter = [VisibleNowFilter, "status", "registration", "publication", "district"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "starts_at"
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [RegistrationInline]
    fieldsets = [
        (None, {"fields": ["title", "description", ("starts_at", "ends_at")]}),
        ("会場・対象", {"fields": ["place", "place_address", "target", "accommodations"]}),
        (
            "参加費・申込",
            {
                "fields": [
                    ("fee", "fee_note"),
                    "registration",
                    "registration_deadline",
                    "capacity",
                    "waitlist",
                    "registration_note",
                ],
                "description": "「要申込」にすると、行事のページに申込フォームが出ます。",
            },
        ),
        ("主催・チラシ", {"fields": ["organiser", "office", "flyer", "district", "council"]}),
        (
            "開催の状態",
            {
                "fields": ["status", "status_note"],
                "description": "中止・延期にすると、申込の受付も止まります。",
            },
        ),
        ("公開", {"fields": ["publication", "published_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_counts()
            .annotate(
                waiting_people=Coalesce(
                    Subquery(
                        Registration.objects.filter(
                            event=OuterRef("pk"), status=RegistrationStatus.WAITLISTED
                        )
                        .order_by()
                        .values("event")
                        .annotate(count=Count("pk"))
                        .values("count"),
                        output_field=models.IntegerField(),
                    ),
                    0,
                )
            )
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/registrants.csv",
                self.admin_site.admin_view(self.registrants_csv),
                name="news_event_registrants",
            ),
            *super().get_urls(),
        ]

    def registrants_csv(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not (object_id.isascii() and object_id.isdigit() and len(object_id) <= 18):
            raise Http404
        event = get_object_or_404(Event, pk=object_id)
        return guarded_export(
            request,
            Registration.objects.filter(event=event),
            label=f"{event.title}の申込",
            build=lambda rows: exports.registrations_csv(rows, filename_part=f"{event.pk}"),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        registrations = self.admin_site.get_model_admin(Registration)
        if obj is not None and obj.pk and registrations.has_export_permission(request):
            context["csv_url"] = reverse("admin:news_event_registrants", args=[obj.pk])
            context["registrations_url"] = (
                reverse("admin:news_registration_changelist") + f"?event__id__exact={obj.pk}"
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="申込済（人）", ordering="confirmed_people")
    def seats(self, obj):
        if obj.capacity is None:
            return f"{obj.confirmed_people}"
        return f"{obj.confirmed_people}/{obj.capacity}"

    @admin.display(description="キャンセル待ち（件）", ordering="waiting_people")
    def waiting(self, obj):
        return obj.waiting_people

    def editor_warnings(self, obj):
        return editor_checks.check_event(obj)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Every registration, filtered by event and status; a CSV of what the list shows."""

    change_list_template = REGISTRATION_CHANGE_LIST
    list_display = ["reference", "event", "name", "reading", "people", "status", "created_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter), "accommodations"]
    list_select_related = ["event"]
    search_fields = ["name", "reading", "phone", "email", "event__title"]
    readonly_fields = ["reference", "status", "consented_at", "created_at", "updated_at"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    actions = ["cancel_selected", "promote_selected", "export_selected"]
    fields = [
        "reference",
        "event",
        "status",
        "name",
        "reading",
        "phone",
        "email",
        "people",
        "accommodations",
        "note",
        "consented_at",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        # An existing registration stays with its event: moving it would skip the seat count.
        return [*self.readonly_fields, "event", "people"] if obj else self.readonly_fields

    def has_add_permission(self, request):
        # Seats are counted only by the registration service (the public form).
        return False

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="news_registration_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if self.has_export_permission(request):
            query = request.GET.urlencode()
            export_url = reverse("admin:news_registration_export")
            extra_context = {
                "export_url": f"{export_url}?{query}" if query else export_url,
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """The CSV of exactly what the list shows with the same filters and search."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return guarded_export(
            request,
            changelist.get_queryset(request),
            label="イベントの申込",
            build=exports.registrations_csv,
        )

    @admin.display(description="受付番号", ordering="serial")
    def reference(self, obj):
        return obj.reference

    @admin.action(description="選んだ申込を取り消す", permissions=["change"])
    def cancel_selected(self, request, queryset):
        count = 0
        for registration in queryset.exclude(status=RegistrationStatus.CANCELLED):
            cancel(registration)
            count += 1
        self.message_user(request, f"{count}件の申込を取り消しました。", messages.SUCCESS)

    @admin.action(description="選んだキャンセル待ちを申込済に繰り上げる", permissions=["change"])
    def promote_selected(self, request, queryset):
        for registration in queryset.order_by("event", "serial"):
            try:
                promote(registration)
            except RegistrationRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{registration.reference}（{registration.name}）を申込済にしました。"
                    "メールアドレスがあれば、お知らせのメールを送りました。",
                    messages.SUCCESS,
                )

    @admin.action(description="選んだ申込をCSVで書き出す", permissions=["export"])
    def export_selected(self, request, queryset):
        return guarded_export(
            request, queryset, label="イベントの申込", build=exports.registrations_csv
        )


# --- 社協だより ---------------------------------------------------------------------------


class NewsletterArticleInline(admin.StackedInline):
    model = NewsletterArticle
    fields = [("title", "first_page", "last_page", "display_order"), "body"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 8})}}
    extra = 0


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(EditorChecksMixin, admin.ModelAdmin):
    form = NewsletterIssueAdminForm
    list_display = ["number_display", "issued", "title", "status", "published_at", "has_pdf"]
    list_filter = [VisibleNowFilter, "status"]
    search_fields = ["title", "articles__title", "articles__body"]
    inlines = [NewsletterArticleInline]
    fieldsets = [
        (None, {"fields": ["number", ("issued_on", "issued_on_precision"), "title"]}),
        (
            "ファイル",
            {
                "fields": ["pdf", "cover", "cover_alt"],
                "description": (
                    "PDFがなくても、記事の本文だけで公開できます。"
                    "PDFを入れ替えたり消したりすると、前のファイルはサーバーからも消えます。"
                ),
            },
        ),
        ("公開", {"fields": ["status", "published_at"]}),
    ]

    @admin.display(description="号", ordering="number")
    def number_display(self, obj):
        return obj.number_label

    @admin.display(description="発行日", ordering="issued_on")
    def issued(self, obj):
        return obj.issued_label

    @admin.display(description="PDF", boolean=True)
    def has_pdf(self, obj):
        return bool(obj.pdf)

    def editor_warnings(self, obj):
        return editor_checks.check_issue(obj, articles=list(obj.articles.all()))
