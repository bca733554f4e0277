"""News in the admin, through the admin itself: refusals in Japanese that keep what was
typed, the editor checks' warnings after a save, registrants and their CSV."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from news.models import (
    Category,
    Event,
    NewsletterIssue,
    Post,
    PostImage,
    RegistrationStatus,
)
from shakyo_portal.staff.roles import Role
from tests.factories import role_user
from tests.news.factories import (
    CategoryFactory,
    EventFactory,
    NewsletterIssueFactory,
    PostFactory,
    RegistrationFactory,
)
from tests.news.helpers import form_values
from tests.salons.crafted import png

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> "
    b">>\nendobj\n%%EOF\n"
)


def add_form(client, model):
    url = f"/admin/news/{model}/add/"
    return url, form_values(client.get(url).content.decode(), f"{model}_form")


def change_form(client, obj):
    url = f"/admin/news/{obj._meta.model_name}/{obj.pk}/change/"
    return url, form_values(client.get(url).content.decode(), f"{obj._meta.model_name}_form")


def errors_of(response):
    return re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>\s*<li>([^<]+)</li>', response.content.decode()
    )


@pytest.fixture
def category(db):
    return CategoryFactory(name="お知らせ", slug="oshirase")


# --- posts ----------------------------------------------------------------------------


def post_data(client, category, **changes):
    url, data = add_form(client, "post")
    data.update(
        {
            "title": "研修会のご案内",
            "category": str(category.pk),
            "body": "## 内容\n\n令和8年12月7日(月)に開きます。",
            "status": "published",
            "published_at_0": "2026-11-20",
            "published_at_1": "09:00:00",
            **changes,
        }
    )
    return url, data


def test_a_post_ending_before_it_starts_is_refused_and_kept(superuser, category):
    url, data = post_data(superuser, category, ends_at_0="2026-11-19", ends_at_1="09:00:00")
    response = superuser.post(url, data)
    assert response.status_code == 200
    assert "掲載終了日時は公開日時より後にしてください。" in errors_of(response)
    assert 'value="研修会のご案内"' in response.content.decode()
    assert not Post.objects.exists()


def test_a_saved_post_shows_the_editor_checks_without_blocking(superuser, category):
    url, data = post_data(
        superuser,
        category,
        title="①研修会のご案内",
        body="# 研修会\n\n申込書は[こちら](/media/a.pdf)。ﾎﾞﾗﾝﾃｨｱも募集。12月7日開催。",
    )
    response = superuser.post(url, data, follow=True)
    assert response.status_code == 200
    post = Post.objects.get()
    assert post.title == "①研修会のご案内"
    assert post.slug == "20261120-1"  # left blank: made from the publication day
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("題名: 機種依存文字「①」") for m in shown)
    for fragment in ("見出し1", "「こちら」", "「ﾎﾞﾗﾝﾃｨｱ」", "「12月7日」"):
        assert any(fragment in m for m in shown), fragment
    html = response.content.decode()
    assert 'class="warning"' in html

    # The change form shows them while editing, and nothing once fixed.
    url, data = change_form(superuser, post)
    page = superuser.get(url).content.decode()
    assert "読みやすさの確認（5件）" in page
    data.update(
        title="研修会のご案内", body="## 研修会\n\n[申込書（PDF）](/media/a.pdf)を出してください。"
    )
    response = superuser.post(url, data, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert "読みやすさの確認" not in superuser.get(url).content.decode()


def test_a_post_image_needs_its_description(superuser, category):
    url, data = post_data(superuser, category)
    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-alt_text": "",
            "images-0-display_order": "0",
            "images-0-image": SimpleUploadedFile("photo.png", png(), "image/png"),
        }
    )
    response = superuser.post(url, data)
    assert response.status_code == 200
    assert "このフィールドは必須です。" in errors_of(response)
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_an_attachment_must_be_a_safe_pdf(superuser, category):
    url, data = post_data(superuser, category)
    data.update(
        {
            "attachments-TOTAL_FORMS": "2",
            "attachments-0-title": "チラシ",
            "attachments-0-display_order": "0",
            "attachments-0-file": SimpleUploadedFile("a.png", png(), "application/pdf"),
            "attachments-1-title": "申込書",
            "attachments-1-display_order": "1",
            "attachments-1-file": SimpleUploadedFile("b.pdf", PDF_WITH_SCRIPT, "application/pdf"),
        }
    )
    response = superuser.post(url, data)
    errors = errors_of(response)
    assert "「a.png」は PDF ではありません。PDF を選んでください。" in errors
    assert any("プログラム（JavaScript）" in e for e in errors)
    assert not Post.objects.exists()

    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": SimpleUploadedFile("申込書.pdf", PDF, "application/pdf"),
        }
    )
    response = superuser.post(url, data)
    assert response.status_code == 302
    attachment = Post.objects.get().attachments.get()
    assert attachment.size == len(PDF)
    assert attachment.file.name.endswith(".pdf") and "申込書" not in attachment.file.name


def test_reserved_category_slugs_are_refused(superuser, db):
    url, data = add_form(superuser, "category")
    data.update(name="フィード", slug="feed", display_order="0")
    response = superuser.post(url, data)
    assert "「feed」はサイトのページの名前に使われているため、URL名にできません。" in errors_of(
        response
    )
    assert not Category.objects.exists()


def test_the_lists_open_with_every_filter(superuser, category):
    PostFactory(category=category)
    PostFactory(category=category, scheduled=True)
    EventFactory(signup=True)
    NewsletterIssueFactory()
    for path in [
        "/admin/news/post/",
        "/admin/news/post/?visible=yes",
        "/admin/news/post/?visible=scheduled",
        "/admin/news/post/?visible=no&q=お知らせ",
        "/admin/news/event/?visible=scheduled",
        "/admin/news/registration/?status__exact=waitlisted",
        "/admin/news/newsletterissue/?visible=yes&q=見守り",
        "/admin/news/category/",
        "/admin/news/accommodation/",
    ]:
        assert superuser.get(path).status_code == 200, path
    html = superuser.get("/admin/news/post/?visible=scheduled").content.decode()
    assert html.count('class="field-title"') == 1


# --- events ---------------------------------------------------------------------------


def event_data(client, **changes):
    url, data = add_form(client, "event")
    data.update(
        {
            "title": "認知症サポーター養成講座",
            "description": "## 内容\n\n講座です。",
            "starts_at_0": "2026-12-12",
            "starts_at_1": "13:30:00",
            "ends_at_0": "2026-12-12",
            "ends_at_1": "15:30:00",
            "place": "総合福祉センター",
            "fee": "0",
            "registration": "required",
            "capacity": "20",
            "status": "scheduled",
            "publication": "published",
            "published_at_0": "2026-11-01",
            "published_at_1": "09:00:00",
            **changes,
        }
    )
    return url, data


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"ends_at_1": "12:00:00"}, "終了日時は開始日時より後にしてください。"),
        ({"status": "cancelled"}, "中止・延期のときは、お知らせを入力してください。"),
        (
            {"registration_deadline_0": "2026-12-13", "registration_deadline_1": "17:00:00"},
            "申込の締切は開始日時より前にしてください。",
        ),
        (
            {
                "registration": "none",
                "registration_deadline_0": "2026-12-05",
                "registration_deadline_1": "17:00:00",
            },
            "申込の締切は「要申込」のときだけ入力してください。",
        ),
        ({"capacity": "-1"}, "この値は 0 以上でなければなりません。"),
        ({"flyer": SimpleUploadedFile("flyer.png", png(), "image/png")}, "PDF ではありません"),
    ],
)
def test_a_bad_event_is_refused_in_japanese_and_kept(superuser, db, changes, error):
    url, data = event_data(superuser, **changes)
    response = superuser.post(url, data)
    assert response.status_code == 200
    assert any(error in e for e in errors_of(response)), errors_of(response)
    assert 'value="認知症サポーター養成講座"' in response.content.decode()
    assert not Event.objects.exists()


def test_an_event_saves_with_its_flyer_and_warns_about_what_was_written(superuser, db):
    url, data = event_data(
        superuser,
        place="㈱総社商店の2階",
        flyer=SimpleUploadedFile("チラシ.pdf", PDF, "application/pdf"),
    )
    response = superuser.post(url, data, follow=True)
    event = Event.objects.get()
    assert event.flyer_size == len(PDF)
    assert any("会場: 機種依存文字「㈱」" in str(m) for m in response.context["messages"])


@pytest.fixture
def event_with_registrants(db):
    event = EventFactory(title="認知症サポーター養成講座", signup=True, capacity=3)
    RegistrationFactory(event=event, name="山本 和子", people=2)
    RegistrationFactory(event=event, name='=HYPERLINK("http://evil.example")', people=1)
    RegistrationFactory(event=event, name="藤田 恵", people=2, status=RegistrationStatus.WAITLISTED)
    return event


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_event_page_lists_registrants_and_exports_them(superuser, event_with_registrants):
    event = event_with_registrants
    html = superuser.get(f"/admin/news/event/{event.pk}/change/").content.decode()
    assert "山本 和子" in html and "藤田 恵" in html
    assert f"/admin/news/event/{event.pk}/registrants.csv" in html
    rows = read_csv(superuser.get(f"/admin/news/event/{event.pk}/registrants.csv"))
    assert rows[0][:5] == ["受付番号", "行事", "開始日時", "状態", "氏名"]
    assert [row[4] for row in rows[1:]] == [
        "山本 和子",
        '\'=HYPERLINK("http://evil.example")',
        "藤田 恵",
    ]
    assert [row[3] for row in rows[1:]] == ["申込済", "申込済", "キャンセル待ち"]
    assert rows[1][0] == f"{event.pk}-001"
    # The event list counts seats and the waiting list.
    changelist = superuser.get("/admin/news/event/").content.decode()
    assert "3/3" in changelist


def test_the_registrations_list_exports_what_it_shows(superuser, event_with_registrants):
    html = superuser.get("/admin/news/registration/?status__exact=waitlisted").content.decode()
    link = re.search(r'href="(/admin/news/registration/export/[^"]*)"', html)[1]
    rows = read_csv(superuser.get(link.replace("&amp;", "&")))
    assert [row[4] for row in rows[1:]] == ["藤田 恵"]
    assert len(read_csv(superuser.get("/admin/news/registration/export/"))) == 4


def test_promoting_waits_for_a_free_seat_and_tells_the_registrant(
    superuser, event_with_registrants, django_capture_on_commit_callbacks, mailoutbox
):
    event = event_with_registrants
    waiting = event.registrations.get(name="藤田 恵")
    waiting.email = "fujita@example.jp"
    waiting.save()
    changelist = "/admin/news/registration/"
    response = superuser.post(
        changelist,
        {"action": "promote_selected", "_selected_action": [waiting.pk]},
        follow=True,
    )
    assert "空いている席が足りないため繰り上げられません" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED

    first = event.registrations.get(name="山本 和子")
    superuser.post(changelist, {"action": "cancel_selected", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser.post(
            changelist,
            {"action": "promote_selected", "_selected_action": [waiting.pk]},
            follow=True,
        )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    [message] = mailoutbox
    assert message.to == ["fujita@example.jp"]
    assert "キャンセル待ちから参加が決まりました" in message.subject


def test_registrations_are_never_added_in_the_admin(superuser, event_with_registrants):
    assert superuser.get("/admin/news/registration/add/").status_code == 403


def test_staff_without_the_export_right_cannot_export_registrants(event_with_registrants):
    """閲覧のみ opens the event, but never takes its registrants away as a file."""
    client = Client()
    client.force_login(role_user(Role.READER, username="reader"))
    event = event_with_registrants
    assert client.get(f"/admin/news/event/{event.pk}/change/").status_code == 200
    assert client.get(f"/admin/news/event/{event.pk}/registrants.csv").status_code == 403
    assert client.get("/admin/news/registration/export/").status_code == 403
    assert Client().get(f"/admin/news/event/{event.pk}/registrants.csv").status_code == 302
    # 事務局職員 may: the refusals above are the role's, not the pages'.
    client.force_login(role_user(Role.OFFICE, username="office"))
    assert client.get(f"/admin/news/event/{event.pk}/registrants.csv").status_code == 200
    assert client.get("/admin/news/registration/export/").status_code == 200


# --- 社協だより -----------------------------------------------------------------------


def test_a_cover_needs_its_description_and_articles_are_checked(superuser, db):
    url, data = add_form(superuser, "newsletterissue")
    data.update(
        {
            "number": "68",
            "issued_on": "2026-11-15",
            "title": "特集：協議体",
            "status": "published",
            "published_at_0": "2026-11-01",
            "published_at_1": "09:00:00",
            "cover": SimpleUploadedFile("cover.png", png(), "image/png"),
            "cover_alt": "",
            "articles-TOTAL_FORMS": "1",
            "articles-0-title": "協議体とは",
            "articles-0-first_page": "1",
            "articles-0-last_page": "",
            "articles-0-display_order": "0",
            "articles-0-body": "②回目の会議を開きました。",
        }
    )
    response = superuser.post(url, data)
    assert "表紙の画像の説明を入力してください。" in errors_of(response)
    assert not NewsletterIssue.objects.exists()

    data["cover"] = SimpleUploadedFile("cover.png", png(), "image/png")
    data["cover_alt"] = "協議体の話し合いの様子"
    response = superuser.post(url, data, follow=True)
    issue = NewsletterIssue.objects.get()
    assert issue.issued_on.day == 1  # the month is what counts
    assert issue.articles.get().title == "協議体とは"
    assert any(
        "記事「協議体とは」の本文: 機種依存文字「②」" in str(m)
        for m in response.context["messages"]
    )


def issue_form(client, **overrides):
    url, data = add_form(client, "newsletterissue")
    data.update(
        {
            "number": "68",
            "issued_on": "2019-05-20",
            "issued_on_precision": "month",
            "title": "特集：協議体",
            "status": "published",
            "published_at_0": "2019-05-01",
            "published_at_1": "09:00:00",
            "cover_alt": "",
            "articles-TOTAL_FORMS": "2",
            "articles-0-title": "協議体とは",
            "articles-0-first_page": "4",
            "articles-0-last_page": "7",
            "articles-0-display_order": "0",
            "articles-0-body": "協議体は、地域の困りごとを話し合う場です。",
            "articles-1-title": "寄付のお礼",
            "articles-1-first_page": "8",
            "articles-1-last_page": "",
            "articles-1-display_order": "1",
            "articles-1-body": "",
        }
    )
    data.update(overrides)
    return url, data


def stored_files(folder):
    path = Path(settings.MEDIA_ROOT) / "news" / folder
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


@pytest.mark.parametrize(
    ("pages", "field", "message"),
    [
        (("4", "3"), "last_page", "おわりのページ（3）が、はじめのページ（4）より前です。"),
        (
            ("", "7"),
            "first_page",
            "おわりのページを入れるときは、はじめのページも入力してください。",
        ),
        (("0", ""), "first_page", "ページは1以上の数で入力してください。"),
        (("4", "1000"), "last_page", "ページは999までの数で入力してください。"),
    ],
)
def test_pages_out_of_order_are_refused_in_japanese_and_nothing_is_saved(
    superuser, db, pages, field, message
):
    first, last = pages
    url, data = issue_form(
        superuser, **{"articles-0-first_page": first, "articles-0-last_page": last}
    )
    response = superuser.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].errors[field] == [message]
    html = response.content.decode()
    assert message in html
    # What was typed is still there.
    assert "協議体は、地域の困りごとを話し合う場です。" in html
    assert not NewsletterIssue.objects.exists()


def test_page_ranges_and_a_title_only_article_are_kept_as_typed(superuser, resident, db):
    url, data = issue_form(superuser)
    response = superuser.post(url, data)
    assert response.status_code == 302, errors_of(response)
    issue = NewsletterIssue.objects.get()
    ranged, title_only = issue.articles.order_by("display_order")
    assert (ranged.first_page, ranged.last_page) == (4, 7)
    assert (title_only.first_page, title_only.last_page, title_only.body) == (8, None, "")
    html = resident.get(issue.get_absolute_url()).content.decode()
    assert '協議体とは</a><span class="news-toc__pages">（P4〜P7）</span>' in html
    assert '<li>寄付のお礼<span class="news-toc__pages">（P8）</span></li>' in html


@pytest.mark.parametrize(
    ("precision", "typed", "stored", "label"),
    [
        ("month", "2019-05-20", datetime.date(2019, 5, 1), "令和元年5月"),
        ("fiscal_year", "2019-08-20", datetime.date(2019, 4, 1), "令和元年度"),
        ("day", "2019-05-20", datetime.date(2019, 5, 20), "令和元年5月20日"),
    ],
)
def test_the_issue_date_is_kept_and_shown_only_as_far_as_known(
    superuser, resident, db, precision, typed, stored, label
):
    url, data = issue_form(superuser, issued_on=typed, issued_on_precision=precision)
    assert superuser.post(url, data).status_code == 302
    issue = NewsletterIssue.objects.get()
    assert (issue.issued_on, issue.issued_on_precision) == (stored, precision)
    page = resident.get(issue.get_absolute_url()).content.decode()
    assert f'<span class="h1-sub">{label}発行　特集：協議体</span>' in page
    archive = resident.get("/newsletters/").content.decode()
    assert f"第68号（{label}）" in archive
    changelist = superuser.get("/admin/news/newsletterissue/").content.decode()
    assert f'<td class="field-issued">{label}</td>' in changelist


def test_a_new_issue_is_dated_by_its_month_unless_told_otherwise(superuser, db):
    _, data = add_form(superuser, "newsletterissue")
    assert data["issued_on_precision"] == "month"


def test_a_text_file_named_pdf_is_refused_and_no_file_is_left(superuser, db):
    before = stored_files("newsletters")
    url, data = issue_form(
        superuser, pdf=SimpleUploadedFile("dayori.pdf", b"just some text", "application/pdf")
    )
    response = superuser.post(url, data)
    assert response.status_code == 200
    assert "「dayori.pdf」は PDF ではありません。PDF を選んでください。" in errors_of(response)
    assert "協議体は、地域の困りごとを話し合う場です。" in response.content.decode()
    assert not NewsletterIssue.objects.exists()
    assert stored_files("newsletters") == before


def test_a_replaced_or_removed_pdf_and_a_deleted_issue_leave_no_file(
    superuser, db, django_capture_on_commit_callbacks
):
    url, data = issue_form(superuser, pdf=SimpleUploadedFile("first.pdf", PDF, "application/pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser.post(url, data).status_code == 302
    issue = NewsletterIssue.objects.get()
    first = issue.pdf.name
    assert issue.pdf.storage.exists(first) and issue.pdf_size == len(PDF)

    url, data = change_form(superuser, issue)
    data["pdf"] = SimpleUploadedFile("second.pdf", PDF + b"\n", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser.post(url, data).status_code == 302
    issue.refresh_from_db()
    second = issue.pdf.name
    assert second != first
    assert not issue.pdf.storage.exists(first)
    assert issue.pdf.storage.exists(second)

    url, data = change_form(superuser, issue)
    data["pdf-clear"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser.post(url, data).status_code == 302
    issue.refresh_from_db()
    assert not issue.pdf and issue.pdf_size == 0
    assert not issue.pdf.storage.exists(second)

    url, data = change_form(superuser, issue)
    data["pdf"] = SimpleUploadedFile("third.pdf", PDF, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert superuser.post(url, data).status_code == 302
    issue.refresh_from_db()
    third = issue.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser.post(
            f"/admin/news/newsletterissue/{issue.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not NewsletterIssue.objects.exists()
    assert not issue.pdf.storage.exists(third)


def test_a_failed_save_keeps_the_file_it_would_have_replaced(superuser, db):
    issue = NewsletterIssueFactory(number=68)
    issue.pdf.save("first.pdf", SimpleUploadedFile("first.pdf", PDF), save=True)
    first = issue.pdf.name
    url, data = change_form(superuser, issue)
    data["pdf"] = SimpleUploadedFile("second.pdf", PDF, "application/pdf")
    data["number"] = "0"  # refused: the old PDF must still be there
    response = superuser.post(url, data)
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.pdf.name == first and issue.pdf.storage.exists(first)


@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2019.5", datetime.date(2019, 5, 1), "month"),
        ("令和元年5月", datetime.date(2019, 5, 1), "month"),
        ("令和元年度", datetime.date(2019, 4, 1), "fiscal_year"),
    ],
)
def test_the_issue_date_is_typed_as_the_paper_prints_it(superuser, db, typed, stored, precision):
    url, data = issue_form(superuser, issued_on=typed, issued_on_precision="day")
    assert superuser.post(url, data).status_code == 302
    issue = NewsletterIssue.objects.get()
    assert (issue.issued_on, issue.issued_on_precision) == (stored, precision)
