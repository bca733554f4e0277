"""The 活動助成 rules: what a plan would receive under its year's `GrantProgram`.

One function computes the amount for the form's live estimate, the plan's
stored estimate and the `Grant` created on approval, and the same rules are
written out in plain Japanese for the public page.
"""

from dataclasses import dataclass, field
from datetime import date

from salons.models import GrantProgram, PlanKind

# A salon that starts in October or later runs only half the 年度.
SECOND_HALF_MONTHS = {10, 11, 12, 1, 2, 3}


@dataclass(frozen=True)
class Estimate:
    amount: int
    eligible: bool
    lines: list[tuple[str, int]] = field(default_factory=list)
    # Why the plan gets nothing, or what is still missing, in the organiser's words.
    reasons: list[str] = field(default_factory=list)
    capped: bool = False


def estimate(
    program: GrantProgram,
    *,
    kind: str,
    sessions: int | None,
    participants: int | None,
    first_session_on: date | None = None,
    tiers: list | None = None,
) -> Estimate:
    """The grant for a plan of `kind` holding `sessions` a year for `participants`.

    `tiers` may be passed in (already fetched) to avoid a query per call.
    """
    if sessions is None or participants is None:
        missing = []
        if sessions is None:
            missing.append("年間の開催回数")
        if participants is None:
            missing.append("参加者数の見込み")
        return Estimate(0, False, reasons=[f"{'と'.join(missing)}を入力すると計算します。"])

    reasons = []
    if sessions < program.min_sessions:
        reasons.append(f"年間の開催回数が{program.min_sessions}回以上のサロンが対象です。")
    if participants < program.min_participants:
        reasons.append(f"参加者が{program.min_participants}人以上のサロンが対象です。")
    if reasons:
        return Estimate(0, False, reasons=reasons)

    lines = []
    base = program.base_amount
    if (
        first_session_on is not None
        and first_session_on.month in SECOND_HALF_MONTHS
        and program.late_start_base_amount is not None
    ):
        base = program.late_start_base_amount
        lines.append(("基本額（年度の後半から開始）", base))
    elif base:
        lines.append(("基本額", base))

    if program.per_participant_amount:
        lines.append(
            (
                f"参加者{participants}人 × {program.per_participant_amount:,}円",
                participants * program.per_participant_amount,
            )
        )

    tier_list = tiers if tiers is not None else list(program.tiers.all())
    reached = [tier for tier in tier_list if tier.min_sessions <= sessions]
    if reached:
        # The best tier reached, so holding more sessions never lowers the grant
        # even if staff enter a higher tier with a smaller amount.
        top = max(reached, key=lambda tier: (tier.amount, tier.min_sessions))
        lines.append((f"開催{top.min_sessions}回以上の加算", top.amount))

    if kind in (PlanKind.NEW, PlanKind.RESUMED) and program.startup_amount:
        lines.append((f"立ち上げ額（{PlanKind(kind).label}）", program.startup_amount))

    total = sum(amount for _, amount in lines)
    capped = program.cap_amount is not None and total > program.cap_amount
    if capped:
        total = program.cap_amount
    return Estimate(total, True, lines=lines, capped=capped)


def rules_in_words(program: GrantProgram, tiers: list | None = None) -> list[str]:
    """The rules as sentences for the public page, in the order they apply."""
    tier_list = tiers if tiers is not None else list(program.tiers.all())
    rules = []
    conditions = []
    if program.min_sessions:
        conditions.append(f"年間{program.min_sessions}回以上開催")
    if program.min_participants:
        conditions.append(f"参加者{program.min_participants}人以上")
    if conditions:
        rules.append(f"対象: {'、'.join(conditions)}のサロン。")
    if program.base_amount:
        rules.append(f"基本額: {program.base_amount:,}円。")
    if program.late_start_base_amount is not None:
        rules.append(f"10月以降に活動を始めるときの基本額: {program.late_start_base_amount:,}円。")
    if program.per_participant_amount:
        rules.append(f"参加者1人につき{program.per_participant_amount:,}円を加算。")
    for tier in tier_list:
        rules.append(f"年間{tier.min_sessions}回以上開催するときは{tier.amount:,}円を加算。")
    if program.startup_amount:
        rules.append(f"新規・再開のサロンには立ち上げ額{program.startup_amount:,}円を加算。")
    if program.cap_amount is not None:
        rules.append(f"上限: 1サロンにつき年間{program.cap_amount:,}円。")
    return rules
