"""The 実績報告 form: success, bad input, blocked states, double clicks, resubmission."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from salons.models import (
    ActivityReport,
    Attachment,
    BudgetLine,
    PlanStatus,
    ReportStatus,
    StatusChange,
)
from salons.services import return_report, submit_plan, submit_report, transition
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year
from tests.factories import ActivityPlanFactory, GrantProgramFactory, UserFactory

STATUS_URL = "/salons/plans/status/"
FY = current_fiscal_year()


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk", staff=True, first_name="一郎", last_name="鈴木")


def sent_plan(**kwargs):
    program = GrantProgramFactory(fiscal_year=FY)
    return submit_plan(
        ActivityPlanFactory(
            program=program,
            representative_phone="0866-92-8552",
            representative_name="髙﨑 花子",
            representative_address="総社市秘密町1-2-3",
            **kwargs,
        )
    )


@pytest.fixture
def plan(clerk):
    plan = sent_plan()
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    return transition(plan, PlanStatus.APPROVED, actor=clerk)


@pytest.fixture
def organiser(resident, plan):
    """The organiser's browser, after proving who they are on the status page."""
    response = resident.post(STATUS_URL, {"reference": plan.reference, "contact": "0866928552"})
    assert response.status_code == 302
    return resident


def report_url(plan):
    return f"/salons/plans/{plan.pk}/report/"


def png(name="salon.png", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def valid_data(**overrides):
    data = {
        "sessions_held": "12",
        "total_participants": "180",
        "total_helpers": "30",
        "last_held_on": timezone.localdate().isoformat(),
        "comments": "毎回にぎやかでした。",
        "spending-TOTAL_FORMS": "5",
        "spending-INITIAL_FORMS": "0",
        "spending-MIN_NUM_FORMS": "0",
        "spending-MAX_NUM_FORMS": "20",
        "spending-0-item": "茶菓代",
        "spending-0-note": "お茶とお菓子",
        "spending-0-amount": "12000",
        "spending-1-item": "材料費",
        "spending-1-note": "",
        "spending-1-amount": "6000",
    }
    data.update(overrides)
    return data


# --- the form --------------------------------------------------------------------------


def test_the_form_shows_what_to_fill_in(organiser, plan):
    html = organiser.get(report_url(plan)).content.decode()
    assert "<h1>実績報告を提出する" in html
    assert plan.reference in html
    for name in ("sessions_held", "total_participants", "total_helpers", "last_held_on"):
        assert f'name="{name}"' in html
    assert 'name="photos"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="spending-0-item"' in html
    assert "茶菓代" in html
    assert 'name="website"' in html
    assert 'inputmode="numeric"' in html
    assert "18,000円" in html  # the grant, for reference


def test_a_report_is_saved_with_its_lines_and_a_private_photo(organiser, plan, clerk):
    response = organiser.post(report_url(plan), valid_data(photos=[png()]))
    assert response.status_code == 302
    assert response["Location"] == f"/salons/plans/{plan.pk}/"

    report = ActivityReport.objects.get()
    assert report.plan == plan
    assert report.status == ReportStatus.SUBMITTED
    assert (report.sessions_held, report.total_participants, report.total_helpers) == (12, 180, 30)
    assert report.last_held_on == timezone.localdate()
    assert report.comments == "毎回にぎやかでした。"
    lines = list(report.spending_lines.values_list("side", "item", "note", "amount"))
    assert lines == [
        ("expense", "茶菓代", "お茶とお菓子", 12000),
        ("expense", "材料費", "", 6000),
    ]

    attachment = Attachment.objects.get()
    assert attachment.report == report
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "salon.png"
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "salon" not in stored.name  # the uploader does not choose the name
    with Image.open(stored) as image:
        assert image.size == (40, 30)

    step = StatusChange.objects.filter(subject="report").get()
    assert step.actor is None and step.to_status == ReportStatus.SUBMITTED

    html = organiser.get(response["Location"]).content.decode()
    assert "実績報告を受け付けました。" in html
    assert 'role="status"' in html
    assert "提出済み" in html
    assert "18,000円" in html  # spending total 12,000 + 6,000


def test_a_second_click_after_success_creates_nothing_more(organiser, plan):
    data = valid_data()
    assert organiser.post(report_url(plan), data).status_code == 302
    again = organiser.post(report_url(plan), valid_data(photos=[png()]), follow=True)
    assert again.status_code == 200
    assert again.redirect_chain == [(f"/salons/plans/{plan.pk}/", 302)]
    assert "すでに受け付けています" in again.content.decode()
    assert ActivityReport.objects.count() == 1
    assert BudgetLine.objects.filter(report__isnull=False).count() == 2
    assert Attachment.objects.count() == 0


def test_full_width_digits_commas_and_units_are_read(organiser, plan):
    response = organiser.post(
        report_url(plan),
        valid_data(
            sessions_held="１２回",
            total_participants="１８０人",
            total_helpers="３０人",
            **{"spending-0-amount": "１２，０００円", "spending-1-amount": "6,000"},
        ),
    )
    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert (report.sessions_held, report.total_participants, report.total_helpers) == (
        12,
        180,
        30,
    )
    assert sorted(report.spending_lines.values_list("amount", flat=True)) == [6000, 12000]


# --- bad input ---------------------------------------------------------------------------


def post_bad(organiser, plan, **overrides):
    response = organiser.post(report_url(plan), valid_data(**overrides))
    assert response.status_code == 200
    assert ActivityReport.objects.count() == 0
    html = response.content.decode()
    assert 'role="alert"' in html  # the summary at the top
    return html


def test_a_day_outside_the_fiscal_year_is_refused(organiser, plan):
    html = post_bad(organiser, plan, last_held_on=f"{FY}-03-31")
    assert "の中の日を入力してください。" in html
    html = post_bad(organiser, plan, last_held_on=f"{FY + 1}-04-01")
    assert "の中の日を入力してください。" in html


def test_a_day_still_to_come_is_refused(organiser, plan):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    if fiscal_year(tomorrow) != FY:
        pytest.skip("today is the last day of the 年度")
    html = post_bad(organiser, plan, last_held_on=tomorrow.isoformat())
    assert "まだ来ていない日です。" in html


@pytest.mark.parametrize("typed", ["2026-02-30", "あした", "12345"])
def test_a_date_that_is_not_one_is_explained(organiser, plan, typed):
    html = post_bad(organiser, plan, last_held_on=typed)
    assert "日付は「2026-04-08」のように入力するか、カレンダーから選んでください。" in html
    assert f'<input type="text" name="last_held_on" value="{typed}"' in html


@pytest.mark.parametrize("typed", ["-500", "－５００", "ー500"])
def test_negative_amounts_are_refused(organiser, plan, typed):
    html = post_bad(organiser, plan, **{"spending-0-amount": typed})
    assert "0以上の数で入力してください。" in html
    assert f'value="{typed}"' in html  # kept as typed
    assert "支出1行目 金額" in html  # the summary names the line


def test_absurd_amounts_and_counts_are_refused(organiser, plan):
    html = post_bad(
        organiser,
        plan,
        sessions_held="367",
        **{"spending-0-amount": "99999999999999999999999"},
    )
    assert "開催回数は366回以下で入力してください。" in html
    assert "金額は10,000,000円以下で入力してください。" in html


def test_words_where_numbers_belong_are_explained(organiser, plan):
    html = post_bad(organiser, plan, total_participants="たくさん")
    assert "半角または全角の数字で入力してください。" in html
    assert 'value="たくさん"' in html


def test_a_line_needs_an_item_and_an_amount(organiser, plan):
    html = post_bad(
        organiser,
        plan,
        **{"spending-2-note": "コピー代", "spending-3-item": "通信費"},
    )
    assert "費目を選んでください。" in html
    assert "金額を入力してください。" in html
    assert 'value="コピー代"' in html


def test_an_item_not_on_the_list_is_refused(organiser, plan):
    html = post_bad(organiser, plan, **{"spending-0-item": "飲み会"})
    assert "費目は一覧から選んでください。" in html


def test_overlong_comments_are_refused_and_kept(organiser, plan):
    text = "あ" * 2001
    html = post_bad(organiser, plan, comments=text)
    assert "2000字以内で入力してください（いまは2001字です）。" in html
    assert text in html


def test_line_breaks_count_once(organiser, plan):
    text = "あ\r\n" * 1000  # 2000 characters as the browser counts them
    response = organiser.post(report_url(plan), valid_data(comments=text))
    assert response.status_code == 302
    assert ActivityReport.objects.get().comments == "あ\n" * 999 + "あ"


def test_empty_required_fields_are_named(organiser, plan):
    html = post_bad(organiser, plan, sessions_held="", total_participants="", last_held_on="")
    assert html.count("入力してください。") >= 3
    assert 'href="#id_sessions_held_field"' in html


def test_zero_sessions_cannot_have_participants(organiser, plan):
    html = post_bad(organiser, plan, sessions_held="0")
    assert "開催回数が0回のときは" in html


def test_a_file_that_is_not_a_photo_asks_to_choose_again(organiser, plan):
    fake = SimpleUploadedFile("photo.png", b"<html>not a picture</html>", content_type="image/png")
    html = post_bad(organiser, plan, photos=[fake])
    assert "「photo.png」は使えない形式です。" in html
    assert "もう一度選んでください" in html
    assert Attachment.objects.count() == 0


def test_a_pdf_is_not_a_photo(organiser, plan):
    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    html = post_bad(organiser, plan, photos=[pdf])
    assert "PDF です" in html


def test_more_than_five_photos_are_refused(organiser, plan):
    html = post_bad(organiser, plan, photos=[png(f"p{n}.png") for n in range(6)])
    assert "5 個まで" in html


def test_a_tampered_formset_is_an_error_not_a_crash(organiser, plan):
    data = valid_data()
    del data["spending-TOTAL_FORMS"]
    response = organiser.post(report_url(plan), data)
    assert response.status_code == 200
    assert "ページを読み込み直して" in response.content.decode()
    response = organiser.post(report_url(plan), valid_data(**{"spending-TOTAL_FORMS": "5000"}))
    assert response.status_code == 200
    assert "支出は20行まで" in response.content.decode()
    assert ActivityReport.objects.count() == 0


def test_the_honeypot_stops_bots(organiser, plan):
    post_bad(organiser, plan, website="spam")


def test_report_posts_are_rate_limited(organiser, plan):
    for _ in range(10):
        organiser.post(report_url(plan), valid_data(sessions_held="x"))
    assert organiser.post(report_url(plan), valid_data()).status_code == 429
    assert ActivityReport.objects.count() == 0


# --- when a report cannot be sent ------------------------------------------------------


def test_other_methods_are_refused(organiser, plan):
    assert organiser.put(report_url(plan)).status_code == 405


def test_without_access_it_is_a_404(resident, plan):
    assert resident.get(report_url(plan)).status_code == 404
    assert resident.post(report_url(plan), valid_data()).status_code == 404
    assert ActivityReport.objects.count() == 0


@pytest.mark.parametrize("status", [PlanStatus.RECEIVED, PlanStatus.REVIEWING])
def test_a_plan_not_yet_approved_cannot_report(resident, clerk, status):
    plan = sent_plan()
    if status == PlanStatus.REVIEWING:
        transition(plan, PlanStatus.REVIEWING, actor=clerk)
    resident.post(STATUS_URL, {"reference": plan.reference, "contact": "0866-92-8552"})
    for response in (
        resident.get(report_url(plan), follow=True),
        resident.post(report_url(plan), valid_data(), follow=True),
    ):
        assert response.redirect_chain == [(f"/salons/plans/{plan.pk}/", 302)]
        assert "活動計画書が承認されてから提出できます" in response.content.decode()
    assert ActivityReport.objects.count() == 0


def test_a_report_already_sent_cannot_be_sent_again(organiser, plan):
    submit_report(
        plan,
        fields={
            "sessions_held": 1,
            "total_participants": 5,
            "total_helpers": 1,
            "last_held_on": timezone.localdate(),
        },
        spending=[],
    )
    response = organiser.get(report_url(plan), follow=True)
    assert "すでに受け付けています" in response.content.decode()
    assert ActivityReport.objects.get().sessions_held == 1


# --- a returned report -------------------------------------------------------------------


def test_a_returned_report_is_prefilled_and_can_be_sent_again(organiser, plan, clerk):
    report = submit_report(
        plan,
        fields={
            "sessions_held": 11,
            "total_participants": 150,
            "total_helpers": 22,
            "last_held_on": timezone.localdate(),
            "comments": "前回の感想",
        },
        spending=[{"item": "会場費", "note": "公会堂", "amount": 4000}],
    )
    return_report(report, actor=clerk, reason="開催回数を確かめてください。")

    html = organiser.get(report_url(plan)).content.decode()
    assert "開催回数を確かめてください。" in html
    assert 'value="11"' in html and 'value="150"' in html and 'value="22"' in html
    assert "前回の感想" in html
    assert 'value="公会堂"' in html and 'value="4000"' in html
    assert '<option value="会場費" selected>' in html
    assert "鈴木" not in html

    data = valid_data(
        sessions_held="12",
        **{
            "spending-TOTAL_FORMS": "5",
            "spending-INITIAL_FORMS": "1",
            "spending-0-item": "会場費",
            "spending-0-note": "公会堂",
            "spending-0-amount": "4000",
            "spending-1-item": "",
            "spending-1-amount": "",
        },
    )
    assert organiser.post(report_url(plan), data).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.sessions_held == 12
    assert list(report.spending_lines.values_list("item", "amount")) == [("会場費", 4000)]
    assert ActivityReport.objects.count() == 1
    steps = list(
        StatusChange.objects.filter(subject="report").values_list("from_status", "to_status")
    )
    assert steps[-1] == (ReportStatus.RETURNED, ReportStatus.SUBMITTED)


def test_a_prefilled_line_can_be_cleared(organiser, plan, clerk):
    report = submit_report(
        plan,
        fields={
            "sessions_held": 11,
            "total_participants": 150,
            "total_helpers": 22,
            "last_held_on": timezone.localdate(),
        },
        spending=[{"item": "会場費", "note": "", "amount": 4000}],
    )
    return_report(report, actor=clerk, reason="直してください。")
    data = valid_data(
        **{
            "spending-INITIAL_FORMS": "1",
            "spending-0-item": "",
            "spending-0-note": "",
            "spending-0-amount": "",
            "spending-1-item": "",
            "spending-1-amount": "",
        }
    )
    assert organiser.post(report_url(plan), data).status_code == 302
    assert not BudgetLine.objects.filter(report=report).exists()


# --- privacy ---------------------------------------------------------------------------


def test_the_form_shows_no_representative_data(organiser, plan):
    html = organiser.get(report_url(plan)).content.decode()
    for secret in ("髙﨑", "0866-92-8552", "秘密町", plan.representative_email):
        assert secret not in html


def test_report_form_queries_are_bounded(organiser, plan, django_assert_max_num_queries):
    # session, plan with program/salon/grant/report, planned expense lines,
    # site profile, footer offices.
    with django_assert_max_num_queries(6):
        assert organiser.get(report_url(plan)).status_code == 200
