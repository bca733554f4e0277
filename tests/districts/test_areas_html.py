"""The 町名 pages are valid HTML, by the Nu Html Checker (as tests/test_html_validity.py
checks every public page): the index with towns and without, a district's and a
parent's 対象区域, and an address searched."""

from districts.models import DistrictArea
from tests.factories import DistrictFactory, SiteProfileFactory
from tests.test_html_validity import LARGE_BLACK, check_pages, render_pages, vnu_command


def test_the_town_pages_are_valid_html(db, tmp_path):
    command = vnu_command()
    written = render_pages([("areas-empty", "/districts/areas/", {}, 200)], tmp_path)
    SiteProfileFactory()
    misu = DistrictFactory(name="三須", reading="みす", slug="misu", area_served="三須の各町内会")
    kiyone = DistrictFactory(name="清音", reading="きよね", slug="kiyone")
    first = DistrictFactory(name="清音第1小地区", reading="きよねだいいち", parent=kiyone)
    for district, name, reading, note in [
        (misu, "三須", "みす", ""),
        (misu, "上林", "かんばやし", ""),
        (misu, "久代", "くしろ", "東部"),
        (first, "清音柿木", "きよねかきのき", ""),
        (first, "A&B団地", "えーびーだんち", "<一部>"),
    ]:
        DistrictArea.objects.create(district=district, name=name, reading=reading, note=note)
    written |= render_pages(
        [
            ("areas", "/districts/areas/", {}, 200),
            ("areas-xlarge-black", "/districts/areas/", LARGE_BLACK, 200),
            ("areas-furigana", "/districts/areas/", {"furigana": "on"}, 200),
            ("district-areas", misu.get_absolute_url(), {}, 200),
            ("parent-areas", kiyone.get_absolute_url(), {}, 200),
            ("search-address", "/search/?q=総社市三須１０００－５", {}, 200),
            ("search-kana", "/search/?q=きよね", {}, 200),
        ],
        tmp_path,
    )
    check_pages(command, tmp_path, written)
