"""Sending a CSV through the admin's import pages, as staff do: shared by the
tests of every declared import (districts, councils, coordinators)."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ImportPages:
    """The import pages of one model: admin:<app>_<model>_import and the rest."""

    def __init__(self, app_label: str, model_name: str):
        name = f"admin:{app_label}_{model_name}"
        self.url = reverse(f"{name}_import")
        self.confirm_url = reverse(f"{name}_import_confirm")
        self.template_url = reverse(f"{name}_import_template")
        self.changelist_url = reverse(f"{name}_changelist")

    def upload(self, client, content: bytes, name="取り込み.csv"):
        return client.post(self.url, {"file": SimpleUploadedFile(name, content, "text/csv")})

    def confirm(self, client, response):
        return client.post(self.confirm_url, {"token": response.context["token"]})


def rows_by_number(response) -> dict:
    return {row.number: row for row in response.context["result"].rows}


def errors_by_number(response) -> dict:
    return {row.number: row.errors for row in response.context["result"].rows if row.errors}
