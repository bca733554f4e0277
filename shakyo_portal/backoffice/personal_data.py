"""A person's data across the portal: where it lives, and the 管理者's pages
to find it, hand it over (開示) and erase it (匿名化・削除).

KINDS is the one list of the records that name a person. Records that hold
personal data only as free text are not in it: ActivityReport (the comments)
and coordinators.ActivityLog (the narrative and staff notes) name residents
in prose if at all, so no search by name or phone can find them reliably.

Erasing a row also erases the old values the audit history kept of it, so
the person is gone from the history pages too. Only the portal's own entry
remains: who erased what, when and on which request, without the data.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from auditlog.context import disable_auditlog
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.core.fields import PhoneNumberFormField
from shakyo_portal.core.kana import normalize_reading
from shakyo_portal.staff import access, audit

# What a redacted value in the audit history reads as.
REDACTED = "（削除済み）"
# What an anonymised name reads as: staff then see why the row has no name.
ERASED_NAME = "削除済み"
ERASED_READING = "さくじょずみ"
BATCH = 500
# A search finding more than this per kind was too loose to act on safely.
LIMIT = 100


@dataclass(frozen=True)
class Kind:
    """One model that names a person.

    names/readings/phones/emails: the fields a search looks in.
    disclosed: the fields a disclosure file holds.
    erased: each personal field's value once anonymised; erased_m2m: the
    many-to-many fields emptied. deletable: whether 「削除する」 removes the
    row; otherwise other records need it, and it is anonymised instead.
    keeps: what an anonymised row keeps, and why, as the confirmation says it.
    cascades: tracked rows deleted with it, as (model label, foreign key).
    """

    label: str
    model_label: str
    names: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    disclosed: tuple[str, ...] = ()
    erased: dict = field(default_factory=dict)
    erased_m2m: tuple[str, ...] = ()
    deletable: bool = False
    keeps: str = ""
    related: tuple[str, ...] = ()
    cascades: tuple[tuple[str, str], ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def rows(self):
        rows = self.model.objects.all()
        if self.related:
            rows = rows.select_related(*self.related)
        return rows.prefetch_related(*self.erased_m2m)

    @property
    def key(self) -> str:
        return self.model_label

    @property
    def personal_fields(self) -> set[str]:
        return set(self.erased) | set(self.erased_m2m)

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.context, *self.names, *self.readings, *self.phones, *self.emails)

    def erased_labels(self) -> str:
        return "・".join(label(self.model, name) for name in (*self.erased, *self.erased_m2m))

    def anonymised_q(self) -> Q:
        """Rows already anonymised (so running again changes nothing)."""
        q = Q(**self.erased)
        for name in self.erased_m2m:
            q &= Q(**{f"{name}__isnull": True})
        return q


_PUBLISH_OFF = {
    name: False
    for name in ("publish_name", "publish_area", "publish_role", "publish_phone", "publish_email")
}

KINDS = (
    Kind(
        label="福祉委員",
        model_label="districts.welfarecommitteemember",
        names=("name",),
        readings=("reading",),
        phones=("phone",),
        emails=("email",),
        context=("district", "term_end"),
        disclosed=(
            "name",
            "reading",
            "district",
            "area_covered",
            "role",
            "is_council_representative",
            "term_start",
            "term_end",
            "phone",
            "email",
            "consent_date",
            *_PUBLISH_OFF,
        ),
        # Nothing shows an anonymised member: every publish flag goes off.
        erased={
            "name": ERASED_NAME,
            "reading": ERASED_READING,
            "area_covered": "",
            "phone": "",
            "email": "",
            **_PUBLISH_OFF,
        },
        deletable=True,
        keeps="地区・役職・任期は、委員数の統計のために残します。",
        related=("district",),
    ),
    Kind(
        label="ふれあいサロンの代表者",
        model_label="salons.salon",
        names=("organiser_name",),
        phones=("organiser_phone",),
        emails=("organiser_email",),
        context=("name", "district"),
        disclosed=("name", "district", "organiser_name", "organiser_phone", "organiser_email"),
        erased={"organiser_name": ERASED_NAME, "organiser_phone": "", "organiser_email": ""},
        keeps="サロンの案内（名前・会場・日程）は公開中のため残し、代表者の連絡先だけを消します。",
        related=("district",),
    ),
    Kind(
        label="活動計画書の代表者",
        model_label="salons.activityplan",
        names=("representative_name",),
        readings=("representative_reading",),
        phones=("representative_phone",),
        emails=("representative_email",),
        context=("reference", "salon_name", "status"),
        disclosed=(
            "reference",
            "salon_name",
            "status",
            "representative_name",
            "representative_reading",
            "representative_phone",
            "representative_email",
            "representative_postal_code",
            "representative_address",
            "consented_at",
            "submitted_at",
        ),
        erased={
            "representative_name": ERASED_NAME,
            "representative_reading": "",
            "representative_phone": "",
            "representative_email": "",
            "representative_postal_code": "",
            "representative_address": "",
        },
        keeps="受付番号・状態・予算・助成額は、会計と統計のために残します。",
        related=("salon",),
        cascades=(
            ("salons.budgetline", "plan"),
            ("salons.attachment", "plan"),
            ("salons.activityreport", "plan"),
        ),
    ),
    Kind(
        label="行事の申込",
        model_label="news.registration",
        names=("name",),
        readings=("reading",),
        phones=("phone",),
        emails=("email",),
        context=("event",),
        disclosed=(
            "event",
            "serial",
            "name",
            "reading",
            "phone",
            "email",
            "people",
            "accommodations",
            "note",
            "status",
            "consented_at",
            "created_at",
        ),
        erased={
            "name": ERASED_NAME,
            "reading": ERASED_READING,
            "phone": "",
            "email": "",
            "note": "",
        },
        erased_m2m=("accommodations",),
        deletable=True,
        keeps="人数は、行事の参加者数の統計のために残します。",
        related=("event",),
    ),
    Kind(
        label="協議体の構成員の代表者",
        model_label="councils.councilmember",
        names=("representative_name",),
        context=("council", "organisation"),
        disclosed=(
            "council",
            "organisation",
            "position",
            "representative_name",
            "term_start",
            "term_end",
            "consent_date",
            "publish_representative",
        ),
        erased={"representative_name": "", "publish_representative": False},
        keeps="構成団体は協議体の記録のために残し、代表者の氏名だけを消します。",
        related=("council",),
    ),
    Kind(
        label="地域資源の連絡先",
        model_label="coordinators.resource",
        names=("contact_name",),
        phones=("contact_phone",),
        emails=("contact_email",),
        context=("name",),
        disclosed=("name", "contact_name", "contact_phone", "contact_email"),
        # The contact name is shown on the public page: blank, not 削除済み.
        erased={"contact_name": "", "contact_phone": "", "contact_email": ""},
        keeps="地域資源の案内は残し、連絡先だけを消します。",
    ),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}


def kind_for(model) -> Kind:
    return KIND_BY_KEY[model._meta.label_lower]


def label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def display(obj, name: str):
    """A field's value as a person reads it (choices and related rows by name)."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return "、".join(str(related) for related in getattr(obj, name).all())
    if model_field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, models.Model):
        return str(value)
    return value


# --- finding ------------------------------------------------------------------


def _without_spaces(name: str):
    return Replace(Replace(F(name), Value(" "), Value("")), Value("\u3000"), Value(""))


def find(*, name: str = "", phone: str = "", email: str = "") -> list[tuple[Kind, list]]:
    """Every record of each kind that matches any of the given facts.

    Names match ignoring spaces (髙﨑 花子 finds 髙﨑花子); a kana query also
    matches readings; phones match by their digits, whatever the grouping.
    """
    name = "".join(name.split())
    try:
        reading = "".join(normalize_reading(name).split())
    except ValidationError:
        reading = ""
    digits = re.sub(r"\D", "", phone)
    email = email.strip()
    found = []
    for kind in KINDS:
        aliases, wanted = {}, []
        if name:
            for n in kind.names:
                aliases[f"_bare_{n}"] = _without_spaces(n)
                wanted.append(Q(**{f"_bare_{n}__icontains": name}))
        if reading:
            for n in kind.readings:
                aliases[f"_bare_{n}"] = _without_spaces(n)
                wanted.append(Q(**{f"_bare_{n}__icontains": reading}))
        if digits:
            for n in kind.phones:
                aliases[f"_digits_{n}"] = Replace(F(n), Value("-"), Value(""))
                wanted.append(Q(**{f"_digits_{n}": digits}))
        if email:
            wanted.extend(Q(**{f"{n}__iexact": email}) for n in kind.emails)
        if not wanted:
            continue
        q = wanted[0]
        for other in wanted[1:]:
            q |= other
        rows = list(kind.rows().alias(**aliases).filter(q).order_by("pk")[: LIMIT + 1])
        if rows:
            found.append((kind, rows))
    return found


# --- erasing ------------------------------------------------------------------


def _redact(changes: dict, fields) -> dict:
    redacted = {}
    for name, value in (changes or {}).items():
        if fields is None or name in fields:
            if isinstance(value, dict):  # many-to-many: the related rows' names
                value = {**value, "objects": [REDACTED]}
            else:
                value = [REDACTED, REDACTED]
        redacted[name] = value
    return redacted


def scrub_history(model, pks, *, fields=None, reprs=None) -> int:
    """Replace the old values the audit history keeps of these rows: the given
    fields' values, or every value when fields is None. Returns how many entries."""
    content_type = ContentType.objects.get_for_model(model)
    entries = audit.LogEntry.objects.filter(content_type=content_type, object_id__in=list(pks))
    changed = []
    for entry in entries.iterator(chunk_size=BATCH):
        entry.changes = _redact(entry.changes_dict, fields)
        entry.changes_text = ""
        entry.serialized_data = None
        # The portal's own entries describe an action, never the row's data.
        if entry.action != audit.LogEntry.Action.ACCESS:
            entry.object_repr = (reprs or {}).get(entry.object_id, REDACTED)
        changed.append(entry)
    audit.LogEntry.objects.bulk_update(
        changed, ["changes", "changes_text", "serialized_data", "object_repr"], batch_size=BATCH
    )
    return len(changed)


def anonymise(kind: Kind, pks) -> None:
    """Blank the personal fields of these rows, in their history too."""
    model = kind.model
    pks = list(pks)
    values = dict(kind.erased)
    for model_field in model._meta.concrete_fields:
        if getattr(model_field, "auto_now", False):
            values[model_field.name] = timezone.now()
    # The history must not copy the old values once more.
    with disable_auditlog():
        model.objects.filter(pk__in=pks).update(**values)
        for name in kind.erased_m2m:
            m2m = model._meta.get_field(name)
            m2m.remote_field.through.objects.filter(**{f"{m2m.m2m_field_name()}__in": pks}).delete()
    reprs = {obj.pk: str(obj) for obj in kind.rows().filter(pk__in=pks)}
    scrub_history(model, pks, fields=kind.personal_fields, reprs=reprs)


def delete(model, pks, *, cascades=()) -> None:
    """Delete these rows, the tracked rows deleted with them, their files and
    their whole history. Raises ProtectedError when other rows need them."""
    pks = list(pks)
    children = []
    for child_label, fk in cascades:
        child = apps.get_model(child_label)
        rows = list(child.objects.filter(**{f"{fk}__in": pks}))
        children.append((child, rows))
    with disable_auditlog():
        model.objects.filter(pk__in=pks).delete()
    scrub_history(model, pks)
    for child, rows in children:
        scrub_history(child, [row.pk for row in rows])
        for row in rows:
            for file_field in child._meta.concrete_fields:
                if isinstance(file_field, models.FileField):
                    _delete_file_on_commit(getattr(row, file_field.name))


def _delete_file_on_commit(file) -> None:
    # After the commit: a rolled-back deletion must not have lost the file.
    if file and file.name:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


# --- the 管理者's pages ------------------------------------------------------------

ACTIONS = {
    "disclose": "開示用に書き出す",
    "anonymise": "匿名化する",
    "delete": "削除する",
}


class SearchForm(forms.Form):
    name = forms.CharField(
        label="氏名・よみがな",
        required=False,
        max_length=100,
        help_text="姓だけ、名だけでも探せます。空白の有無は区別しません。",
    )
    phone = PhoneNumberFormField(
        label="電話番号", required=False, help_text="全角の数字やハイフンでも入力できます。"
    )
    email = forms.EmailField(label="メールアドレス", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(n) for n in ("name", "phone", "email")):
            raise ValidationError(
                "氏名・よみがな、電話番号、メールアドレスのどれかを入力してください。"
            )
        return data

    def query(self) -> dict:
        return {n: self.data.get(n, "") for n in ("name", "phone", "email") if self.data.get(n)}


class PicksField(forms.Field):
    """The chosen records, posted as "app.model:pk", resolved to rows."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        keys = [value] if isinstance(value, str) else list(value or [])
        if not keys:
            raise ValidationError("対象の記録を1件以上選んでください。", code="required")
        wanted: dict[str, set[int]] = {}
        for key in keys:
            kind_key, _, pk = key.partition(":")
            if kind_key not in KIND_BY_KEY or not (pk.isascii() and pk.isdigit() and len(pk) <= 18):
                raise ValidationError("選んだ記録が正しくありません。もう一度検索してください。")
            wanted.setdefault(kind_key, set()).add(int(pk))
        picked = []
        for kind in KINDS:
            if kind.key not in wanted:
                continue
            rows = list(kind.rows().filter(pk__in=wanted[kind.key]).order_by("pk"))
            if len(rows) != len(wanted[kind.key]):
                raise ValidationError(
                    "選んだ記録の一部が見つかりません（すでに削除された可能性があります）。"
                    "もう一度検索してください。"
                )
            picked.append((kind, rows))
        return picked


class ActForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=ACTIONS.items(), widget=forms.HiddenInput)
    pick = PicksField()
    reason = forms.CharField(
        label="依頼の受付番号・理由",
        max_length=200,
        help_text=(
            "例: 開示請求 受付第12号。記録に残ります。氏名などの個人情報は書かないでください。"
        ),
        error_messages={"required": "依頼の受付番号や理由を書いてください。"},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


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
        return _disclose(request, picked, reason)
    if not form.cleaned_data["confirmed"]:
        return _render_confirm(site, request, search, form, action, picked)
    done = _erase(request, picked, action, reason)
    messages.success(request, "、".join(done) + "しました。")
    url = reverse("admin:personal_data", current_app=site.name)
    query = search.query()
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def _plan(kind: Kind, action: str) -> str:
    """What the action does to rows of this kind: "delete" or "anonymise"."""
    return "delete" if action == "delete" and kind.deletable else "anonymise"


def _consequence(kind: Kind, how: str) -> str:
    if how == "delete":
        return "記録を削除します。変更履歴に残る値も消します。"
    return f"{kind.erased_labels()}を消します。{kind.keeps}変更履歴に残る元の値も消します。"


def _render_confirm(site, request, search, form, action, picked):
    groups = []
    for kind, rows in picked:
        how = _plan(kind, action)
        groups.append(
            {
                "kind": kind,
                "how": "削除" if how == "delete" else "匿名化",
                "consequence": _consequence(kind, how),
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


@transaction.atomic
def _erase(request, picked, action: str, reason: str) -> list[str]:
    done = []
    for kind, rows in picked:
        pks = [obj.pk for obj in rows]
        how = _plan(kind, action)
        if how == "delete":
            delete(kind.model, pks, cascades=kind.cascades)
            verb = "削除"
        else:
            anonymise(kind, pks)
            verb = "匿名化"
        audit.record_access(
            request,
            kind.model,
            what=f"個人情報の{verb}: {kind.label}（{len(pks)}件）",
            pks=pks,
            event="delete" if how == "delete" else "anonymise",
            reason=reason,
        )
        done.append(f"{kind.label} {len(pks)}件を{verb}")
    return done


def _disclose(request, picked, reason: str):
    """One file with every disclosed field of the chosen records, a row each."""
    rows = [["種類", "記録の番号", "記録", "項目", "内容"]]
    with transaction.atomic():
        for kind, objs in picked:
            for obj in objs:
                for name in kind.disclosed:
                    rows.append(
                        [kind.label, obj.pk, str(obj), label(kind.model, name), display(obj, name)]
                    )
            audit.record_access(
                request,
                kind.model,
                what=f"個人情報の開示: {kind.label}（{len(objs)}件）",
                pks=[obj.pk for obj in objs],
                event="disclosure",
                reason=reason,
            )
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
