"""The daily run that lets go of personal data whose time is up.

Each app declares how long it keeps its records in its portal.py (RETENTION):
each rule names the rows whose time is up and what happens to them: deleted,
or anonymised when other records need the row. `manage.py apply_retention`
runs every rule; it is safe to run daily, as a second run finds nothing left.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from shakyo_portal.backoffice import personal_data
from shakyo_portal.core import declarations
from shakyo_portal.core.declarations.records import ANONYMISE, DELETE, PURGE, RetentionRule
from shakyo_portal.staff import audit
from shakyo_portal.staff.audit import LogEntry

logger = logging.getLogger(__name__)

VERBS = {DELETE: "削除", ANONYMISE: "匿名化", PURGE: "削除"}


@cache
def rules() -> tuple[RetentionRule, ...]:
    """Every app's RETENTION (its portal.py), in the order the run takes them."""
    return tuple(declarations.ordered("RETENTION"))


@dataclass
class Outcome:
    rule: RetentionRule
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


def run(*, dry_run: bool = False, now: datetime | None = None, only=None) -> list[Outcome]:
    """Apply every rule, each in its own transaction; a rule that fails is
    reported in its outcome and the others still run."""
    now = now or timezone.now()
    outcomes = []
    for rule in rules() if only is None else only:
        try:
            outcomes.append(apply(rule, now=now, dry_run=dry_run))
        except Exception as error:
            logger.exception("retention rule failed: %s", rule.name)
            outcomes.append(Outcome(rule, error=str(error) or type(error).__name__))
    return outcomes


def apply(rule: RetentionRule, *, now: datetime, dry_run: bool = False) -> Outcome:
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


def _record(rule: RetentionRule, outcome: Outcome, pks) -> LogEntry:
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
