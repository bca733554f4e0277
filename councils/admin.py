from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html

from councils.forms import (
    AnnualPlanAdminForm,
    CouncilAdminForm,
    MeetingAdminForm,
    MeetingMaterialAdminForm,
    MeetingParticipantAdminForm,
    _pk,
    council_of_form,
    member_label,
    members_to_choose,
)
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    AnnualPlan,
    AnnualPlanItem,
    Council,
    CouncilMember,
    LifeArea,
    Meeting,
    MeetingMaterial,
    MeetingParticipant,
)
from shakyo_portal.core.fiscal import fiscal_year_label
from shakyo_portal.core.listfilters import fiscal_year_filter
from shakyo_portal.core.precision import format_partial
from shakyo_portal.staff import access


@admin.register(LifeArea)
class LifeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district_names", "display_order"]
    list_editable = ["display_order"]
    list_filter = ["kind"]
    search_fields = ["name", "reading", "slug", "districts__name"]
    filter_horizontal = ["districts"]
    fields = ["name", "reading", "slug", "kind", "districts", "description", "display_order"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("districts")

    @admin.display(description="含まれる地区社協")
    def district_names(self, obj):
        return "、".join(district.name for district in obj.districts.all()) or "—"


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    fields = [
        "organisation",
        "role",
        "position",
        "representative_name",
        "consent_date",
        "publish_representative",
        "term_start",
        "term_end",
        "display_order",
    ]
    extra = 1


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    form = CouncilAdminForm
    list_display = [
        "display_name",
        "layer",
        "life_area",
        "schedule_label",
        "member_count",
        "meetings_link",
        "is_public",
        "display_order",
    ]
    list_display_links = ["display_name"]
    list_editable = ["is_public", "display_order"]
    list_filter = ["layer", "is_public", ("life_area", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["life_area"]
    search_fields = ["name", "nickname", "reading", "slug"]
    autocomplete_fields = ["life_area"]
    inlines = [CouncilMemberInline]
    readonly_fields = ["schedule_label", "meetings_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "nickname",
                    "reading",
                    "slug",
                    "layer",
                    "life_area",
                    "display_order",
                    "is_public",
                ]
            },
        ),
        ("紹介", {"fields": ["purpose", "description", "office"]}),
        (
            "定例会",
            {
                "fields": [
                    "meeting_rule",
                    "meeting_week",
                    "meeting_weekday",
                    "meeting_months",
                    "meeting_starts_at",
                    "meeting_ends_at",
                    "meeting_as_a_rule",
                    "meeting_place",
                    "meeting_on_closed_days",
                    "schedule_label",
                ],
                "description": (
                    "「原則第3火曜日」なら「毎月第N曜日」・第3週・火曜日、"
                    "「月末の月曜日」なら「月末の曜日」・月曜日を選びます。"
                    "公開ページでは、この決まりから次の開催日の目安を案内します。"
                ),
            },
        ),
        ("会議", {"fields": ["meetings_link"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=Count("members", distinct=True),
                meeting_total=Count("meetings", distinct=True),
            )
            # A GROUP BY drops Meta.ordering, and the autocomplete (会議を追加's
            # council box) pages through this: unordered, it would warn and shift.
            .order_by(*Council._meta.ordering)
        )

    @admin.display(description="名称", ordering="name")
    def display_name(self, obj):
        return obj.display_name

    @admin.display(description="定例会")
    def schedule_label(self, obj):
        return obj.schedule_label if obj.pk else "—"

    @admin.display(description="構成員の数", ordering="member_total")
    def member_count(self, obj):
        return obj.member_total

    @admin.display(description="会議", ordering="meeting_total")
    def meetings_link(self, obj):
        if obj.pk is None:
            return "保存すると、この協議体の会議を登録できます。"
        changelist = reverse("admin:councils_meeting_changelist")
        add = reverse("admin:councils_meeting_add")
        total = getattr(obj, "meeting_total", None)
        if total is None:
            total = obj.meetings.count()
        return format_html(
            '<a href="{}?council__id__exact={}">会議の一覧（{}件）</a>'
            ' ・ <a href="{}?council={}">会議を追加する</a>',
            changelist,
            obj.pk,
            total,
            add,
            obj.pk,
        )


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "council",
        "role",
        "position",
        "representative_name",
        "consent_date",
        "publish_representative",
        "term_start",
        "term_end",
    ]
    list_filter = [
        ("council", admin.RelatedOnlyFieldListFilter),
        "role",
        "position",
        "publish_representative",
    ]
    list_select_related = ["council"]
    search_fields = ["organisation", "representative_name", "council__name"]
    autocomplete_fields = ["council"]
    fieldsets = [
        (None, {"fields": ["council", "organisation", "role", "position", "display_order"]}),
        ("任期", {"fields": ["term_start", "term_end"]}),
        (
            "代表者（氏名の公開には同意が必要です）",
            {
                "fields": ["representative_name", "consent_date", "publish_representative"],
                "description": (
                    "同意を得た日を入れ、「公開する」を選んだときだけ、"
                    "公開ページに代表者の氏名が載ります。"
                ),
            },
        ),
    ]


@admin.register(AgendaItemKind)
class AgendaItemKindAdmin(admin.ModelAdmin):
    list_display = ["name", "display_order", "item_count"]
    list_display_links = ["name"]
    list_editable = ["display_order"]
    search_fields = ["name"]
    fields = ["name", "display_order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description="使っている議題の数", ordering="item_total")
    def item_count(self, obj):
        return obj.item_total


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["kind", "title", "display_order"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "kind":
            field.empty_label = "（種類なし）"
        return field


class ParticipantFormSet(BaseInlineFormSet):
    council = None
    members_url = ""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "council": self.council}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["member"].widget.attrs["data-members-url"] = self.members_url

    def clean(self):
        # The formset's own unique check skips a conditional constraint: without
        # this, the database would refuse a member chosen twice with a 500.
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            member = form.cleaned_data.get("member")
            if member is None:
                continue
            if member.pk in seen:
                form.add_error("member", "同じ構成員が2回選ばれています。")
            seen.add(member.pk)


class MeetingParticipantInline(admin.TabularInline):
    """Who took part, in the order the page lists them: members chosen from
    the meeting's council, and guests typed in."""

    model = MeetingParticipant
    form = MeetingParticipantAdminForm
    formset = ParticipantFormSet
    fields = ["member", "name", "affiliation", "publish_name", "display_order"]
    extra = 0
    verbose_name = "参加者"
    verbose_name_plural = "参加者（公開ページには、この表示順で載ります）"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        data = request.POST if request.method == "POST" else None
        council = council_of_form(data, request.GET, obj)
        members_url = reverse("admin:councils_meeting_council_members")
        return type(formset.__name__, (formset,), {"council": council, "members_url": members_url})


class MeetingMaterialInline(admin.TabularInline):
    model = MeetingMaterial
    form = MeetingMaterialAdminForm
    fields = ["title", "file", "size_label", "display_order"]
    readonly_fields = ["size_label"]
    extra = 1

    @admin.display(description="大きさ")
    def size_label(self, obj):
        return filesizeformat(obj.size) if obj.size else "—"


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = [
        "held_on_label",
        "council",
        "label",
        "format",
        "status",
        "participant_count",
        "material_count",
    ]
    list_display_links = ["held_on_label", "label"]
    list_filter = [
        ("council", admin.RelatedOnlyFieldListFilter),
        "status",
        "format",
        fiscal_year_filter(date_field="held_on"),
    ]
    list_select_related = ["council"]
    date_hierarchy = "held_on"
    search_fields = [
        "title",
        "place",
        "minutes",
        "council__name",
        "council__nickname",
        "agenda_items__title",
    ]
    autocomplete_fields = ["council", "replaced_by"]
    inlines = [MeetingParticipantInline, AgendaItemInline, MeetingMaterialInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "council",
                    "number",
                    "title",
                    "held_on",
                    "held_on_precision",
                    "starts_at",
                    "ends_at",
                    "format",
                    "place",
                ]
            },
        ),
        (
            "中止・延期・書面開催",
            {
                "fields": ["status", "status_reason", "replacement", "replaced_by"],
                "description": (
                    "中止・延期になった会議も削除せず、状態と理由を入れて残します。"
                    "公開ページとカレンダーに「中止」「延期」と表示されます。"
                ),
            },
        ),
        (
            "参加者",
            {
                "fields": ["participant_count", "guests"],
                "description": (
                    "一人ずつ（一団体ずつ）の参加者は、下の「参加者」の表に入れます。"
                    "協議体を選ぶと、その構成員から選べます（画面の JavaScript が"
                    "使えないときは、一度保存すると選べるようになります）。"
                ),
            },
        ),
        ("記録", {"fields": ["minutes"]}),
        (
            "職員メモ（非公開）",
            {
                "fields": ["staff_notes"],
                "description": "公開ページ・カレンダー・検索には出ません。",
            },
        ),
    ]

    class Media:
        # After the admin's jQuery, whose events the council chooser sends.
        js = ["admin/js/jquery.init.js", "js/meeting-participants.js"]

    def get_queryset(self, request):
        # Ordered again: the count's GROUP BY drops Meta.ordering (see CouncilAdmin).
        return (
            super()
            .get_queryset(request)
            .annotate(material_total=Count("materials"))
            .order_by(*Meeting._meta.ordering)
        )

    def get_urls(self):
        own = [
            path(
                "council-members/",
                self.admin_site.admin_view(self.council_members_view),
                name="councils_meeting_council_members",
            )
        ]
        return own + super().get_urls()

    def council_members_view(self, request):
        """The members of ?council=<pk> to choose from, as JSON, for the
        participant rows of a meeting not saved yet. Only for a user who may
        add or change meetings, and only a council they may attach a meeting
        to: any other answers 403, the same whether it exists or not."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            return JsonResponse({"error": "権限がありません。"}, status=403)
        council = _pk(request.GET.get("council"))
        councils = access.anchor_choices(request.user, Meeting, Council.objects.all())
        if council is None or not councils.filter(pk=council).exists():
            return JsonResponse({"error": "この協議体の構成員は表示できません。"}, status=403)
        members = access.visible(request.user, members_to_choose(council))
        return JsonResponse({"members": [{"id": m.pk, "label": member_label(m)} for m in members]})

    def get_changeform_initial_data(self, request):
        # The council's page links here with ?council=<pk>; an address edited by
        # hand must not crash the autocomplete widget with a value that is no pk.
        initial = super().get_changeform_initial_data(request)
        for name in ("council", "replaced_by"):
            value = initial.get(name)
            if value is not None and not (str(value).isascii() and str(value).isdigit()):
                del initial[name]
        return initial

    @admin.display(description="開催日", ordering="held_on")
    def held_on_label(self, obj):
        return format_partial(obj.held_on, obj.held_on_precision)

    @admin.display(description="会議")
    def label(self, obj):
        return obj.label

    @admin.display(description="資料", ordering="material_total")
    def material_count(self, obj):
        return obj.material_total


class AnnualPlanItemInline(admin.TabularInline):
    """The plan's table as a grid: one row per line of work, a box per month."""

    model = AnnualPlanItem
    fields = ["group", "title", *AnnualPlanItem.MONTH_FIELDS, "display_order"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 10})},
        models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 14})},
    }
    extra = 1


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    form = AnnualPlanAdminForm
    list_display = ["council", "fiscal_year_label", "item_count"]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter), "fiscal_year"]
    list_select_related = ["council"]
    search_fields = ["council__name", "council__nickname", "items__title"]
    autocomplete_fields = ["council"]
    inlines = [AnnualPlanItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_total=Count("items"))

    @admin.display(description="年度", ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        return fiscal_year_label(obj.fiscal_year, western=True)

    @admin.display(description="項目の数", ordering="item_total")
    def item_count(self, obj):
        return obj.item_total
