"""axe-core (WCAG 2.1 A and AA) on the 町名 index and a district's 対象区域, in each
背景色 and at 特大; and the resident's way in: the jump list to a 行, and an
address typed into the index's box that leads to the district."""

import pytest

from districts.models import DistrictArea
from tests.browser.test_accessibility import assert_no_axe_violations, show_in
from tests.factories import DistrictFactory, SiteProfileFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def towns(transactional_db):
    SiteProfileFactory()
    misu = DistrictFactory(name="三須", reading="みす", slug="misu", area_served="三須の各町内会")
    kiyone = DistrictFactory(name="清音", reading="きよね", slug="kiyone")
    first = DistrictFactory(name="清音第1小地区", reading="きよねだいいち", parent=kiyone)
    for district, name, reading, note in [
        (misu, "三須", "みす", ""),
        (misu, "上林", "かんばやし", ""),
        (misu, "久代", "くしろ", "東部"),
        (first, "清音柿木", "きよねかきのき", ""),
        (first, "岡谷", "おかだに", ""),
        (first, "和田", "わだ", ""),
    ]:
        DistrictArea.objects.create(district=district, name=name, reading=reading, note=note)
    return ["/districts/areas/", misu.get_absolute_url(), kiyone.get_absolute_url()]


@pytest.mark.parametrize(
    ("theme", "size"),
    [
        ("white", "standard"),
        ("black", "standard"),
        ("blue", "standard"),
        ("yellow", "standard"),
        ("white", "xlarge"),
        ("black", "xlarge"),
    ],
)
def test_the_town_pages_have_no_axe_violations(theme, size, axe_context, live_server, towns):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(axe_context.new_page(), towns, theme=theme, size=size)


def test_a_resident_jumps_to_a_gyo_and_types_an_address(page, towns):
    page.goto("/districts/areas/")
    page.get_by_role("navigation", name="50音の行へ移動").get_by_role("link", name="ま行").click()
    assert page.url.endswith("#gyo-ma")
    assert page.locator("#gyo-ma").is_visible()

    page.get_by_label("住所や町名で探す", exact=True).fill("総社市三須１０００－５")
    with page.expect_navigation():
        page.get_by_role("button", name="探す", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="三須 → 三須地区").click()
    assert page.locator("h1").inner_text() == "三須地区社協"
