"""What the 管理者 may do to a person's records: hand them over (開示),
anonymise them or delete them.

Erasing a row also erases the old values the audit history kept of it, so
the person is gone from the history pages too. Only the portal's own entry
remains: who erased what, when and on which request, without the data.
"""

from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from shakyo_portal.backoffice.personal_data.registry import display, label
from shakyo_portal.core.declarations.records import PersonalDataKind
from shakyo_portal.staff import audit

# What a redacted value in the audit history reads as.
REDACTED = "（削除済み）"
BATCH = 500

ACTIONS = {
    "disclose": "開示用に書き出す",
    "anonymise": "匿名化する",
    "delete": "削除する",
}


def treatment(kind: PersonalDataKind, action: str) -> str:
    """What the action does to rows of this kind: "delete" or "anonymise"."""
    return "delete" if action == "delete" and kind.deletable else "anonymise"


def consequence(kind: PersonalDataKind, how: str) -> str:
    if how == "delete":
        return "記録を削除します。変更履歴に残る値も消します。"
    return f"{kind.erased_labels()}を消します。{kind.keeps}変更履歴に残る元の値も消します。"


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


def anonymise(kind: PersonalDataKind, pks) -> None:
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


@transaction.atomic
def erase(request, picked, action: str, reason: str) -> list[str]:
    """Delete or anonymise the picked records, each kind with its own entry in
    the audit trail (the request names who did it). Returns what was done."""
    done = []
    for kind, rows in picked:
        pks = [obj.pk for obj in rows]
        if treatment(kind, action) == "delete":
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
            event="delete" if verb == "削除" else "anonymise",
            reason=reason,
        )
        done.append(f"{kind.label} {len(pks)}件を{verb}")
    return done


@transaction.atomic
def disclose(request, picked, reason: str) -> list[list]:
    """Every disclosed field of the picked records, a row each, under a header;
    each kind handed over gets its entry in the audit trail."""
    rows = [["種類", "記録の番号", "記録", "項目", "内容"]]
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
    return rows
