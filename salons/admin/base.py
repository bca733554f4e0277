"""Pieces the salons admin pages share: the 年度 filter, reference search, the
confirmation pages behind workflow buttons, read-only inlines."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from salons.models import Attachment, normalize_reference
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label, year_in_url
from shakyo_portal.core.money import yen as portal_yen
from shakyo_portal.staff.exports import guarded_export

CONFIRM_TEMPLATE = "admin/salons/confirm.html"
WORKFLOW_CHANGE_FORM = "admin/salons/change_form.html"
EXPORT_CHANGE_LIST = "admin/salons/change_list.html"


def yen(value) -> str:
    return "—" if value is None else portal_yen(value)


def requested_fiscal_year(request, parameter: str) -> int | None:
    """The 年度 in the query string, the current one when there is none, None when it is bad."""
    value = request.GET.get(parameter)
    if value is None:
        return current_fiscal_year()
    return year_in_url(value)


class ReferenceSearchMixin:
    """A search box that finds R8-0012 however it is typed (ｒ８－１２, 令和8-12)."""

    reference_lookup = "reference"

    def get_search_results(self, request, queryset, search_term):
        try:
            reference = normalize_reference(search_term)
        except ValidationError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(**{self.reference_lookup: reference}), False


class WorkflowAdminMixin:
    """The confirmation pages behind the workflow buttons."""

    # The 年度 filter's parameter (see fiscal_year_filter).
    fiscal_year_parameter = None
    # True where every field is read-only and the record changes only through
    # the buttons, so the page offers no 保存.
    changed_only_by_workflow = False

    def lookup_allowed(self, lookup, value, request):
        # The filter's parameter spans a relation, which the admin only allows for
        # list_filter field paths; it is still applied by the filter's own queryset().
        return lookup == self.fiscal_year_parameter or super().lookup_allowed(
            lookup, value, request
        )

    def admin_url(self, name, *args):
        return reverse(f"admin:salons_{self.opts.model_name}_{name}", args=args)

    def workflow_object(self, request, object_id):
        """The record, if this person may change it; 404 or 403 otherwise."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def confirmation(self, request, obj, *, title, form, submit_label, summary, intro=""):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": str(obj),
            "object": obj,
            "form": form,
            "submit_label": submit_label,
            "summary": summary,
            "intro": intro,
            "change_url": self.admin_url("change", obj.pk),
            "has_view_permission": self.has_view_permission(request, obj),
        }
        return TemplateResponse(request, CONFIRM_TEMPLATE, context)

    def back_to(self, obj):
        return HttpResponseRedirect(self.admin_url("change", obj.pk))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context["workflow_actions"] = self.workflow_actions(request, obj)
        if self.changed_only_by_workflow:
            context.update(show_save=False, show_save_and_continue=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_actions(self, request, obj) -> list[tuple[str, str]]:
        return []


class ExportMixin:
    """A 「CSVを書き出す」 link on the changelist, for the 年度 its filter shows
    (the current 年度 when none is chosen), and the view behind it."""

    change_list_template = EXPORT_CHANGE_LIST
    # fiscal_year -> the rows, and (rows, fiscal_year) -> the CSV response (salons.exports)
    export_rows = None
    export_response = None

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        fy = requested_fiscal_year(request, self.fiscal_year_parameter) or current_fiscal_year()
        if self.has_export_permission(request):
            extra_context = {
                "export_url": f"{self.admin_url('export')}?{self.fiscal_year_parameter}={fy}",
                "export_label": f"{fiscal_year_label(fy)}のCSVを書き出す",
                **(extra_context or {}),
            }
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        # The CSV holds personal data: only the rows the user may export, and logged.
        fy = requested_fiscal_year(request, self.fiscal_year_parameter)
        if fy is None:
            self.message_user(request, "年度を選び直してください。", messages.ERROR)
            return HttpResponseRedirect(self.admin_url("changelist"))
        return guarded_export(
            request,
            self.export_rows(fy),
            label=f"{self.opts.verbose_name_plural}（{fiscal_year_label(fy)}）",
            build=lambda rows: self.export_response(rows, fy),
        )


class ReadOnlyInline:
    """Part of the record's history or of what the applicant sent: shown, never edited here.

    Seen by whoever may see the parent record, without a permission of its own.
    """

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return self.admin_site.get_model_admin(self.parent_model).has_view_permission(request, obj)


class ParentPermissionInline:
    """Lines that are part of the parent record: whoever may change it may change them."""

    def _parent_admin(self):
        return self.admin_site.get_model_admin(self.parent_model)

    def has_add_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_admin().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)


def attachment_link(attachment: Attachment) -> str:
    # The private view checks permission again; the link is only a convenience.
    return format_html(
        '<a href="{}">{}</a>（{}）',
        reverse("salons:attachment", kwargs={"pk": attachment.pk}),
        attachment.original_name or f"添付ファイル{attachment.pk}",
        filesizeformat(attachment.size),
    )
