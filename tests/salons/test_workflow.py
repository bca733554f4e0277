"""The workflow definitions and what the app derives from them."""

import pytest

from salons import workflow
from salons.workflow import PLAN, REPORT, Actor, PlanStatus, ReportStatus


def test_the_organiser_changes_a_plan_only_as_a_draft_or_after_a_return():
    assert workflow.EDITABLE == (PlanStatus.DRAFT, PlanStatus.RETURNED)
    assert workflow.RECEIVABLE == workflow.EDITABLE


def test_review_steps_and_their_buttons():
    assert workflow.REVIEW_STEPS[PlanStatus.RECEIVED] == (
        PlanStatus.REVIEWING,
        PlanStatus.RETURNED,
        PlanStatus.REJECTED,
    )
    assert workflow.REVIEW_STEPS[PlanStatus.REVIEWING] == (
        PlanStatus.RETURNED,
        PlanStatus.APPROVED,
        PlanStatus.REJECTED,
    )
    for status in (PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.APPROVED):
        assert workflow.REVIEW_STEPS[status] == ()
    assert workflow.REVIEW_ACTIONS == {
        PlanStatus.REVIEWING: "審査中にする",
        PlanStatus.APPROVED: "承認する",
        PlanStatus.RETURNED: "差戻す",
        PlanStatus.REJECTED: "不承認にする",
    }
    assert workflow.REASON_REQUIRED == (PlanStatus.RETURNED, PlanStatus.REJECTED)


def test_each_state_has_a_staff_and_an_applicant_label():
    assert PLAN[PlanStatus.RECEIVED].staff_label == "受付"
    assert PLAN["received"].applicant_label == "受付済み"
    assert PLAN[PlanStatus.DRAFT].applicant_label == "下書き（まだ提出されていません）"
    assert REPORT[ReportStatus.CONFIRMED].staff_label == "確認済み"


def test_a_workflow_needs_every_status_defined_once():
    with pytest.raises(ValueError, match="PlanStatus"):
        workflow.Workflow(PlanStatus, PLAN[PlanStatus.DRAFT])


def test_history_words_depend_on_where_the_step_came_from():
    assert PLAN.history(PlanStatus.DRAFT, PlanStatus.RECEIVED) == "活動計画書を提出しました（受付）"
    assert PLAN.history(PlanStatus.RETURNED, PlanStatus.RECEIVED) == (
        "活動計画書を修正して再提出しました"
    )
    assert REPORT.history("", ReportStatus.SUBMITTED) == "実績報告を提出しました"
    assert REPORT.history(ReportStatus.RETURNED, ReportStatus.SUBMITTED) == (
        "実績報告を修正して再提出しました"
    )
    assert PLAN.history("", "no-such-status") == ""


def test_reports():
    assert REPORT.editable == (ReportStatus.RETURNED,)
    assert workflow.HANDED_IN == (ReportStatus.SUBMITTED, ReportStatus.CONFIRMED)
    assert [move.to for move in REPORT.moves(ReportStatus.SUBMITTED, Actor.STAFF)] == [
        ReportStatus.CONFIRMED,
        ReportStatus.RETURNED,
    ]
    assert REPORT.moves(ReportStatus.SUBMITTED, Actor.APPLICANT) == []
    assert REPORT.reason_required == (ReportStatus.RETURNED,)
