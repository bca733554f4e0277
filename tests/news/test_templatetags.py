"""{% load news %}: what the home page and a district's page show of this app."""

from django.template import Context, Template

from tests.factories import DistrictFactory
from tests.news.factories import (
    CategoryFactory,
    EventFactory,
    NewsletterIssueFactory,
    PostFactory,
    RegistrationFactory,
    days_from_now,
)


def render(source, **context):
    return Template("{% load news %}" + source).render(Context(context))


def test_latest_posts_and_upcoming_events(db, django_assert_max_num_queries):
    category = CategoryFactory(name="お知らせ")
    PostFactory(title="ふつうのお知らせ", category=category)
    PostFactory(title="大事なお知らせ", category=category, pinned=True)
    PostFactory(title="予約したお知らせ", category=category, scheduled=True)
    EventFactory(title="あとの行事", starts_at=days_from_now(9))
    signup = EventFactory(title="すぐの講座", signup=True, capacity=3, starts_at=days_from_now(2))
    RegistrationFactory(event=signup, name="秘密の人", people=2)
    EventFactory(title="終わった行事", past=True)
    EventFactory(title="下書きの行事", draft=True)
    with django_assert_max_num_queries(3):  # posts; events; their accommodations
        html = render("{% latest_posts %}{% upcoming_events %}")
    assert html.index("大事なお知らせ") < html.index("ふつうのお知らせ")
    assert "予約したお知らせ" not in html
    assert html.index("すぐの講座") < html.index("あとの行事")
    assert "残り1人" in html
    for hidden in ("終わった行事", "下書きの行事", "秘密の人"):
        assert hidden not in html
    assert '<a href="/news/">お知らせの一覧へ</a>' in html
    assert '<h3 class="news-item__title">' in html and '<h3 class="card__title">' in html


def test_a_districts_posts_and_events(db):
    kiyone = DistrictFactory(name="清音")
    category = CategoryFactory()
    PostFactory(title="清音のお知らせ", category=category, districts=[kiyone])
    PostFactory(title="ほかのお知らせ", category=category)
    EventFactory(title="清音の行事", district=kiyone)
    EventFactory(title="ほかの行事")
    html = render(
        "{% latest_posts district=district %}{% upcoming_events district=district %}",
        district=kiyone,
    )
    assert "清音地区のお知らせ" in html and "清音地区の行事" in html
    assert "清音のお知らせ" in html and "清音の行事" in html
    assert "ほかのお知らせ" not in html and "ほかの行事" not in html


def test_empty_states_and_the_latest_newsletter(db):
    html = render("{% latest_posts %}{% upcoming_events %}")
    assert "現在、掲載している情報はありません。" in html
    assert "いま予定している行事はありません。" in html
    NewsletterIssueFactory(number=67)
    NewsletterIssueFactory(number=68)
    NewsletterIssueFactory(number=69, scheduled=True)
    assert render("{% latest_newsletter as issue %}{{ issue.number_label }}") == "第68号"
