"""The 活動計画書 and 実績報告 workflows, in the spirit of Hypha's workflow definitions.

Each state is written once, below: what staff call it (its choice label), what
the organiser reads on the status page, the organiser's words in the history
for the step that brought the record there, where it may go next and who may
take it there, whether the organiser may still change the record, and whether
coming to it needs a reason the organiser reads.

What the rest of the app needs — the plans the public form may edit, the
review buttons and 受付 in the admin, the steps the services allow, the
status page's words — is derived from these definitions, not written out
again. The moves themselves are made by `salons.services`.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class WorkflowError(Exception):
    """A change that cannot be made; the message is for the person who tried."""


CONFLICT_MESSAGE = (
    "ほかの職員が先にこの記録を変更しました。画面を読み込み直して、最新の状態を確認してください。"
)


class Actor(StrEnum):
    """Who may make a move."""

    # The organiser, on the public pages, once salons.access knows them.
    APPLICANT = "applicant"
    # A staff member whose role may change the record (shakyo_portal.staff.roles:
    # 管理者, 事務局職員, and a 地区担当 in their own districts), in the admin.
    STAFF = "staff"


@dataclass(frozen=True)
class Transition:
    """A move from a state to `to`."""

    to: str
    by: frozenset[Actor]
    # The button staff press for it in the admin.
    action: str = ""
    # The organiser's words in the history when this move differs from the
    # usual way of coming to `to` (sending again after a 差戻し).
    history: str = ""


@dataclass(frozen=True)
class State:
    status: models.TextChoices
    # What the organiser reads on the status page.
    applicant_label: str
    # The organiser's words in the history for the step that brought the record here.
    history: str = ""
    # The moves from here, in the order the admin shows their buttons.
    transitions: tuple[Transition, ...] = ()
    # The organiser may still change the record (and send it again).
    applicant_edits: bool = False
    # Coming here needs a reason, which the organiser reads in the mail and on the status page.
    reason_required: bool = False

    @property
    def staff_label(self) -> str:
        return self.status.label


class Workflow:
    """The states of one kind of record, keyed by status."""

    def __init__(self, choices: type[models.TextChoices], *states: State):
        self.choices = choices
        self.states = {state.status: state for state in states}
        if len(states) != len(choices) or set(self.states) != set(choices):
            raise ValueError(f"{choices.__name__}: every status needs exactly one definition")

    def __getitem__(self, status: str) -> State:
        return self.states[self.choices(status)]

    def moves(self, status: str, by: Actor) -> list[Transition]:
        """The moves `by` may make from `status`, in the order of their buttons."""
        state = self.states.get(status)
        return [t for t in state.transitions if by in t.by] if state else []

    def sources(self, to: str, by: Actor | None = None) -> tuple:
        """The statuses from which a record may come to `to` (by `by`, or by anyone)."""
        return tuple(
            status
            for status, state in self.states.items()
            if any(t.to == to and (by is None or by in t.by) for t in state.transitions)
        )

    def actions(self, by: Actor) -> dict:
        """The button for each move `by` makes, by the status it leads to."""
        return {
            self.choices(t.to): t.action
            for state in self.states.values()
            for t in state.transitions
            if by in t.by and t.action
        }

    def history(self, from_status: str, to_status: str) -> str:
        """The organiser's words for a step; "" when the workflow has none for it."""
        source = self.states.get(from_status)
        for transition in source.transitions if source else ():
            if transition.to == to_status and transition.history:
                return transition.history
        state = self.states.get(to_status)
        return state.history if state else ""

    @property
    def editable(self) -> tuple:
        return tuple(status for status, state in self.states.items() if state.applicant_edits)

    @property
    def reason_required(self) -> tuple:
        return tuple(status for status, state in self.states.items() if state.reason_required)


APPLICANT = frozenset({Actor.APPLICANT})
STAFF = frozenset({Actor.STAFF})
EITHER = APPLICANT | STAFF


# --- 活動計画書 -----------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    RECEIVED = "received", "受付"
    REVIEWING = "reviewing", "審査中"
    RETURNED = "returned", "差戻し"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "不承認"


# Coming to 受付 is sending the plan: the organiser on the web, or staff for a
# plan they typed in from paper (the admin offers it only for those).
# salons.services.submit_plan numbers it; every other staff move is a review
# step, made by salons.services.transition.
SEND = Transition(PlanStatus.RECEIVED, by=EITHER, action="受付する")
RETURN = Transition(PlanStatus.RETURNED, by=STAFF, action="差戻す")
REJECT = Transition(PlanStatus.REJECTED, by=STAFF, action="不承認にする")

PLAN = Workflow(
    PlanStatus,
    State(
        PlanStatus.DRAFT,
        applicant_label="下書き（まだ提出されていません）",
        applicant_edits=True,
        transitions=(SEND,),
    ),
    State(
        PlanStatus.RECEIVED,
        applicant_label="受付済み",
        history="活動計画書を提出しました（受付）",
        transitions=(
            Transition(PlanStatus.REVIEWING, by=STAFF, action="審査中にする"),
            RETURN,
            REJECT,
        ),
    ),
    State(
        PlanStatus.REVIEWING,
        applicant_label="審査中",
        history="社協が審査を始めました",
        transitions=(RETURN, Transition(PlanStatus.APPROVED, by=STAFF, action="承認する"), REJECT),
    ),
    State(
        PlanStatus.RETURNED,
        applicant_label="差戻し（修正して再提出してください）",
        history="活動計画書が差戻しになりました",
        applicant_edits=True,
        reason_required=True,
        transitions=(
            Transition(
                PlanStatus.RECEIVED,
                by=EITHER,
                action=SEND.action,
                history="活動計画書を修正して再提出しました",
            ),
        ),
    ),
    State(
        PlanStatus.APPROVED,
        applicant_label="承認",
        history="活動計画書が承認されました",
    ),
    State(
        PlanStatus.REJECTED,
        applicant_label="不承認",
        history="活動計画書が不承認になりました",
        reason_required=True,
    ),
)

# The statuses in which the organiser may change the plan and send it.
EDITABLE = PLAN.editable
# Paper plans staff may 受付.
RECEIVABLE = PLAN.sources(PlanStatus.RECEIVED, by=Actor.STAFF)
# The review steps: from → the statuses staff may move it to, in the order of the buttons.
REVIEW_STEPS = {
    status: tuple(t.to for t in PLAN.moves(status, Actor.STAFF) if t.to != PlanStatus.RECEIVED)
    for status in PlanStatus
}
# The admin's button for each review step, by the status it leads to.
REVIEW_ACTIONS = {
    to: action for to, action in PLAN.actions(Actor.STAFF).items() if to != PlanStatus.RECEIVED
}
# The organiser reads the reason for these.
REASON_REQUIRED = PLAN.reason_required
APPLICANT_STATUS_LABELS = {status: PLAN[status].applicant_label for status in PlanStatus}


# --- 実績報告 -------------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "提出済み"
    RETURNED = "returned", "差戻し"
    CONFIRMED = "confirmed", "確認済み"


# A report comes into being as 提出済み when the organiser sends it for an
# approved plan (salons.services.submit_report).
REPORT = Workflow(
    ReportStatus,
    State(
        ReportStatus.SUBMITTED,
        applicant_label="提出済み",
        history="実績報告を提出しました",
        transitions=(
            Transition(ReportStatus.CONFIRMED, by=STAFF, action="確認する（助成金を精算）"),
            Transition(ReportStatus.RETURNED, by=STAFF, action="差戻す"),
        ),
    ),
    State(
        ReportStatus.RETURNED,
        applicant_label="差戻し",
        history="実績報告が差戻しになりました",
        applicant_edits=True,
        reason_required=True,
        transitions=(
            Transition(
                ReportStatus.SUBMITTED, by=APPLICANT, history="実績報告を修正して再提出しました"
            ),
        ),
    ),
    State(
        ReportStatus.CONFIRMED,
        applicant_label="確認済み",
        history="社協が実績報告を確認しました",
    ),
)

# Reports that count as sent: a returned one must be sent again.
HANDED_IN = tuple(status for status in ReportStatus if status not in REPORT.editable)
