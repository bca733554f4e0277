"""The news, event and 社協だより pages are valid HTML in every state, by the Nu Html Checker.

Rendered with the test client from tests/news/scenario.py (every branch of the
templates), plus what only a POST, a session or a staff login reaches: the
registration form with errors and refused, the confirmation pages, a staff
preview, the fresh site's empty pages and the admin form with editor warnings.
All are checked in one run of the checker.
"""

import re

from django.test import Client

from news.models import Event
from tests.factories import UserFactory
from tests.news.scenario import build_news, public_pages
from tests.test_html_validity import ALLOWED_WARNINGS, LARGE_BLACK, check_pages, vnu_command
from tests.test_salon_html_validity import ADMIN_WARNINGS, Pages

EMPTY_PAGES = [
    ("fresh-news", "/news/"),
    ("fresh-events", "/events/"),
    ("fresh-events-past", "/events/?when=past"),
    ("fresh-newsletters", "/newsletters/"),
]


def token_of(html):
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def render_registration_states(pages, news):
    client = Client()
    url = f"/events/{news.signup.pk}/register/"
    token = token_of(client.get(url).content.decode())
    html = pages.add(
        "register-errors",
        client.post(url, {"submission_token": token, "people": "たくさん", "email": "x@"}),
        "申し込む with nothing right",
    )
    assert 'class="error-summary"' in html
    response = client.post(
        url,
        {
            "name": "髙橋 花子",
            "reading": "たかはし はなこ",
            "email": "hanako@example.jp",
            "people": "2",
            "accommodations": [news.signup.accommodations.first().pk],
            "consent": "on",
            "submission_token": token,
        },
    )
    assert response.status_code == 302
    pages.add("registered", client.get(response["Location"]), "申込を受け付けました")

    url = f"/events/{news.full.pk}/register/"
    token = token_of(client.get(url).content.decode())
    response = client.post(
        url,
        {
            "name": "森 さくら",
            "reading": "もり さくら",
            "phone": "090-0000-1111",
            "people": "1",
            "consent": "on",
            "submission_token": token,
        },
    )
    pages.add("registered-waitlist", client.get(response["Location"]), "キャンセル待ち")

    Event.objects.filter(pk=news.full.pk).update(waitlist=False)
    token = token_of(client.get(f"/events/{news.signup.pk}/register/").content.decode())
    Event.objects.filter(pk=news.signup.pk).update(waitlist=False, capacity=2)
    html = pages.add(
        "register-refused",
        client.post(
            f"/events/{news.signup.pk}/register/",
            {
                "name": "岡 健太",
                "reading": "おか けんた",
                "phone": "090-0000-2222",
                "people": "3",
                "consent": "on",
                "submission_token": token,
            },
        ),
        "full without a waiting list",
    )
    assert "定員に達したため" in html or "残りの席" in html
    pages.add("register-full", client.get(url), "full, no waiting list: no form")


def render_staff_pages(pages, news):
    admin = Client()
    admin.force_login(UserFactory(username="admin", superuser=True))
    pages.add("preview", admin.get(news.draft.get_absolute_url()), "a draft, previewed by staff")
    news.rich.title = "①研修会"
    news.rich.save()
    html = pages.add(
        "admin-post-warnings",
        admin.get(f"/admin/news/post/{news.rich.pk}/change/"),
        "the admin form with editor warnings",
    )
    assert "読みやすさの確認" in html
    pages.add(
        "admin-event",
        admin.get(f"/admin/news/event/{news.full.pk}/change/"),
        "an event with registrants",
    )
    pages.add("admin-registrations", admin.get("/admin/news/registration/"), "registrations")


def test_news_pages_are_valid_html_in_every_state(db, tmp_path):
    command = vnu_command()
    pages = Pages(tmp_path)
    for name, path in EMPTY_PAGES:
        pages.add(name, Client().get(path), path)
    news = build_news()
    for name, path in public_pages(news):
        pages.add(name, Client().get(path), path)
    client = Client()
    client.cookies.load(LARGE_BLACK)
    pages.add("event-xlarge-black", client.get(news.signup.get_absolute_url()), "特大・黒")
    pages.add("calendar-xlarge-black", client.get("/events/calendar/2026/12/"), "特大・黒")
    render_registration_states(pages, news)
    render_staff_pages(pages, news)
    check_pages(command, tmp_path, pages.written, [*ALLOWED_WARNINGS, *ADMIN_WARNINGS])
