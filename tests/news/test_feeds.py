"""The RSS and Atom feeds and the iCalendar files, read by real parsers."""

import datetime

import feedparser
import pytest
from django.utils import timezone
from icalendar import Calendar

from news.models import Event
from tests.factories import SiteProfileFactory
from tests.news.factories import CategoryFactory, EventFactory, PostFactory, RegistrationFactory


@pytest.fixture
def posts(db):
    SiteProfileFactory()
    notice = CategoryFactory(name="お知らせ", slug="oshirase")
    volunteer = CategoryFactory(name="ボランティア", slug="volunteer")
    now = timezone.now()
    PostFactory(
        title="研修会のご案内",
        category=notice,
        body="## 内容\n\n<script>alert(1)</script>体操をします。",
        published_at=now - datetime.timedelta(days=2),
    )
    PostFactory(title="ボランティア募集", category=volunteer)
    PostFactory(title="書きかけ", category=notice, draft=True)
    PostFactory(title="来週の予定", category=notice, scheduled=True)
    PostFactory(title="掲載終了", category=notice, ended=True)
    return {"notice": notice, "volunteer": volunteer}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize(("url", "version"), [("/news/feed/", "rss20"), ("/news/atom/", "atom10")])
def test_the_news_feeds_list_published_posts_only(resident, posts, url, version):
    response, feed = parse(resident, url)
    assert feed.version == version
    assert feed.feed.title == "テスト市社会福祉協議会のお知らせ"
    assert feed.feed.language == "ja"
    assert [entry.title for entry in feed.entries] == ["ボランティア募集", "研修会のご案内"]
    entry = feed.entries[1]
    assert entry.link == "http://testserver/news/posts/" + entry.link.rsplit("/posts/", 1)[1]
    assert "<h2>内容</h2>" in entry.summary
    assert "<script" not in entry.summary
    assert [tag.term for tag in entry.tags] == ["お知らせ"]
    assert entry.published_parsed is not None
    for hidden in ("書きかけ", "来週の予定", "掲載終了"):
        assert hidden not in response.content.decode()


@pytest.mark.parametrize("kind", ["feed", "atom"])
def test_a_category_feed_has_only_its_posts(resident, posts, kind):
    _, feed = parse(resident, f"/news/volunteer/{kind}/")
    assert feed.feed.title == "テスト市社会福祉協議会のお知らせ（ボランティア）"
    assert [entry.title for entry in feed.entries] == ["ボランティア募集"]


def test_a_feed_of_an_unknown_category_is_404(resident, posts):
    assert resident.get("/news/nothing/feed/").status_code == 404
    assert resident.get("/news/nothing/atom/").status_code == 404


def test_a_scheduled_post_enters_the_feed_at_its_time(resident, posts):
    from news.models import Post

    Post.objects.filter(title="来週の予定").update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    _, feed = parse(resident, "/news/feed/")
    assert "来週の予定" in [entry.title for entry in feed.entries]


def test_feeds_run_a_bounded_number_of_queries(resident, posts, django_assert_max_num_queries):
    PostFactory.create_batch(40, category=posts["notice"])
    # The site's name (1) and the latest posts with their categories (1).
    with django_assert_max_num_queries(2):
        resident.get("/news/feed/")
    # The site's name, the category, its posts.
    with django_assert_max_num_queries(3):
        resident.get("/news/oshirase/atom/")


# --- iCalendar ----------------------------------------------------------------------


def calendar_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_events_calendar_is_valid_icalendar_with_cancelled_ones_marked(resident, db):
    SiteProfileFactory()
    held = EventFactory(title="活動発表会", place="大ホール", description="## 内容\n\n発表します。")
    cancelled = EventFactory(title="交流会", cancelled=True)
    postponed = EventFactory(title="報告会", postponed=True)
    EventFactory(title="下書きの行事", draft=True)
    EventFactory(title="予約公開の行事", scheduled=True)
    EventFactory(title="昔の行事", starts_at=timezone.now() - datetime.timedelta(days=400))
    RegistrationFactory(event=EventFactory(title="講座", signup=True), name="秘密の申込者")

    calendar = calendar_of(resident, "/events/calendar.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "テスト市社会福祉協議会の行事"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"活動発表会", "【中止】交流会", "【延期】報告会", "講座"}
    first = events["活動発表会"]
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("DTSTART") == held.starts_at
    assert first.decoded("DTEND") == held.ends_at
    assert str(first["LOCATION"]) == "大ホール"
    assert str(first["DESCRIPTION"]) == "内容\n発表します。"
    assert str(first["URL"]).endswith(f"/events/{held.pk}/")
    assert str(first["UID"]) == f"news-event-{held.pk}@127.0.0.1:8000"
    assert str(events["【中止】交流会"]["STATUS"]) == "CANCELLED"
    assert str(events["【中止】交流会"]["DESCRIPTION"]).startswith("台風のため中止します。")
    assert str(events["【延期】報告会"]["STATUS"]) == "CANCELLED"
    assert "秘密の申込者" not in calendar.to_ical().decode()
    assert cancelled.pk and postponed.pk


def test_changing_an_event_raises_its_sequence(resident, db):
    event = EventFactory()
    assert calendar_of(resident, f"/events/{event.pk}/event.ics").walk("VEVENT")[0]["SEQUENCE"] == 0
    event.title = "名前を変えた行事"
    event.save()
    [item] = calendar_of(resident, f"/events/{event.pk}/event.ics").walk("VEVENT")
    assert item["SEQUENCE"] == 1
    assert str(item["SUMMARY"]) == "名前を変えた行事"


def test_one_event_calendar_of_an_unpublished_event_is_404(resident, db):
    assert resident.get(f"/events/{EventFactory(draft=True).pk}/event.ics").status_code == 404
    assert resident.get("/events/999999/event.ics").status_code == 404


def test_the_calendar_runs_one_query(resident, db, django_assert_max_num_queries):
    for _ in range(30):
        EventFactory()
    assert Event.objects.count() == 30
    # The site's name (1) and the events (1).
    with django_assert_max_num_queries(2):
        resident.get("/events/calendar.ics")
