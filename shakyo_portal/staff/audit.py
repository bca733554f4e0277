"""The audit trail: which models keep a history (each app's AUDITED, in its
portal.py), and the entries the portal writes itself (exports of personal
data, disclosures and erasures).

django-auditlog keeps one LogEntry per change with the user, the address,
the time and each field's old and new value. Only 管理者 read it (see
roles.AUDIT); nobody can edit or delete an entry through the admin.
"""

from dataclasses import dataclass

from auditlog import middleware as auditlog_middleware
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from shakyo_portal.core import declarations
from shakyo_portal.core.ratelimit import client_ip


@dataclass(frozen=True)
class Tracked:
    """How a model keeps its history, as an app's AUDITED declares it: the
    fields left out, the many-to-many fields whose changes matter (a staff
    member's districts, a user's groups), and the history's name for a
    relation another app declares (it has no verbose_name on this side)."""

    exclude_fields: tuple[str, ...] = ()
    m2m_fields: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()

    def options(self) -> dict:
        """auditlog.register's keyword arguments."""
        options = {}
        if self.exclude_fields:
            options["exclude_fields"] = list(self.exclude_fields)
        if self.m2m_fields:
            options["m2m_fields"] = set(self.m2m_fields)
        return options


def register_models() -> None:
    """Every app's AUDITED (personal data and workflow records) into auditlog."""
    for label, tracked in declarations.collect_mapping("AUDITED").items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, **tracked.options())
        for field, text in tracked.labels:
            _LABELS[(label, field)] = text


# (model label, field name) -> the name the history shows, from AUDITED.
_LABELS: dict[tuple[str, str], str] = {}


def record_access(request, model, *, what: str, pks=(), **data) -> LogEntry:
    """One entry for something taken out of the portal (a CSV, a disclosure
    file) or done to a person's data as a whole. request is None when the
    portal itself acts (the retention command): the entry names システム."""
    pks = [str(pk) for pk in pks]
    user = request.user if request is not None and request.user.is_authenticated else None
    single = pks[0] if len(pks) == 1 else ""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=single,
        # Set for one row, so the entry shows on that row's own history page.
        object_id=int(single) if single.isascii() and single.isdigit() else None,
        object_repr=what,
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=getattr(user, "email", "") or None,
        remote_addr=client_ip(request) if request is not None else None,
        additional_data={"count": len(pks), "pks": pks, **data},
    )


def record_export(request, queryset, *, label: str) -> None:
    """Log a download of the rows of a queryset (the primary keys are kept, so
    after a leak one can tell whose data a file held)."""
    model = queryset.model
    pks = list(queryset.order_by().values_list("pk", flat=True))
    record_access(
        request,
        model,
        what=f"CSV出力: {label}（{len(pks)}件）",
        pks=pks,
        event="export",
        path=request.get_full_path(),
    )


def actor_name(user) -> str:
    if user is None:
        return "システム"
    # Family name first, as staff write their names.
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


ACTION_LABELS = {
    LogEntry.Action.CREATE: "追加",
    LogEntry.Action.UPDATE: "変更",
    LogEntry.Action.DELETE: "削除",
    LogEntry.Action.ACCESS: "出力・閲覧",
}


def describe(entry: LogEntry) -> dict:
    """An entry as the history pages show it: who, when, and each field's
    old and new value under the field's Japanese name."""
    changes = []
    if entry.action in (LogEntry.Action.CREATE, LogEntry.Action.UPDATE):
        raw = entry.changes_dict
        display = entry.changes_display_dict
        for name, values in raw.items():
            label = _field_label(entry, name)
            if isinstance(values, dict):  # many-to-many: what was added or removed
                objects = "、".join(map(str, values.get("objects", [])))
                added = values.get("operation") == "add"
                old, new = ("", objects) if added else (objects, "")
            else:
                shown = display.get(label, values)
                old, new = (shown if len(shown) == 2 else values)[:2]
            changes.append({"field": label, "old": _blank(old), "new": _blank(new)})
    return {
        "details": _details(entry.additional_data or {}),
        "entry": entry,
        "actor": actor_name(entry.actor),
        "action": ACTION_LABELS.get(entry.action, entry.get_action_display()),
        "changes": changes,
    }


def _field_label(entry, name: str) -> str:
    model = entry.content_type.model_class()
    if (declared := _LABELS.get((model._meta.label_lower, name))) is not None:
        return declared
    try:
        field = model._meta.get_field(name)
    except Exception:  # a field since removed from the model
        return name
    if not hasattr(field, "verbose_name"):
        # A relation another app declares (a staff member's districts).
        return str(field.related_model._meta.verbose_name)
    return str(field.verbose_name)


def _blank(value):
    return "" if value in (None, "None", "") else value


class AuditlogMiddleware(auditlog_middleware.AuditlogMiddleware):
    """auditlog's middleware, trusting only the address the server was given:
    any client can write an X-Forwarded-For header, and the trail must not
    record a made-up address (README: set REMOTE_ADDR from the proxy)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None

    @staticmethod
    def _get_actor(request):
        # Without a session cookie nobody is signed in; looking would touch
        # the session and add "Vary: Cookie" to every public page.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return auditlog_middleware.AuditlogMiddleware._get_actor(request)


def record_update(instance, changes: dict, *, actor=None) -> LogEntry:
    """An entry for a change written with QuerySet.update() — the workflow's
    compare-and-set steps — which auditlog's signals never see.

    changes: {field name: (old, new)}. Inside a request the middleware names
    the signed-in user when no actor is given.
    """
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=str(instance),
        action=LogEntry.Action.UPDATE,
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def _plain(value):
    return None if value is None else str(value)


DETAIL_LABELS = {"event": "種類", "count": "件数", "reason": "理由", "rule": "規則", "path": "画面"}
EVENT_LABELS = {
    "export": "CSV出力",
    "disclosure": "開示用の書き出し",
    "anonymise": "匿名化",
    "delete": "削除",
    "retention": "保存期間による削除・匿名化",
    "end_sessions": "セッションの終了",
    "two_factor_reset": "2段階認証のリセット",
    "recovery_code": "予備コードでのログイン",
}


def _details(data: dict) -> list[tuple[str, str]]:
    """What the portal noted with an entry, in Japanese; the keys of the rows
    involved stay in the data (for tracing a leak) but are not listed."""
    shown = []
    for key, label in DETAIL_LABELS.items():
        if key in data and data[key] not in ("", None):
            value = EVENT_LABELS.get(data[key], data[key]) if key == "event" else data[key]
            shown.append((label, value))
    return shown
