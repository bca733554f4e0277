"""The 活動助成 rules: what a plan would receive under its year's `GrantProgram`.

One function computes the amount for the form's live estimate, the plan's
stored estimate and the `Grant` created on approval, and the same rules are
written out in plain Japanese for the public page.
"""

from dataclasses import dataclass, field
from datetime import date

from salons.models import BudgetSide, GrantProgram, PlanKind

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


# --- the budget's 助成金 line against the rules ------------------------------------------

# The 収入 item that carries the grant in a plan's budget (salons.models.INCOME_ITEMS).
GRANT_INCOME_ITEM = "助成金"


@dataclass(frozen=True)
class GrantMismatch:
    """The budget counts on a 助成金 the rules (or the decision) do not give."""

    budgeted: int
    amount: int
    # What `amount` is: 「助成のきまりで計算した額」 or 「交付決定額」.
    against: str
    # Why the rules give that amount, in a few words (may be empty).
    why: str = ""

    @property
    def message(self) -> str:
        why = f"：{self.why}" if self.why else ""
        return (
            f"予算の助成金（{self.budgeted:,}円）が、{self.against}"
            f"（{self.amount:,}円{why}）と違います。"
        )


def budgeted_grant(income_lines) -> int | None:
    """The sum of the budget's 助成金 lines; None when the budget has none.

    `income_lines` are the 収入 lines as dicts or BudgetLine rows (item, amount).
    """
    amounts = [
        (line["amount"] if isinstance(line, dict) else line.amount)
        for line in income_lines
        if (line["item"] if isinstance(line, dict) else line.item) == GRANT_INCOME_ITEM
    ]
    return sum(amount or 0 for amount in amounts) if amounts else None


def grant_mismatch(
    program: GrantProgram,
    *,
    kind: str,
    sessions: int | None,
    participants: int | None,
    first_session_on: date | None,
    requests_grant: bool,
    income_lines,
    decided: int | None = None,
    tiers: list | None = None,
) -> GrantMismatch | None:
    """Whether the budget's 助成金 disagrees with what the plan would receive.

    The one comparison the organiser's check page and staff's approval pages share.
    `decided` is the 交付決定額 when staff have set one; otherwise the rules' estimate
    is the figure. A warning, never a block: the organiser may know better (a grant
    of last year carried over), and staff decide. Nothing is said while the budget
    has no 助成金 line, or while the numbers the rules need are not typed yet.
    """
    budgeted = budgeted_grant(income_lines)
    if budgeted is None:
        return None
    if decided is not None:
        if budgeted == decided:
            return None
        return GrantMismatch(budgeted, decided, "交付決定額")
    if not requests_grant:
        if budgeted == 0:
            return None
        return GrantMismatch(budgeted, 0, "助成のきまりで計算した額", "活動助成を申請しないため")
    if sessions is None or participants is None:
        return None
    result = estimate(
        program,
        kind=kind,
        sessions=sessions,
        participants=participants,
        first_session_on=first_session_on,
        tiers=tiers,
    )
    if budgeted == result.amount:
        return None
    why = []
    if sessions < program.min_sessions:
        why.append(f"年間の開催回数が最低回数の{program.min_sessions}回に届かないため")
    if participants < program.min_participants:
        why.append(f"参加者数が最低人数の{program.min_participants}人に届かないため")
    if result.capped:
        why.append(f"上限額が{program.cap_amount:,}円のため")
    return GrantMismatch(budgeted, result.amount, "助成のきまりで計算した額", "、".join(why))


def plan_grant_mismatch(plan, *, decided: int | None = None) -> GrantMismatch | None:
    """grant_mismatch for a saved plan (its budget lines as stored)."""
    income = [line for line in plan.budget_lines.all() if line.side == BudgetSide.INCOME]
    return grant_mismatch(
        plan.program,
        kind=plan.kind or PlanKind.CONTINUING,
        sessions=plan.sessions_planned,
        participants=plan.expected_participants,
        first_session_on=plan.first_session_on,
        requests_grant=plan.requests_grant,
        income_lines=income,
        decided=decided,
    )
