"""What every admin page does for the staff roles, and how it reads what staff type.

PortalAdminSite puts ScopedAdminMixin in front of every ModelAdmin it
registers (the portal's and third-party ones alike), so no list, search,
change form, action or export can skip the rules in staff.access. The same
mixin puts AdminInputMixin in front of every inline, so a date typed in an
inline row is read as one typed in the page above it.
"""

from datetime import datetime

from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import capfirst

from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.core.dates import format_date, format_datetime
from shakyo_portal.core.fields import (
    LenientDateField,
    LenientSplitDateTimeField,
    LenientTimeField,
    PartialDateField,
    PartialDatesFormMixin,
)
from shakyo_portal.core.precision import format_partial
from shakyo_portal.core.slugs import slug_from_reading, unique_slug
from shakyo_portal.staff import access, audit

HISTORY_TEMPLATE = "admin/staff/object_history.html"

ADMIN_DATE_MESSAGE = (
    "日付は「2021/2/6」や「令和3年2月6日」のように、年・月・日の順に入力してください。"
)
# For a date kept with its precision: the month or 年度 alone is read too.
ADMIN_PARTIAL_DATE_MESSAGE = (
    f"{ADMIN_DATE_MESSAGE}月や年度までしか分からないときは「2019年5月」「2019.5」"
    "「令和元年度」のようにも書けます。"
)
# In place of Django's admin defaults for these model fields: the same boxes and
# calendar, read the way core.fields reads what people type. An admin's own
# formfield_overrides for one of them still wins.
DATE_FORMFIELDS = {
    models.DateTimeField: {
        "form_class": LenientSplitDateTimeField,
        "widget": widgets.AdminSplitDateTime,
        "date_error_messages": {"invalid": ADMIN_DATE_MESSAGE},
    },
    models.DateField: {
        "form_class": LenientDateField,
        "widget": widgets.AdminDateWidget,
        "error_messages": {"invalid": ADMIN_DATE_MESSAGE},
    },
    models.TimeField: {"form_class": LenientTimeField, "widget": widgets.AdminTimeWidget},
}
SLUG_HELP = (
    "ページのアドレスに使う半角英小文字・数字・ハイフンです。空のまま保存すると、"
    "よみがなのローマ字（ヘボン式、長音は書かない: そうじゃ → soja）から作ります。"
    "同じものがあるときは soja-2 のように番号を付けます。"
)


class AdminInputMixin:
    """Dates typed as people here type them, shown as the site writes them, and a
    slug made from the reading when it is left empty: for every ModelAdmin and inline."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        declared = type(self).formfield_overrides
        for klass, portal in DATE_FORMFIELDS.items():
            self.formfield_overrides[klass] = {**portal, **declared.get(klass, {})}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if _has_precision(self.model, db_field):
            kwargs.setdefault("form_class", PartialDateField)
            kwargs["error_messages"] = {
                "invalid": ADMIN_PARTIAL_DATE_MESSAGE,
                **kwargs.get("error_messages", {}),
            }
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and _slug_from_reading(self.model, db_field.name):
            field.required = False
            field.help_text = SLUG_HELP
        return field

    def get_form(self, request, obj=None, **kwargs):
        return _with_precision(_filling_slug(super().get_form(request, obj, **kwargs)))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _with_precision(_filling_slug(formset.form))
        return formset

    def get_inlines(self, request, obj):
        return [_with_inputs(inline) for inline in super().get_inlines(request, obj)]

    # --- dates in the change list, as the site writes them -------------------
    def get_list_display(self, request):
        editable = set(self.list_editable)
        return [
            name if name in editable else _dated_column(self, name)
            for name in super().get_list_display(request)
        ]

    def get_sortable_by(self, request):
        sortable = super().get_sortable_by(request)
        return [*sortable, *(_dated_column(self, name) for name in sortable)]

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if not links:
            return links
        columns = {getattr(column, "field_name", None): column for column in list_display}
        return [columns.get(link, link) if isinstance(link, str) else link for link in links]


class ScopedAdminMixin(AdminInputMixin):
    # --- which rows -------------------------------------------------------
    def get_queryset(self, request):
        return access.visible(request.user, super().get_queryset(request))

    def _allowed(self, request, action, obj=None) -> bool:
        if obj is None:
            return access.allows(request.user, action, self.model)
        return access.can(request.user, action, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._allowed(request, "view", obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._allowed(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._allowed(request, "delete", obj)

    def has_export_permission(self, request, obj=None):
        return self._allowed(request, "export", obj)

    def delete_queryset(self, request, queryset):
        # delete_selected asks has_delete_permission without a row; the rows
        # themselves are checked here.
        if queryset.exclude(pk__in=access.reach(request.user, "delete", queryset)).exists():
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    # --- choices in forms ------------------------------------------------
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _narrow_choices(field, request, self.model)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _narrow_choices(field, request, self.model)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A row the user may only read: its inlines are read-only too.
            for inline in inlines:
                inline.has_add_permission = _no
                inline.has_change_permission = _no
                inline.has_delete_permission = _no
        return inlines

    # --- actions ---------------------------------------------------------
    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not self.has_export_permission(request):
            actions.pop("export_csv", None)
        return actions

    def response_action(self, request, queryset, *args, **kwargs):
        """Run an action only on rows the user may act on: a selection with
        any other row is refused whole, so nothing half-happens."""
        func = self._posted_action(request)
        if func is None and "action" in request.POST:
            # Django would fall back to another of the posted actions; nothing
            # runs that was not checked.
            self.message_user(request, "操作を選び直してください。", messages.ERROR)
            return None
        if func is not None:
            needed = _action_needs(func)
            selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
            chosen = queryset
            if selected and request.POST.get("select_across") != "1":
                chosen = queryset.filter(pk__in=selected)
            if chosen.exclude(pk__in=access.reach(request.user, needed, chosen)).exists():
                self.message_user(
                    request,
                    "選んだ中に、この操作をする権限のない記録があります。何も変更していません。",
                    messages.ERROR,
                )
                return None
        return super().response_action(request, queryset, *args, **kwargs)

    def _posted_action(self, request):
        names = request.POST.getlist("action")
        index = request.POST.get("index", "0")
        if not (index.isascii() and index.isdigit() and int(index) < len(names)):
            return None
        name = names[int(index)]
        action = self.get_actions(request).get(name)
        return getattr(action, "func", None)

    # --- history -----------------------------------------------------------
    def history_view(self, request, object_id, extra_context=None):
        """The record's audit history, for 管理者 only."""
        if not access.is_admin(request.user):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        entries = (
            audit.LogEntry.objects.get_for_object(obj)
            .select_related("actor")
            .order_by("-timestamp", "-pk")
        )
        page = Paginator(entries, 50).get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "title": f"変更履歴: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "page_obj": page,
            "entries": [audit.describe(entry) for entry in page],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, HISTORY_TEMPLATE, context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["show_audit_history"] = access.is_admin(request.user)
        return super().render_change_form(request, context, *args, **kwargs)


def _no(*args, **kwargs):
    return False


_WITH_MIXIN = {}


def _with_mixin(mixin, klass):
    """klass with mixin in front, made once per pair (the admin asks for its
    forms and inlines on every request)."""
    if issubclass(klass, mixin):
        return klass
    if (mixin, klass) not in _WITH_MIXIN:
        _WITH_MIXIN[mixin, klass] = type(
            klass.__name__, (mixin, klass), {"__module__": klass.__module__}
        )
    return _WITH_MIXIN[mixin, klass]


def _with_inputs(inline_class):
    return _with_mixin(AdminInputMixin, inline_class)


def _dated_column(model_admin, name):
    """A date or date-time column written by core.dates (令和8年12月7日(月) 6:37),
    or only as far as it is known when the model keeps its precision beside it.

    Made once per admin and name: the change list finds a column's links and
    sorting by the column itself."""
    if not isinstance(name, str):
        return name
    columns = model_admin.__dict__.setdefault("_dated_columns", {})
    if name not in columns:
        columns[name] = _make_dated_column(model_admin, name)
    return columns[name]


def _make_dated_column(model_admin, name):
    try:
        field = model_admin.model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if not isinstance(field, models.DateField) or field.choices:
        return name
    precision = _precision_field(model_admin.model, name)
    empty = model_admin.get_empty_value_display()

    @admin.display(description=capfirst(str(field.verbose_name)), ordering=name)
    def column(obj):
        value = getattr(obj, name)
        if value is None:
            return empty
        if isinstance(value, datetime):
            text = format_datetime(value)
        elif precision:
            text = format_partial(value, getattr(obj, precision))
        else:
            text = format_date(value)
        # A date read in pieces over three lines is hard to scan down a column.
        return format_html('<span class="nowrap">{}</span>', text)

    # The header keeps the field's CSS class (column-<name>), and a link named
    # by list_display_links finds its column.
    column.__name__ = column.field_name = name
    return column


def _precision_field(model, name):
    try:
        model._meta.get_field(f"{name}_precision")
    except FieldDoesNotExist:
        return None
    return f"{name}_precision"


def _has_precision(model, db_field) -> bool:
    """Is this a date kept with its precision beside it (core.precision)?"""
    if not isinstance(db_field, models.DateField) or isinstance(db_field, models.DateTimeField):
        return False
    try:
        model._meta.get_field(f"{db_field.name}_precision")
    except FieldDoesNotExist:
        return False
    return True


def _with_precision(form_class):
    """The form with PartialDatesFormMixin in front, when its model keeps a
    date's precision."""
    model = form_class._meta.model
    if not any(_has_precision(model, field) for field in model._meta.concrete_fields):
        return form_class
    return _with_mixin(PartialDatesFormMixin, form_class)


def _slug_from_reading(model, name) -> bool:
    """Is this the slug of a model that has a reading to make it from?"""
    if name != "slug":
        return False
    try:
        slug, reading = model._meta.get_field("slug"), model._meta.get_field("reading")
    except FieldDoesNotExist:
        return False
    return isinstance(slug, models.SlugField) and reading.concrete


def _filling_slug(form_class):
    if not _slug_from_reading(form_class._meta.model, "slug"):
        return form_class
    return _with_mixin(_SlugFromReadingForm, form_class)


class _SlugFromReadingForm:
    """Fills an empty slug from the reading once the rest of the form is valid."""

    def _post_clean(self):
        super()._post_clean()
        if "slug" not in self.fields or self.cleaned_data.get("slug") or self.errors:
            return
        instance = self.instance
        base = slug_from_reading(
            instance.reading or "", max_length=self.fields["slug"].max_length or 50
        )
        if not base:
            self.add_error(
                "slug", "よみがなからURL名を作れませんでした。半角英小文字で入力してください。"
            )
            return
        slug = unique_slug(base, lambda candidate: _slug_refused(instance, candidate))
        instance.slug = self.cleaned_data["slug"] = slug


def _slug_refused(instance, candidate) -> bool:
    """Taken by another row, or refused by the model's own rules (a district
    slug that is the path of a page, say)."""
    model = type(instance)
    if model._default_manager.filter(slug=candidate).exclude(pk=instance.pk).exists():
        return True
    instance.slug = candidate
    try:
        instance.clean()
    except ValidationError as error:
        return "slug" in getattr(error, "error_dict", {})
    return False


def _action_needs(func) -> str:
    """The access action an admin action needs: the permissions its
    @admin.action names (export, delete, change), change when it names none."""
    wanted = set(getattr(func, "allowed_permissions", ()) or ())
    for action in ("export", "delete", "change"):
        if action in wanted:
            return action
    if getattr(func, "__name__", "") == "delete_selected":
        return "delete"
    return "change" if wanted != {"view"} else "view"


def _narrow_choices(field, request, model):
    """Offer only what the user may attach the row to: their own districts,
    their own coordinator record, the councils of their areas."""
    if field is None or not hasattr(field, "queryset"):
        return field
    related = field.queryset.model
    if access.rule_for(related) is None or access.rule_for(model) is None:
        return field
    own_rule = access.rule_for(model)
    # The field that puts the row in the user's scope must stay within the
    # rows the user may change; any other link may point at anything they see.
    if own_rule is not None and _is_scope_anchor(own_rule, related):
        field.queryset = access.anchor_choices(request.user, model, field.queryset)
    else:
        field.queryset = access.visible(request.user, field.queryset)
    return field


def _is_scope_anchor(rule, related) -> bool:
    label = related._meta.label_lower
    return (
        (rule.district is not None and label == "districts.district")
        or (rule.owner is not None and label == "coordinators.coordinator")
        or (rule.area is not None and label == "councils.council")
    )


@admin.action(description="選んだ%(verbose_name_plural)sをCSVで書き出す", permissions=["export"])
def export_csv(modeladmin, request, queryset):
    """Every staff list as a spreadsheet: the columns are the model's own fields."""
    # Narrowed here too, whichever way the action was reached.
    queryset = access.reach(request.user, "export", queryset)
    fields = export_fields(modeladmin.model)
    related = [f.name for f in fields if f.many_to_one or f.one_to_one]
    rows = [[capfirst(str(f.verbose_name)) for f in fields]]
    for obj in queryset.select_related(*related).order_by("pk").iterator(chunk_size=500):
        rows.append([_value(obj, f) for f in fields])
    opts = modeladmin.model._meta
    audit.record_export(request, queryset, label=str(opts.verbose_name_plural))
    return csv_response(
        rows,
        filename=f"{opts.verbose_name_plural}.csv",
        ascii_filename=f"{opts.app_label}-{opts.model_name}.csv",
    )


def export_fields(model):
    skip = set(getattr(model, "EXPORT_EXCLUDE", ()))
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and not isinstance(f, models.BinaryField)
    ]


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and isinstance(field, models.FileField):
        return value.name or ""
    return value
