"""fixtures/demo_councils.py: what it adds loads, passes every check staff
would meet, and shows what the demo is meant to show."""

import datetime
import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from councils.models import (
    AgendaItem,
    AnnualPlan,
    Council,
    CouncilMember,
    Layer,
    LifeArea,
    Meeting,
    MeetingFormat,
    MeetingParticipant,
    MeetingStatus,
)
from shakyo_portal.core.fiscal import fiscal_year
from tests.factories import DistrictFactory, OfficeFactory, SiteProfileFactory

MODULE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_councils.py"
SLUGS = [
    "soja", "tokiwa", "misu", "hattori", "azo", "ikeda", "hada",
    "kamiari", "kushiro", "yamada", "shinbo", "showa", "yamate", "kiyone",
]  # fmt: skip
TODAY = datetime.date(2026, 11, 22)


def demo_module():
    spec = importlib.util.spec_from_file_location("demo_councils", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(ctx):
    objects = []

    def add(model, pk, **fields):
        objects.append({"model": model, "pk": pk, "fields": fields})

    demo_module().build(add, ctx)
    return objects


@pytest.fixture(scope="module")
def demo(rows_kept_for_the_module, tmp_path_factory):
    """Loaded once for the module's tests, which only look (tests/conftest.py)."""
    with rows_kept_for_the_module() as unblocked:
        with unblocked():
            SiteProfileFactory()
            office = OfficeFactory()
            ctx = {
                "district_pk": {slug: DistrictFactory(slug=slug).pk for slug in SLUGS},
                "office_pk": office.pk,
                "staff_user_key": ["shokuin"],
                "today": TODAY,
            }
            objects = build(ctx)
            fixture = tmp_path_factory.mktemp("councils") / "councils.json"
            fixture.write_text(json.dumps(objects, ensure_ascii=False))
            call_command("loaddata", str(fixture), verbosity=0)
        yield ctx


@pytest.fixture
def loaded(demo, db):
    return demo


def test_the_demo_is_deterministic():
    ctx = {"district_pk": {s: n for n, s in enumerate(SLUGS, 1)}, "office_pk": 1, "today": TODAY}
    first = build(dict(ctx))
    assert first == build(dict(ctx))
    assert len(first) > 100


def test_it_hands_on_the_keys_later_modules_use(loaded):
    assert set(loaded["life_area_pk"]) == {
        "soja-chu",
        "soja-higashi-chu",
        "soja-nishi-chu",
        "showa-chu",
    }
    assert "seikatsu-shien" in loaded["council_pk"]
    for slug, pk in loaded["council_pk"].items():
        assert Council.objects.get(pk=pk).slug == slug


def test_everything_passes_the_checks_staff_meet(loaded):
    for model in [LifeArea, Council, CouncilMember, Meeting, AnnualPlan]:
        for obj in model.objects.all():
            obj.full_clean()


def test_the_soja_structure(loaded):
    city = Council.objects.get(layer=Layer.CITY)
    assert city.name == "生活支援サービス検討委員会"
    areas = Council.objects.filter(layer=Layer.AREA)
    assert areas.count() == 4
    assert all("圏域地域包括ケア会議" in c.name for c in areas)
    assert areas.exclude(nickname="").count() == 1
    # Every district is in exactly one 中学校区.
    covered = list(LifeArea.objects.values_list("districts__slug", flat=True))
    assert sorted(covered) == sorted(SLUGS)
    labels = {c.slug: c.schedule_label for c in Council.objects.all()}
    assert labels["soja-chu"] == "原則毎月第3火曜日 10:00〜12:00"
    assert labels["soja-higashi-chu"] == "原則月末の月曜日 10:00〜12:00"
    assert "5月・7月・9月・11月・1月・3月" in labels["seikatsu-shien"]
    assert labels["showa-chu"] == "不定期"


def test_meetings_across_three_fiscal_years_with_the_special_ones(loaded):
    years = {fiscal_year(day) for day in Meeting.objects.values_list("held_on", flat=True)}
    assert {2024, 2025, 2026} <= years
    cancelled = Meeting.objects.get(status=MeetingStatus.CANCELLED)
    assert cancelled.status_reason and cancelled.replacement
    written = Meeting.objects.get(format=MeetingFormat.WRITTEN)
    assert written.replacement
    postponed = Meeting.objects.get(status=MeetingStatus.POSTPONED)
    assert postponed.replaced_by.number == postponed.number
    coming = Meeting.objects.filter(held_on__gt=TODAY, status=MeetingStatus.SCHEDULED)
    assert coming.count() >= 3
    assert not Meeting.objects.filter(held_on__gt=TODAY, status=MeetingStatus.HELD).exists()
    assert not Meeting.objects.filter(held_on__lt=TODAY, status=MeetingStatus.SCHEDULED).exists()
    # Nobody meets while the office is closed over the new year.
    assert not [
        d for d in Meeting.objects.values_list("held_on", flat=True) if (d.month, d.day) <= (1, 3)
    ]
    assert Meeting.objects.exclude(staff_notes="").exists()


def test_members_some_with_consent(loaded):
    members = CouncilMember.objects.all()
    named = [m for m in members if m.representative_name]
    assert any(m.public_representative for m in named)
    assert any(not m.public_representative for m in named)


def test_the_demo_pages_render(resident, loaded):
    for slug in loaded["council_pk"]:
        html = resident.get(f"/councils/{slug}/").content.decode()
        assert "<h1>" in html
    html = resident.get("/councils/seikatsu-shien/").content.decode()
    assert '<th scope="row">第2層協議体との連携</th>' in html
    assert 'colspan="12"' in html
    for meeting in Meeting.objects.all():
        assert resident.get(meeting.get_absolute_url()).status_code == 200
    assert resident.get("/districts/kiyone/").status_code == 200


def test_the_demo_shows_meetings_as_councils_publish_them(resident, loaded):
    """A meeting known only to its 年度, one only to its month, guests, a kind
    staff added, an item with no kind, and a plan whose rows sit under 区分."""
    yearly = Meeting.objects.get(held_on_precision="fiscal_year")
    html = resident.get(yearly.get_absolute_url()).content.decode()
    assert "<dt>日時</dt><dd>令和6年度</dd>" in html
    monthly = Meeting.objects.get(held_on_precision="month")
    assert monthly.when == "令和8年12月"
    talk = MeetingParticipant.objects.filter(member__isnull=True).first().meeting
    html = resident.get(talk.get_absolute_url()).content.decode()
    assert "<li>講師（認知症地域支援推進員）</li>" in html
    assert "高橋 みどり" not in html
    assert '<li>岡山県備中保健所<span class="muted">（オブザーバー）</span></li>' in html
    explained = Meeting.objects.get(agenda_items__kind__name="事業説明")
    html = resident.get(explained.get_absolute_url()).content.decode()
    assert '<span class="council-agenda__kind">事業説明</span>' in html
    assert AgendaItem.objects.filter(kind__isnull=True).exists()
    html = resident.get("/councils/seikatsu-shien/?plan=2026").content.decode()
    assert '<th scope="rowgroup" rowspan="2">協議体の運営</th>' in html
    assert '<th scope="row" colspan="2">担当者の作業</th>' in html


def test_the_demo_marks_a_rule_date_in_the_year_end(loaded):
    """The city council meets on odd months' first Friday: 1 January 2027 is
    in 年末年始, not fixed yet, and the council asked for such days to be marked."""
    from councils.models import Council

    council = Council.objects.select_related("office").get(slug="seikatsu-shien")
    coming = council.coming_dates(
        council.meetings.filter(held_on__gte=TODAY).exclude(status="held"), today=TODAY, count=3
    )
    expected = [entry for entry in coming if entry.is_expected]
    assert [(entry.on, entry.closure) for entry in expected][:1] == [
        (datetime.date(2027, 1, 1), "年末年始")
    ]
    others = Council.objects.exclude(slug="seikatsu-shien").values_list(
        "meeting_on_closed_days", flat=True
    )
    assert set(others) == {"skip"}
