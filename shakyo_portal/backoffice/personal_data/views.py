"""The 管理者's pages: find a person's records, then hand them over or erase
them after a confirmation."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shakyo_portal.backoffice.personal_data import actions
from shakyo_portal.backoffice.personal_data.actions import ACTIONS
from shakyo_portal.backoffice.personal_data.forms import ActForm, SearchForm
from shakyo_portal.backoffice.personal_data.registry import LIMIT, display, find, label
from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.staff import access


def _require_admin(request) -> None:
    if not access.is_admin(request.user):
        raise PermissionDenied


def _admin_url(obj) -> str:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return value


def _groups(found, chosen=()) -> list[dict]:
    chosen = set(chosen)
    groups = []
    for kind, rows in found:
        groups.append(
            {
                "kind": kind,
                "headers": [label(kind.model, n) for n in kind.columns],
                "too_many": len(rows) > LIMIT,
                "rows": [
                    {
                        "key": f"{kind.key}:{obj.pk}",
                        "label": str(obj),
                        "url": _admin_url(obj),
                        "checked": f"{kind.key}:{obj.pk}" in chosen,
                        "cells": [_text(display(obj, n)) for n in kind.columns],
                    }
                    for obj in rows[:LIMIT]
                ],
            }
        )
    return groups


def _render_search(site, request, search, act_form=None):
    groups = []
    if search.is_bound and search.is_valid():
        chosen = request.POST.getlist("pick") if request.method == "POST" else ()
        groups = _groups(find(**search.cleaned_data), chosen)
    context = {
        **site.each_context(request),
        "title": "個人情報の開示・削除",
        "search": search,
        "searched": search.is_bound and search.is_valid(),
        "groups": groups,
        "act_form": act_form or ActForm(),
        "actions": ACTIONS,
        "query": search.query() if search.is_bound else {},
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/staff/personal_data.html", context)


def search_view(site, request):
    _require_admin(request)
    search = SearchForm(request.GET or None)
    return _render_search(site, request, search)


def act_view(site, request):
    _require_admin(request)
    search = SearchForm(request.POST)
    form = ActForm(request.POST)
    if not form.is_valid():
        # The results are shown again when the search came along; a search
        # that did not is not the mistake to point out.
        return _render_search(site, request, search if search.is_valid() else SearchForm(), form)
    action = form.cleaned_data["action"]
    picked = form.cleaned_data["pick"]
    reason = form.cleaned_data["reason"]
    if action == "disclose":
        return _disclosure(request, picked, reason)
    if not form.cleaned_data["confirmed"]:
        return _render_confirm(site, request, search, form, action, picked)
    done = actions.erase(request, picked, action, reason)
    messages.success(request, "、".join(done) + "しました。")
    url = reverse("admin:personal_data", current_app=site.name)
    query = search.query()
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def _render_confirm(site, request, search, form, action, picked):
    groups = []
    for kind, rows in picked:
        how = actions.treatment(kind, action)
        groups.append(
            {
                "kind": kind,
                "how": "削除" if how == "delete" else "匿名化",
                "consequence": actions.consequence(kind, how),
                "rows": [{"label": str(obj), "key": f"{kind.key}:{obj.pk}"} for obj in rows],
            }
        )
    context = {
        **site.each_context(request),
        "title": f"個人情報を{ACTIONS[action].removesuffix('する')}する前の確認",
        "groups": groups,
        "form": form,
        "action": action,
        "submit_label": ACTIONS[action],
        "query": search.query(),
        "back_url": reverse("admin:personal_data", current_app=site.name)
        + (f"?{urlencode(search.query())}" if search.query() else ""),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/staff/personal_data_confirm.html", context)


def _disclosure(request, picked, reason: str):
    """One file with every disclosed field of the chosen records, a row each."""
    rows = actions.disclose(request, picked, reason)
    today = timezone.localdate()
    return csv_response(
        rows,
        filename=f"個人情報の開示_{today:%Y%m%d}.csv",
        ascii_filename=f"personal-data-{today:%Y%m%d}.csv",
    )


def urls(site) -> list:
    def search(request):
        return search_view(site, request)

    @require_POST
    def act(request):
        return act_view(site, request)

    return [
        path("personal-data/", site.admin_view(search), name="personal_data"),
        path("personal-data/act/", site.admin_view(act), name="personal_data_act"),
    ]
