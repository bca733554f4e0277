"""What every admin page does for the staff roles.

PortalAdminSite puts ScopedAdminMixin in front of every ModelAdmin it
registers (the portal's and third-party ones alike), so no list, search,
change form, action or export can skip the rules in staff.access.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.staff import access, audit

HISTORY_TEMPLATE = "admin/staff/object_history.html"


class ScopedAdminMixin:
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
