"""Registering for a 要申込 event online: the form, seats, the waiting list, the
confirmation page and mail, double clicks, and who may see what."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from news.models import Event, Registration, RegistrationStatus
from news.services import allocate
from tests.factories import OfficeFactory, SiteProfileFactory
from tests.news.factories import (
    AccommodationFactory,
    CategoryFactory,
    EventFactory,
    PostFactory,
    RegistrationFactory,
)
from tests.news.helpers import SHELL_QUERIES, main


@pytest.fixture
def lecture(db):
    """認知症サポーター養成講座: 5 seats, 要約筆記 and 車いす可 offered."""
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    return EventFactory(
        title="認知症サポーター養成講座",
        signup=True,
        capacity=5,
        office=office,
        accommodations=[
            AccommodationFactory(name="要約筆記", slug="yoyaku"),
            AccommodationFactory(name="車いす可", slug="kurumaisu"),
        ],
    )


def url(event):
    return f"/events/{event.pk}/register/"


def token_of(html):
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def open_form(client, event):
    response = client.get(url(event))
    assert response.status_code == 200
    return token_of(response.content.decode())


def data(token, **changes):
    return {
        "name": "髙橋 花子",
        "reading": "タカハシ ハナコ",
        "phone": "０９０－００００－１２３４",
        "email": "hanako@example.jp",
        "people": "２",
        "note": "",
        "consent": "on",
        "submission_token": token,
        **changes,
    }


def send(client, event, captured, **changes):
    token = open_form(client, event)
    with captured(execute=True):
        return client.post(url(event), data(token, **changes))


def test_a_resident_registers_and_sees_the_confirmation(
    resident, lecture, django_capture_on_commit_callbacks
):
    yoyaku = lecture.accommodations.get(slug="yoyaku")
    response = send(
        resident, lecture, django_capture_on_commit_callbacks, accommodations=[yoyaku.pk]
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert response["Location"] == f"/events/{lecture.pk}/registrations/{registration.pk}/"
    assert registration.name == "髙橋 花子"  # as typed, 髙 kept
    assert registration.reading == "たかはし はなこ"
    assert registration.phone == "090-0000-1234"
    assert registration.people == 2
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.consented_at is not None
    assert list(registration.accommodations.all()) == [yoyaku]

    page = resident.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = main(page.content.decode())
    assert "<h1>申込を受け付けました</h1>" in html
    assert f'<p class="news-reference__number">{lecture.pk}-001</p>' in html
    assert "<dd>2人</dd>" in html and "<dd>要約筆記</dd>" in html

    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert message.subject == (
        f"【受付番号 {lecture.pk}-001】行事の申込を受け付けました：認知症サポーター養成講座"
    )
    assert "髙橋 花子 様" in message.body
    assert "必要な配慮: 要約筆記" in message.body
    assert "地域共生推進課（電話 0866-92-8552）" in message.body
    assert f"/events/{lecture.pk}/" in message.body

    # The event's page now counts the two seats.
    assert "残り3人" in resident.get(lecture.get_absolute_url()).content.decode()


def test_the_confirmation_is_only_for_the_browser_that_sent_it(
    resident, lecture, django_capture_on_commit_callbacks
):
    response = send(resident, lecture, django_capture_on_commit_callbacks)
    assert Client().get(response["Location"]).status_code == 404
    other = RegistrationFactory(event=lecture)
    assert resident.get(f"/events/{lecture.pk}/registrations/{other.pk}/").status_code == 404


def test_a_double_click_registers_once(resident, lecture, django_capture_on_commit_callbacks):
    token = open_form(resident, lecture)
    with django_capture_on_commit_callbacks(execute=True):
        first = resident.post(url(lecture), data(token))
        second = resident.post(url(lecture), data(token))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1


def test_another_browser_with_the_token_sees_nothing_of_the_first(
    resident, lecture, django_capture_on_commit_callbacks
):
    token = open_form(resident, lecture)
    with django_capture_on_commit_callbacks(execute=True):
        first = resident.post(url(lecture), data(token))
    stranger = Client()
    response = stranger.post(url(lecture), data(token))
    # Not led to the first person's confirmation: a registration of its own, or the form.
    assert response.get("Location") != first["Location"]
    assert stranger.get(first["Location"]).status_code in (302, 403, 404)


def test_two_forms_register_twice(resident, lecture, django_capture_on_commit_callbacks):
    send(resident, lecture, django_capture_on_commit_callbacks)
    send(resident, lecture, django_capture_on_commit_callbacks, people="1")
    assert list(Registration.objects.values_list("serial", "people")) == [(1, 2), (2, 1)]


def test_beyond_capacity_goes_on_the_waiting_list(
    resident, lecture, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=lecture, people=4)
    response = send(resident, lecture, django_capture_on_commit_callbacks, people="2")
    registration = Registration.objects.get(name="髙橋 花子")
    assert registration.status == RegistrationStatus.WAITLISTED  # the party fits whole or waits
    html = main(resident.get(response["Location"]).content.decode())
    assert "<h1>キャンセル待ちで受け付けました</h1>" in html
    assert "キャンセル待ちの1番目" in html
    [message] = mail.outbox
    assert "キャンセル待ちで受け付けました" in message.subject
    assert "キャンセル待ちの1番目" in message.body
    # Seats taken stay 4 of 5.
    assert "残り1人" in resident.get(lecture.get_absolute_url()).content.decode()


def test_without_a_waiting_list_a_full_event_refuses_with_a_clear_message(
    resident, lecture, django_capture_on_commit_callbacks
):
    Event.objects.filter(pk=lecture.pk).update(waitlist=False)
    RegistrationFactory(event=lecture, people=4)
    response = send(resident, lecture, django_capture_on_commit_callbacks, people="2")
    assert response.status_code == 200
    html = main(response.content.decode())
    assert "残りの席は1人分です。2人での申込は受け付けられません。" in html
    assert 'class="error-summary"' in html
    assert 'value="髙橋 花子"' in html  # what was typed is kept
    assert Registration.objects.count() == 1
    assert not mail.outbox

    RegistrationFactory(event=lecture, people=1)
    html = resident.get(url(lecture)).content.decode()
    assert "定員に達したため、申込の受付を終了しました" in html
    assert "<form" not in main(html)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"registration_deadline": timezone.now() - datetime.timedelta(minutes=1)},
            "で締め切りました。",
        ),
        ({"status": "cancelled", "status_note": "中止します。"}, "中止になったため"),
        ({"status": "postponed", "status_note": "延期します。"}, "延期になったため"),
    ],
)
def test_after_the_deadline_or_when_called_off_nothing_is_taken(
    resident, lecture, django_capture_on_commit_callbacks, change, message
):
    token = open_form(resident, lecture)
    Event.objects.filter(pk=lecture.pk).update(**change)
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(url(lecture), data(token))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert message in resident.get(url(lecture)).content.decode()
    assert message in resident.get(lecture.get_absolute_url()).content.decode()


def test_an_event_needing_no_registration_sends_to_its_page(resident, db):
    event = EventFactory()
    response = resident.get(url(event))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_an_unpublished_event_cannot_be_registered_for(resident, db, kind):
    event = EventFactory(signup=True, **{kind: True})
    assert resident.get(url(event)).status_code == 404
    assert resident.post(url(event), data("x" * 30)).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"name": "", "reading": "", "people": "", "consent": ""},
            [
                "氏名を入力してください。",
                "よみがなを入力してください。",
                "人数を入力してください。",
                "申し込むには、個人情報の利用目的への同意が必要です。",
            ],
        ),
        ({"phone": "", "email": ""}, ["電話番号かメールアドレスの、どちらかを入力してください"]),
        ({"phone": "0866-92"}, ["電話番号は0から始まる10桁または11桁"]),
        ({"email": "hanako@"}, ["メールアドレスは「hanako@example.jp」のように"]),
        ({"reading": "Hanako"}, ["ひらがな"]),
        ({"people": "0"}, ["1以上の数で入力してください。"]),
        ({"people": "11"}, ["人数は10人以下で入力してください。"]),
        ({"people": "たくさん"}, ["半角または全角の数字で入力してください。"]),
        ({"people": "9" * 30}, ["人数は10人以下で入力してください。"]),
        ({"accommodations": ["999999"]}, ["必要な配慮・サポートを選び直してください。"]),
        ({"accommodations": ["x"]}, ["必要な配慮・サポートを選び直してください。"]),
        ({"note": "あ" * 501}, ["500字以内で入力してください"]),
        ({"name": "あ" * 101}, ["100"]),
        ({"website": "http://spam.example/"}, ["送信できませんでした。"]),
    ],
)
def test_errors_are_shown_in_japanese_and_nothing_typed_is_lost(
    resident, lecture, django_capture_on_commit_callbacks, changes, errors
):
    response = send(resident, lecture, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 200
    html = main(response.content.decode())
    assert 'class="error-summary" role="alert"' in html
    for error in errors:
        assert error in html, error
    if changes.get("note"):
        assert changes["note"] in html
    assert 'value="hanako@example.jp"' in html or "email" in changes
    assert "<title>入力内容の確認：" in response.content.decode()
    assert not Registration.objects.exists()


def test_an_accommodation_the_event_does_not_offer_is_refused(
    resident, lecture, django_capture_on_commit_callbacks
):
    other = AccommodationFactory(name="託児", slug="takuji")
    response = send(
        resident, lecture, django_capture_on_commit_callbacks, accommodations=[other.pk]
    )
    assert "必要な配慮・サポートを選び直してください。" in response.content.decode()
    assert not Registration.objects.exists()


def test_only_get_and_post(resident, lecture):
    assert resident.put(url(lecture)).status_code == 405
    assert resident.delete(url(lecture)).status_code == 405


def test_a_script_sending_many_is_stopped(lecture):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(20):
        client.post(url(lecture), {"name": ""})
    response = client.post(url(lecture), {"name": ""})
    assert response.status_code == 429


def test_the_form_runs_a_bounded_number_of_queries(
    resident, lecture, django_assert_max_num_queries
):
    for _ in range(30):
        RegistrationFactory(event=lecture, people=1, status=RegistrationStatus.WAITLISTED)
    # The shell, the event with seats (1), accommodations (1); the form's choices (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        assert resident.get(url(lecture)).status_code == 200


def test_registrants_never_reach_a_public_page(resident, lecture):
    RegistrationFactory(
        event=lecture, name="秘密の申込者", phone="090-0000-9876", email="himitsu@example.jp"
    )
    PostFactory(category=CategoryFactory(slug="oshirase"))
    today = timezone.localdate()
    start = timezone.localtime(lecture.starts_at)
    for path in [
        "/news/",
        "/news/feed/",
        "/news/atom/",
        "/events/",
        lecture.get_absolute_url(),
        url(lecture),
        f"/events/calendar/{today.year}/{today.month}/",
        f"/events/calendar/{start.year}/{start.month}/",
        "/events/calendar.ics",
        f"/events/{lecture.pk}/event.ics",
        "/newsletters/",
    ]:
        response = resident.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        for secret in ("秘密の申込者", "090-0000-9876", "himitsu@example.jp"):
            assert secret not in body, (path, secret)


# --- the rule of seats -------------------------------------------------------------


@given(
    capacity=st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    parties=st.lists(st.integers(min_value=1, max_value=10), max_size=30),
    waitlist=st.booleans(),
)
def test_seats_are_never_given_beyond_capacity(capacity, parties, waitlist):
    taken = 0
    for people in parties:
        seats = allocate(capacity=capacity, taken=taken, people=people, waitlist=waitlist)
        fits = capacity is None or taken + people <= capacity
        if seats.status == RegistrationStatus.CONFIRMED:
            assert fits
            taken += people
        elif seats.status == RegistrationStatus.WAITLISTED:
            assert waitlist and not fits
        else:
            assert not waitlist and not fits
            assert seats.message
        assert capacity is None or taken <= capacity


@pytest.mark.parametrize("token", ["", "short", "<script>", "x" * 500])
def test_a_form_sent_without_a_usable_token_gets_one_for_next_time(
    resident, lecture, django_capture_on_commit_callbacks, token
):
    response = resident.post(url(lecture), data(token, people=""))
    assert response.status_code == 200
    fresh = token_of(response.content.decode())
    assert fresh != token and len(fresh) >= 40
    with django_capture_on_commit_callbacks(execute=True):
        first = resident.post(url(lecture), data(fresh))
        again = resident.post(url(lecture), data(fresh))
    assert first["Location"] == again["Location"]
    assert Registration.objects.count() == 1


def test_a_double_click_that_races_past_the_token_check_gets_the_first_registration(
    lecture, monkeypatch
):
    """SQLite has no row lock: the second request of a double click can pass the
    token check while the first commits. It must show the first's confirmation,
    not a server error. The other request's commit is made to land exactly there."""
    from news.services import register

    original = Event.registration_closed_reason

    def first_request_commits_now(self, now=None):
        if not Registration.objects.filter(submission_token="double-click").exists():
            Registration.objects.create(
                event=self,
                serial=1,
                name="最初の申込",
                reading="さいしょのもうしこみ",
                people=1,
                status=RegistrationStatus.CONFIRMED,
                submission_token="double-click",
            )
        return original(self, now)

    monkeypatch.setattr(Event, "registration_closed_reason", first_request_commits_now)
    registration, created = register(
        event=lecture, name="二度目", reading="にどめ", submission_token="double-click"
    )
    assert not created
    assert registration.name == "最初の申込"
    assert Registration.objects.count() == 1
