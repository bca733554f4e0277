"""fixtures/demo_news.py: the demo news, events and 社協だより load, validate and show."""

import importlib.util
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from districts.models import District
from news.models import (
    Event,
    NewsletterArticle,
    NewsletterIssue,
    Post,
    Registration,
    RegistrationStatus,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_objects():
    spec = importlib.util.spec_from_file_location("demo_news", FIXTURES / "demo_news.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    objects = []

    def add(model, pk, **fields):
        objects.append({"model": model, "pk": pk, "fields": fields})

    ctx = {
        "district_pk": dict(District.objects.values_list("slug", "pk")),
        "office_pk": 1,
        "today": date(2026, 11, 22),
        "staff_user_key": ["shokuin"],
    }
    module.build(add, ctx)
    return objects


@pytest.fixture(scope="module")
def loaded(rows_kept_for_the_module, tmp_path_factory):
    """Loaded once for the module's tests, which only look (tests/conftest.py)."""
    with rows_kept_for_the_module() as unblocked:
        with unblocked():
            call_command("load_demo", stdout=StringIO())
            path = tmp_path_factory.mktemp("news") / "news.json"
            path.write_text(json.dumps(demo_objects(), ensure_ascii=False), encoding="utf-8")
            call_command("loaddata", str(path), verbosity=0)
        yield


@pytest.fixture
def demo(loaded, db):
    pass


def test_the_demo_is_deterministic(db):
    call_command("load_demo", stdout=StringIO())
    assert demo_objects() == demo_objects()


def test_the_demo_has_what_the_issue_asks_for(demo):
    for obj in [*Post.objects.all(), *Event.objects.all(), *Registration.objects.all()]:
        obj.full_clean()
    for obj in NewsletterIssue.objects.all():
        obj.full_clean()
    categories = set(Post.objects.values_list("category__name", flat=True))
    assert categories == {
        "お知らせ",
        "地域づくり",
        "ボランティア",
        "生活支援体制整備事業",
        "福祉委員",
    }
    assert Post.objects.count() >= 15
    assert Post.objects.pinned().count() == 1
    assert Post.objects.filter(status="draft").count() == 1
    today = timezone.make_aware(timezone.datetime(2026, 11, 22, 12))
    assert Post.objects.scheduled(today).count() == 1
    assert Event.objects.filter(status="cancelled").exclude(status_note="").count() == 1
    assert Event.objects.filter(accommodations__name="手話通訳").exists()
    signup = Event.objects.with_counts().filter(registrations__isnull=False).distinct().get()
    assert signup.capacity and signup.confirmed_people <= signup.capacity
    assert signup.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert list(NewsletterIssue.objects.order_by("number").values_list("number", flat=True)) == [
        65,
        66,
        67,
        68,
    ]
    assert all(issue.articles.exists() for issue in NewsletterIssue.objects.all())
    # Dated as printed: to the month, or only to the 年度.
    precisions = set(NewsletterIssue.objects.values_list("issued_on_precision", flat=True))
    assert precisions == {"month", "fiscal_year"}
    articles = NewsletterArticle.objects.all()
    for article in articles:
        article.full_clean()
    assert articles.filter(last_page__gt=F("first_page")).exists()  # P2〜P3
    assert articles.filter(body="").exists()  # a もくじ line without text
    # Events lie before and after the demo's today.
    assert Event.objects.upcoming(today).exists() and Event.objects.past(today).exists()


def test_the_demo_pages_open(resident, demo):
    for path in ["/news/", "/news/chiiki/", "/events/", "/events/?when=past", "/newsletters/"]:
        assert resident.get(path).status_code == 200, path
    for obj in [*Post.objects.published(), *Event.objects.published()]:
        assert resident.get(obj.get_absolute_url()).status_code == 200, obj
    for issue in NewsletterIssue.objects.published():
        assert resident.get(issue.get_absolute_url()).status_code == 200
