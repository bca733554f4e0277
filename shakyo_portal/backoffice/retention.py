"""How long the portal keeps personal data, and the daily run that lets go of it.

Each rule names the rows whose time is up and what happens to them: deleted,
or anonymised when other records need the row. `manage.py apply_retention`
runs every rule; it is safe to run daily, as a second run finds nothing left.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import Max, ProtectedError, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from districts.models import WelfareCommitteeMember
from news.models import Registration
from salons.models import ActivityPlan, PlanStatus, StatusSubject
from shakyo_portal.backoffice import personal_data
from shakyo_portal.staff import audit
from shakyo_portal.staff.audit import LogEntry
from shakyo_portal.staff.models import StaffSession

logger = logging.getLogger(__name__)

# How long each kind of record is kept after its purpose ended, and why.
# A registration serves the event and the questions that follow it
# (who came, a refund); a year covers that.
REGISTRATION_YEARS = 1
# A rejected plan may be questioned or audited as long as grant papers are
# kept, which is five years in the councils' document rules.
REJECTED_PLAN_YEARS = 5
# A draft never sent may be resumed in the next 年度, not later.
DRAFT_PLAN_YEARS = 1
# A retired 福祉委員's past terms matter for reappointment and commendations
# (表彰); statistics keep the anonymised row.
MEMBER_YEARS = 5
# The audit trail answers for as long as the records it explains.
AUDIT_YEARS = 5
# Logins and failed logins: long enough to look into a break-in noticed late.
LOGIN_LOG_YEARS = 1

DELETE, ANONYMISE, PURGE = "delete", "anonymise", "purge"
VERBS = {DELETE: "削除", ANONYMISE: "匿名化", PURGE: "削除"}


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Rule:
    """name: the line the command prints. expired(now): the rows whose time
    is up. action: DELETE or ANONYMISE (personal data: its history is scrubbed
    too) or PURGE (logs and sessions: the rows simply go)."""

    name: str
    model: type
    expired: Callable[[datetime], QuerySet]
    action: str


def _registrations(now):
    cutoff = years_before(now, REGISTRATION_YEARS)
    return Registration.objects.alias(ended=Coalesce("event__ends_at", "event__starts_at")).filter(
        ended__lt=cutoff
    )


def _rejected_plans(now):
    cutoff = years_before(now, REJECTED_PLAN_YEARS)
    decided = Max(
        "history__at",
        filter=Q(history__subject=StatusSubject.PLAN, history__to_status=PlanStatus.REJECTED),
    )
    return (
        ActivityPlan.objects.filter(status=PlanStatus.REJECTED)
        .alias(decided_at=Coalesce(decided, "updated_at"))
        .filter(decided_at__lt=cutoff)
    )


def _unsent_drafts(now):
    cutoff = years_before(now, DRAFT_PLAN_YEARS)
    return ActivityPlan.objects.filter(
        status=PlanStatus.DRAFT, submitted_at__isnull=True, updated_at__lt=cutoff
    )


def _retired_members(now):
    cutoff = years_before(now, MEMBER_YEARS).date()
    kind = personal_data.kind_for(WelfareCommitteeMember)
    return WelfareCommitteeMember.objects.filter(term_end__lt=cutoff).exclude(kind.anonymised_q())


def _old_audit_entries(now):
    return LogEntry.objects.filter(timestamp__lt=years_before(now, AUDIT_YEARS))


def _old_logins(now):
    return AccessLog.objects.filter(attempt_time__lt=years_before(now, LOGIN_LOG_YEARS))


def _old_login_failures(now):
    return AccessFailureLog.objects.filter(attempt_time__lt=years_before(now, LOGIN_LOG_YEARS))


def _ended_sessions(now):
    """Registry rows whose session is gone (logged out elsewhere, expired)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(StaffSession.objects.values_list("session_key", flat=True))
    if hasattr(store, "get_model_class"):
        # Database sessions stay in the table after they expire, until
        # clearsessions: only an unexpired row counts as a live session.
        live = set(
            store.get_model_class()
            .objects.filter(session_key__in=keys, expire_date__gt=now)
            .values_list("session_key", flat=True)
        )
    else:
        live = {key for key in keys if store().exists(key)}
    return StaffSession.objects.exclude(session_key__in=live)


RULES = (
    Rule(f"行事の申込（終了から{REGISTRATION_YEARS}年）", Registration, _registrations, DELETE),
    Rule(
        f"不承認の活動計画書（決定から{REJECTED_PLAN_YEARS}年）",
        ActivityPlan,
        _rejected_plans,
        DELETE,
    ),
    Rule(
        f"提出されなかった活動計画書の下書き（最後の保存から{DRAFT_PLAN_YEARS}年）",
        ActivityPlan,
        _unsent_drafts,
        DELETE,
    ),
    Rule(
        f"福祉委員（任期の終了から{MEMBER_YEARS}年）",
        WelfareCommitteeMember,
        _retired_members,
        ANONYMISE,
    ),
    Rule(f"変更履歴（{AUDIT_YEARS}年）", LogEntry, _old_audit_entries, PURGE),
    Rule(f"ログインの記録（{LOGIN_LOG_YEARS}年）", AccessLog, _old_logins, PURGE),
    Rule(
        f"ログイン失敗の記録（{LOGIN_LOG_YEARS}年）", AccessFailureLog, _old_login_failures, PURGE
    ),
    Rule("終了したログインセッション", StaffSession, _ended_sessions, PURGE),
)


@dataclass
class Outcome:
    rule: Rule
    deleted: int = 0
    anonymised: int = 0
    planned: int = 0
    error: str = ""

    def line(self) -> str:
        name = self.rule.name
        if self.error:
            return f"{name}: 失敗しました（{self.error}）"
        if self.planned:
            return (
                f"{name}: {self.planned}件を{VERBS[self.rule.action]}する予定（変更していません）"
            )
        parts = []
        if self.deleted:
            parts.append(f"{self.deleted}件を削除")
        if self.anonymised:
            parts.append(f"{self.anonymised}件を匿名化")
        return f"{name}: {'、'.join(parts) or '対象なし'}"


def run(*, dry_run: bool = False, now: datetime | None = None, rules=None) -> list[Outcome]:
    """Apply every rule, each in its own transaction; a rule that fails is
    reported in its outcome and the others still run."""
    now = now or timezone.now()
    outcomes = []
    for rule in RULES if rules is None else rules:
        try:
            outcomes.append(apply(rule, now=now, dry_run=dry_run))
        except Exception as error:
            logger.exception("retention rule failed: %s", rule.name)
            outcomes.append(Outcome(rule, error=str(error) or type(error).__name__))
    return outcomes


def apply(rule: Rule, *, now: datetime, dry_run: bool = False) -> Outcome:
    pks = list(rule.expired(now).order_by().values_list("pk", flat=True).distinct())
    outcome = Outcome(rule)
    if dry_run:
        outcome.planned = len(pks)
        return outcome
    if not pks:
        return outcome
    with transaction.atomic():
        for start in range(0, len(pks), personal_data.BATCH):
            batch = pks[start : start + personal_data.BATCH]
            if rule.action == PURGE:
                rule.model.objects.filter(pk__in=batch).delete()
                outcome.deleted += len(batch)
            elif rule.action == ANONYMISE:
                personal_data.anonymise(personal_data.kind_for(rule.model), batch)
                outcome.anonymised += len(batch)
            else:
                deleted, anonymised = _delete_or_anonymise(rule.model, batch)
                outcome.deleted += deleted
                outcome.anonymised += anonymised
        if outcome.deleted or outcome.anonymised:
            _record(rule, outcome, pks)
    return outcome


def _delete_or_anonymise(model, batch) -> tuple[int, int]:
    """Delete the rows; one that other rows PROTECT is anonymised instead
    (once: a row already anonymised is left as it is)."""
    kind = personal_data.kind_for(model)
    try:
        with transaction.atomic():
            personal_data.delete(model, batch, cascades=kind.cascades)
        return len(batch), 0
    except ProtectedError:
        pass
    deleted = anonymised = 0
    for pk in batch:
        try:
            with transaction.atomic():
                personal_data.delete(model, [pk], cascades=kind.cascades)
            deleted += 1
        except ProtectedError:
            if not model.objects.filter(kind.anonymised_q(), pk=pk).exists():
                personal_data.anonymise(kind, [pk])
                anonymised += 1
    return deleted, anonymised


def _record(rule: Rule, outcome: Outcome, pks) -> LogEntry:
    """The one history entry of a rule's run. Nobody acted: the actor is
    empty, which the history pages show as システム."""
    # Whose data went is kept, should anyone ask later; purged logs have no "whose".
    kept = () if rule.action == PURGE else pks
    return audit.record_access(
        None,
        rule.model,
        what=f"保存期間の経過: {outcome.line()}",
        pks=kept,
        event="retention",
        rule=rule.name,
        deleted=outcome.deleted,
        anonymised=outcome.anonymised,
        count=len(pks),
    )
