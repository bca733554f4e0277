"""The admin's pages for the CSV imports the apps declare (IMPORTS in their
portal.py): choose a file, see what each row would do with nothing saved,
confirm; a template CSV; the button on the model's list.

PortalAdminSite puts CsvImportAdminMixin in front of the ModelAdmin of every
declared model. Who may import is the admin's own answer (may add and change);
which rows each user reaches, and which records a row may name, are the same
rules the admin's forms follow (staff.access, through the ModelAdmin's own
choice fields), handed to shakyo_portal.core.csvimport as an Access.
"""

import secrets
from functools import cached_property

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.crypto import constant_time_compare

from shakyo_portal.core import csvimport, declarations
from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.staff import access

TEMPLATE = "admin/csv_import.html"


def declared_imports() -> dict[str, csvimport.CsvImport]:
    """{model label (lower case): its CsvImport}, from every app's portal.py."""
    found = {}
    for declared in declarations.collect("IMPORTS"):
        label = apps.get_model(declared.model)._meta.label_lower
        if label in found:
            raise ValueError(f"IMPORTS: {declared.model} is declared twice")
        found[label] = declared
    return found


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label="CSVファイル",
        help_text=(
            "Excelで「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」で保存したファイル。"
            f"{csvimport.MAX_BYTES // (1024 * 1024)}MB・{csvimport.MAX_ROWS:,}行まで。"
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "CSVファイルを選んでください。",
            "empty": "ファイルが空です。",
            "invalid": "ファイルを読み取れませんでした。もう一度選んでください。",
        },
    )


class CsvImportAdminMixin:
    """Set by PortalAdminSite.register: the model's declared import."""

    csv_import_declared: csvimport.CsvImport

    @cached_property
    def csv_importer(self) -> csvimport.Importer:
        return csvimport.importer(self.csv_import_declared)

    def _import_name(self, step: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{step}"

    @property
    def _session_key(self) -> str:
        # The file between its check and its confirmation, one per model.
        return f"csvimport.{self.opts.label_lower}"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name=self._import_name("import")),
            path(
                "import/confirm/",
                view(self.import_confirm_view),
                name=self._import_name("import_confirm"),
            ),
            path(
                "import/template.csv",
                view(self.import_template_view),
                name=self._import_name("import_template"),
            ),
            *super().get_urls(),
        ]

    def may_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        if self.may_import(request):
            url = reverse(f"admin:{self._import_name('import')}")
            extra_context = {"csv_import_url": url, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def import_access(self, request) -> csvimport.Access:
        """What this user may touch: the rows the admin shows and lets them change,
        and for each related column the records the admin's own form offers."""
        model, user = self.model, request.user
        choices = {}
        for name in self.csv_importer.relations:
            db_field = model._meta.get_field(name)
            if db_field.many_to_many:
                formfield = self.formfield_for_manytomany(db_field, request)
            else:
                formfield = self.formfield_for_foreignkey(db_field, request)
            if formfield is not None:
                choices[name] = formfield.queryset
        return csvimport.Access(
            rows=access.visible(user, model._default_manager.all()),
            changeable=access.reach(user, "change", model._default_manager.all()),
            may_add=access.allows(user, "add", model),
            choices=choices,
        )

    def import_template_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        importer = self.csv_importer
        return csv_response(
            importer.template_rows(),
            filename=f"{importer.plural}の取り込み用ひな形.csv",
            ascii_filename=f"{self.opts.model_name}-template.csv",
        )

    def import_view(self, request):
        """Step 1: the file is checked row by row and nothing is saved."""
        if not self.may_import(request):
            raise PermissionDenied
        if request.method != "POST":
            return self.import_page(request, ImportFileForm())
        form = ImportFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.import_page(request, form)
        upload = form.cleaned_data["file"]
        try:
            text = csvimport.decode(upload.read(csvimport.MAX_BYTES + 1))
            result = self.csv_importer.preview(text, self.import_access(request))
        except csvimport.FileProblem as problem:
            form.add_error("file", str(problem))
            return self.import_page(request, form)
        token = secrets.token_urlsafe(16)
        request.session[self._session_key] = {
            "token": token,
            "text": text,
            "filename": upload.name,
            "fingerprint": result.fingerprint,
        }
        return self.import_page(request, ImportFileForm(), result, token, upload.name)

    def import_confirm_view(self, request):
        """Step 2: the same file, checked again, saved whole or not at all."""
        if not self.may_import(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        import_url = reverse(f"admin:{self._import_name('import')}")
        pending = request.session.get(self._session_key)
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
        importer = self.csv_importer
        # Checked again: the records (or the user's reach) may have changed since.
        result = importer.preview(pending["text"], self.import_access(request))
        changed = result.fingerprint != pending["fingerprint"]
        if changed:
            pending["fingerprint"] = result.fingerprint
            request.session.modified = True
            self.message_user(
                request,
                f"確かめたあとで{importer.plural}の記録が変わったため、取り込む内容が変わりました。"
                "何も保存していません。もう一度内容を確かめてください。",
                messages.WARNING,
            )
        if changed or result.has_errors:
            return self.import_page(request, ImportFileForm(), result, token, filename)
        done = importer.apply(result)
        del request.session[self._session_key]
        self.message_user(
            request,
            f"「{filename}」を取り込みました（追加 {done[csvimport.ADD]}件、"
            f"更新 {done[csvimport.UPDATE]}件、変更なし {done[csvimport.SAME]}件）。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(f"admin:{self._import_name('changelist')}"))

    def import_page(self, request, form, result=None, token="", filename=""):
        importer = self.csv_importer
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": importer.title,
            "subtitle": None,
            "form": form,
            "result": result,
            "token": token,
            "filename": filename,
            "title_labels": [importer.labels[name] for name in importer.titles],
            "required_columns": [importer.labels[name] for name in importer.required],
            "guidance": importer.guidance(),
            "confirm_url": reverse(f"admin:{self._import_name('import_confirm')}"),
            "template_url": reverse(f"admin:{self._import_name('import_template')}"),
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, TEMPLATE, context)
