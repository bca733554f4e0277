"""Agenda kinds are a list staff extend, shown as they wrote them; agenda items
keep staff's order; an annual plan's rows may sit under a 区分."""

import pytest
from django.urls import reverse

from councils.models import AgendaItem, AgendaItemKind, AnnualPlan
from tests.councils.scenario import build_known_in_part
from tests.councils.test_admin import MONTHS, meeting_form
from tests.factories import AgendaItemFactory, CouncilFactory, MeetingFactory


@pytest.fixture
def part(db):
    return build_known_in_part()


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


# --- agenda kinds ---------------------------------------------------------------------


def test_the_migration_brings_todays_seven_kinds_in_their_order(db):
    assert list(AgendaItemKind.objects.values_list("name", flat=True)) == [
        "報告",
        "情報共有",
        "事例発表",
        "意見交換",
        "協議",
        "講演・研修",
        "その他",
    ]


def test_a_kind_staff_add_is_offered_and_shown_as_written(superuser, resident, db):
    response = superuser.post(
        reverse("admin:councils_agendaitemkind_add"), {"name": "事業説明", "display_order": "5"}
    )
    assert response.status_code == 302, response.content.decode()
    kind = AgendaItemKind.objects.get(name="事業説明")
    form = superuser.get(reverse("admin:councils_meeting_add")).content.decode()
    options = form.split('name="agenda_items-0-kind"', 1)[1].split("</select>", 1)[0]
    assert "（種類なし）" in options
    assert options.index("事業説明") < options.index("報告")  # display_order 5 < 10

    council = CouncilFactory()
    data = meeting_form(council) | {"agenda_items-0-kind": str(kind.pk)}
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()
    meeting = council.meetings.get()
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert '<span class="council-agenda__kind">事業説明</span>見守り活動の報告' in html
    assert "その他" not in section(html, "agenda-heading")
    feed = resident.get(f"/councils/{council.slug}/calendar.ics").content.decode()
    assert "事業説明「見守り活動の報告」" in feed.replace("\r\n ", "")


def test_a_kind_must_have_a_name_of_its_own(superuser, db):
    response = superuser.post(
        reverse("admin:councils_agendaitemkind_add"), {"name": "報告", "display_order": "0"}
    )
    assert response.status_code == 200
    assert "既に存在します" in response.content.decode()
    assert AgendaItemKind.objects.filter(name="報告").count() == 1


def test_a_kind_in_use_cannot_be_deleted(superuser, db):
    item = AgendaItemFactory()
    url = reverse("admin:councils_agendaitemkind_delete", args=[item.kind.pk])
    page = superuser.get(url).content.decode()
    assert "保護された" in page  # the admin names the items that use it
    superuser.post(url, {"post": "yes"})
    assert AgendaItemKind.objects.filter(pk=item.kind.pk).exists()
    item.refresh_from_db()
    assert item.kind.name == "報告"


def test_agenda_items_keep_staffs_order_and_an_item_may_have_no_kind(resident, part):
    html = section(resident.get(part.exact.get_absolute_url()).content.decode(), "agenda-heading")
    items = [item.split("</li>", 1)[0] for item in html.split("<li>")[1:]]
    assert items == [
        "種類のない議題",
        '<span class="council-agenda__kind">事業説明</span>整備事業の説明',
        '<span class="council-agenda__kind">報告</span>同じ順の後の議題',
    ]


def test_an_item_without_a_kind_is_plain_in_the_feed(resident, db):
    from django.utils import timezone

    meeting = MeetingFactory(held_on=timezone.localdate())
    AgendaItem.objects.create(meeting=meeting, title="種類のない議題")
    feed = resident.get("/councils/calendar.ics").content.decode().replace("\r\n ", "")
    assert "・種類のない議題" in feed


# --- annual plans with 区分 --------------------------------------------------------------


def test_rows_under_one_group_share_one_heading_cell(resident, part):
    html = section(resident.get(part.council.get_absolute_url()).content.decode(), "plan-heading")
    table = html.split("<table", 1)[1].split("</table>", 1)[0]
    assert '<th scope="col">区分</th>' in table
    bodies = table.split("<tbody>")[1:]
    assert len(bodies) == 4  # 運営 (2 rows), no 区分, 普及・啓発, 運営 again
    assert '<th scope="rowgroup" rowspan="2">協議体の運営</th>' in bodies[0]
    assert '<th scope="row">定例会</th>' in bodies[0]
    assert '<th scope="row">第2層との連携</th>' in bodies[0]
    assert bodies[0].count("rowgroup") == 1
    assert '<th scope="row" colspan="2">区分のない行</th>' in bodies[1]
    assert '<th scope="rowgroup" rowspan="1">普及・啓発</th>' in bodies[2]
    # A 区分 that comes back later is a heading of its own: staff's order decides.
    assert '<th scope="rowgroup" rowspan="1">協議体の運営</th>' in bodies[3]
    phone = html.split('class="council-plan-list"', 1)[1]
    assert '<h3 class="council-plan-list__group">協議体の運営</h3>' in phone
    assert phone.index("普及・啓発") < phone.index("社協だより")


def test_a_plan_without_groups_looks_as_before(resident, db):
    from tests.factories import AnnualPlanFactory, AnnualPlanItemFactory

    plan = AnnualPlanFactory()
    AnnualPlanItemFactory(plan=plan, title="ひとつの行")
    html = resident.get(plan.council.get_absolute_url(), {"plan": plan.fiscal_year}).content
    html = section(html.decode(), "plan-heading")
    assert "区分" not in html and "rowgroup" not in html
    assert '<th scope="row">ひとつの行</th>' in html


def test_staff_type_the_group_in_the_plans_grid(superuser, db):
    council = CouncilFactory()
    data = {
        "council": council.pk,
        "fiscal_year": "令和9年度",
        "note": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-group": "協議体の運営",
        "items-0-title": "定例会",
        "items-0-display_order": "1",
        **{f"items-0-{m}": "" for m in MONTHS},
    }
    form = superuser.get(reverse("admin:councils_annualplan_add")).content.decode()
    assert "区分（大項目）" in form
    response = superuser.post(reverse("admin:councils_annualplan_add"), data)
    assert response.status_code == 302, response.content.decode()
    assert AnnualPlan.objects.get().items.get().group == "協議体の運営"
