"""The status page (reference + contact) and the plan's page in the organiser's words."""

import datetime

import pytest
from django.test import Client

from salons.forms.status import NOT_FOUND_MESSAGE
from salons.models import PlanStatus, normalize_reference
from salons.services import (
    adjust_grant,
    confirm_report,
    mark_grant_paid,
    return_report,
    submit_plan,
    submit_report,
    transition,
)
from shakyo_portal.staff.roles import Role
from tests.factories import ActivityPlanFactory, UserFactory, role_user

STATUS_URL = "/salons/plans/status/"


@pytest.fixture
def clerk(db):
    # A name that must never reach the organiser's page.
    return UserFactory(username="clerk-suzuki", staff=True, first_name="一郎", last_name="鈴木")


@pytest.fixture
def plan(db):
    plan = ActivityPlanFactory(
        representative_name="髙﨑 花子",
        representative_phone="0866-92-8552",
        representative_email="Hanako.Takasaki@example.jp",
        representative_address="総社市秘密町1-2-3",
    )
    return submit_plan(plan)


def open_plan(client, reference, contact):
    return client.post(STATUS_URL, {"reference": reference, "contact": contact})


def detail_url(plan):
    return f"/salons/plans/{plan.pk}/"


def approve(plan, clerk):
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    return transition(plan, PlanStatus.APPROVED, actor=clerk)


# --- the reference number as people type it -------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "R8-0012",
        "r8-12",
        "Ｒ８－００１２",
        "ｒ８ー１２",
        " R8 - 0012 ",
        "R8 12",
        "令和8-12",
        "r8−012",
    ],
)
def test_references_are_read_however_they_are_typed(typed):
    assert normalize_reference(typed) == "R8-0012"


@pytest.mark.parametrize("typed", ["R8", "0012", "R8-", "ABC-1", "R123-1", "R8-12-3", "受付番号"])
def test_what_cannot_be_a_reference_is_refused(typed):
    from django import forms

    with pytest.raises(forms.ValidationError):
        normalize_reference(typed)


# --- looking a plan up -----------------------------------------------------------------


def test_the_status_page_asks_for_reference_and_contact(resident):
    html = resident.get(STATUS_URL).content.decode()
    assert "<h1>活動計画書の状況を確認する</h1>" in html
    assert 'name="reference"' in html and 'name="contact"' in html
    assert 'name="website"' in html  # the honeypot


@pytest.mark.parametrize(
    ("reference", "contact"),
    [
        ("R8-0001", "0866-92-8552"),
        ("ｒ８－１", "０８６６－９２－８５５２"),
        ("r8-1", "0866 92 8552"),
        ("Ｒ８ー０００１", "(0866)92-8552"),
        ("R8-1", "0866928552"),  # groups typed differently from the plan
        ("R8-1", "hanako.takasaki@EXAMPLE.JP"),  # e-mail in any case
        ("R8-1", "ｈａｎａｋｏ．ｔａｋａｓａｋｉ＠ｅｘａｍｐｌｅ．ｊｐ"),
        ("R8-1", " Hanako.Takasaki@example.jp "),
    ],
)
def test_reference_and_contact_open_the_plan(resident, plan, reference, contact):
    response = open_plan(resident, reference, contact)
    assert response.status_code == 302
    assert response["Location"] == detail_url(plan)
    html = resident.get(detail_url(plan)).content.decode()
    assert "受付済み" in html
    assert "R8-0001" in html


@pytest.mark.parametrize(
    ("reference", "contact"),
    [
        ("R8-0001", "0866-92-0000"),  # wrong phone
        ("R8-0001", "someone@example.jp"),  # wrong e-mail
        ("R8-0001", "電話は知らない"),  # neither
        ("R8-0999", "0866-92-8552"),  # no such reference
        ("R6-0001", "0866-92-8552"),  # another 年度
    ],
)
def test_a_wrong_pair_gets_one_message_that_reveals_nothing(resident, plan, reference, contact):
    response = open_plan(resident, reference, contact)
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_FOUND_MESSAGE in html
    assert 'role="alert"' in html
    # What was typed stays in the form.
    assert f'value="{reference}"' in html
    assert f'value="{contact}"' in html
    # Nothing of the plan appears, whether it exists or not.
    for secret in ("髙﨑", "秘密町", "hanako.takasaki"):
        assert secret not in html.lower()
    assert plan.display_salon_name not in html
    assert resident.get(detail_url(plan)).status_code == 404


def test_unknown_reference_and_wrong_contact_look_the_same(resident, plan):
    unknown = open_plan(resident, "R8-0999", "090-1111-2222").content.decode()
    wrong = open_plan(resident, "R8-0001", "090-1111-2222").content.decode()
    assert _without(unknown, "R8-0999") == _without(wrong, "R8-0001")


def _without(html, reference):
    """The page without what differs by design: the typed reference and the CSRF token."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    token = html[start : html.index('"', start)]
    return html.replace(token, "").replace(reference, "")


def test_a_malformed_reference_is_explained_next_to_the_field(resident, plan):
    html = open_plan(resident, "あいう", "0866-92-8552").content.decode()
    assert "受付番号は「R8-0012」のように" in html
    assert 'aria-invalid="true"' in html
    assert 'value="あいう"' in html


def test_empty_fields_are_required(resident, plan):
    html = open_plan(resident, "", "").content.decode()
    assert "受付番号を入力してください。" in html
    assert "電話番号またはメールアドレスを入力してください。" in html


def test_a_draft_is_never_found(resident, db):
    draft = ActivityPlanFactory(representative_phone="0866-11-2222")
    assert draft.reference is None
    for reference in ("R8-0001", "R8-0000", "R8-1"):
        html = open_plan(resident, reference, "0866-11-2222").content.decode()
        assert NOT_FOUND_MESSAGE in html
    assert resident.get(detail_url(draft)).status_code == 404


def test_a_returned_plan_is_found(resident, plan, clerk):
    transition(plan, PlanStatus.RETURNED, actor=clerk, reason="会場の住所を書いてください。")
    assert open_plan(resident, "R8-1", "0866-92-8552").status_code == 302


def test_the_honeypot_stops_bots(resident, plan):
    response = resident.post(
        STATUS_URL, {"reference": "R8-0001", "contact": "0866-92-8552", "website": "http://x"}
    )
    assert response.status_code == 200
    assert resident.get(detail_url(plan)).status_code == 404


def test_trying_references_one_by_one_is_rate_limited(resident, plan):
    for n in range(10):
        assert open_plan(resident, f"R8-{n + 100}", "0866-92-8552").status_code == 200
    response = open_plan(resident, "R8-0001", "0866-92-8552")
    assert response.status_code == 429
    assert "しばらくしてから" in response.content.decode()
    # Reading the page is not limited.
    assert resident.get(STATUS_URL).status_code == 200


def test_other_methods_are_refused(resident):
    assert resident.put(STATUS_URL).status_code == 405


# --- the plan's page ---------------------------------------------------------------------


def test_without_access_the_plan_page_is_a_404(resident, plan):
    response = resident.get(detail_url(plan))
    assert response.status_code == 404
    html = response.content.decode()
    assert "髙﨑" not in html and "R8-0001" not in html
    assert resident.get("/salons/plans/99999999999999999999/").status_code == 404


def test_access_to_one_plan_does_not_open_another(resident, plan):
    other = submit_plan(ActivityPlanFactory(representative_phone="0866-11-2222"))
    open_plan(resident, "R8-0001", "0866-92-8552")
    assert resident.get(detail_url(plan)).status_code == 200
    assert resident.get(detail_url(other)).status_code == 404


def test_staff_who_may_view_plans_see_every_plan(plan):
    client = Client()
    client.force_login(role_user(Role.READER))
    assert client.get(detail_url(plan)).status_code == 200
    plain = Client()
    plain.force_login(UserFactory(username="no-perm", staff=True))
    assert plain.get(detail_url(plan)).status_code == 404


def test_received_plan_shows_its_state_and_facts(resident, plan):
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "<strong>受付済み</strong>" in html
    assert "令和8年度" in html
    assert plan.display_salon_name in html
    assert "令和" in html and "提出日時" in html
    assert f'href="/salons/plans/{plan.pk}/print/"' in html
    assert "活動計画書を提出しました（受付）" in html
    assert "申請者" in html
    # Editing is not offered once the plan is with the office.
    assert f"/salons/plans/{plan.pk}/edit/" not in html
    # The representative's details are not repeated on the page.
    for secret in ("髙﨑", "0866-92-8552", "Hanako.Takasaki@example.jp", "秘密町"):
        assert secret not in html
    for secret in (plan.salon.organiser_name, plan.salon.organiser_phone):
        assert secret not in html


def test_reviewing(resident, plan, clerk):
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "<strong>審査中</strong>" in html
    assert "社協が審査を始めました" in html


def test_returned_plan_shows_the_reason_and_the_way_to_resend(resident, plan, clerk):
    transition(plan, PlanStatus.RETURNED, actor=clerk, reason="会場の住所を書いてください。")
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "差戻し（修正して再提出してください）" in html
    assert "<h3>差戻しの理由</h3>" in html
    assert "会場の住所を書いてください。" in html
    assert f'href="/salons/plans/{plan.pk}/edit/"' in html
    assert "修正して再提出する" in html


def test_rejected_plan_shows_the_reason(resident, plan, clerk):
    transition(plan, PlanStatus.REJECTED, actor=clerk, reason="対象の地区外です。")
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "<strong>不承認</strong>" in html
    assert "<h3>不承認の理由</h3>" in html
    assert "対象の地区外です。" in html
    assert "実績報告を提出する" not in html


def test_approved_plan_shows_the_amount_and_the_report_link(resident, plan, clerk):
    approve(plan, clerk)
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "<strong>承認</strong>" in html
    assert "<strong>18,000円</strong>" in html  # 15,000 + 15 people × 200
    assert "交付決定" in html
    assert "助成金の交付が決まりました" in html
    assert f'href="/salons/plans/{plan.pk}/report/"' in html
    assert "令和9年4月30日(金)" in html  # the report is due


def test_grant_payment_and_settlement_are_shown_with_dates(resident, plan, clerk):
    approve(plan, clerk)
    grant = plan.grant
    adjust_grant(grant, 16000, reason="参加者数を見直しました。", actor=clerk)
    mark_grant_paid(grant, paid_on=datetime.date(2026, 6, 1), actor=clerk)
    report = submit_report(
        plan,
        fields={
            "sessions_held": 12,
            "total_participants": 180,
            "total_helpers": 30,
            "last_held_on": datetime.date(2026, 11, 1),
        },
        spending=[{"item": "茶菓代", "note": "", "amount": 16000}],
    )
    confirm_report(report, actor=clerk)
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "16,000円" in html
    assert "参加者数を見直しました。" in html
    assert "令和8年6月1日(月)" in html  # paid on
    assert "精算済" in html
    assert "助成金の精算が済みました" in html
    assert "社協が実績報告を確認しました" in html
    assert "確認済み" in html
    assert f'href="/salons/plans/{plan.pk}/report/"' not in html


def test_a_returned_report_shows_its_reason_and_link(resident, plan, clerk):
    approve(plan, clerk)
    report = submit_report(
        plan,
        fields={
            "sessions_held": 12,
            "total_participants": 180,
            "total_helpers": 30,
            "last_held_on": datetime.date(2026, 11, 1),
        },
        spending=[],
    )
    return_report(report, actor=clerk, reason="領収書の写真を添えてください。")
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "領収書の写真を添えてください。" in html
    assert "実績報告を修正して再提出する" in html


def test_staff_names_never_appear(resident, plan, clerk):
    transition(plan, PlanStatus.RETURNED, actor=clerk, reason="直してください。")
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "社協" in html
    for name in ("鈴木", "一郎", "clerk-suzuki"):
        assert name not in html


def test_notes_on_other_steps_stay_with_staff(resident, plan, clerk):
    transition(plan, PlanStatus.REVIEWING, actor=clerk, reason="内部メモ: 地区会長に確認中")
    open_plan(resident, "R8-0001", "0866-92-8552")
    html = resident.get(detail_url(plan)).content.decode()
    assert "社協が審査を始めました" in html
    assert "内部メモ" not in html


def test_plan_page_queries_are_bounded(resident, plan, clerk, django_assert_max_num_queries):
    approve(plan, clerk)
    open_plan(resident, "R8-0001", "0866-92-8552")
    # session, plan with program/salon/grant/report, history, site profile, footer offices.
    with django_assert_max_num_queries(6):
        assert resident.get(detail_url(plan)).status_code == 200
