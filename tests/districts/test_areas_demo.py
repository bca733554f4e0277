"""Every address in the demo leads to its district: the 町名 of each salon's venue,
each resource, each event and office is found by the site search (the address
typed whole, and its 町名 alone) and listed on /districts/areas/.

The demo is built from the fixtures' Python parts (fixtures/build_demo.py's
build(), the same data `python fixtures/build_demo.py` writes to demo.json) into a
temporary file and loaded from there, so the test checks the parts as they are
now, whether or not demo.json has been rebuilt since they changed.
"""

import html as html_lib
import json
import re
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def demo_objects():
    sys.path.insert(0, str(FIXTURES))
    try:
        import build_demo
    finally:
        sys.path.remove(str(FIXTURES))
    return build_demo.build()


def addresses(objects):
    """{address: the pk of the district its row names, or None}, from every
    field of the demo that holds an address."""
    found = {}
    for row in objects:
        for name, value in row["fields"].items():
            if "address" in name and isinstance(value, str) and value:
                district = row["fields"].get("district")
                if found.get(value) is None:
                    found[value] = district
    return found


def town_of(address: str) -> str:
    """The 町名 as a resident would say it: 総社市三須1000-5 -> 三須,
    岡山県総社市中央一丁目1番3号 -> 中央一丁目."""
    rest = address.removeprefix("岡山県").removeprefix("総社市")
    return re.split(r"[0-9０-９]", rest, maxsplit=1)[0]


@pytest.fixture(scope="module")
def demo(rows_kept_for_the_module, tmp_path_factory):
    objects = demo_objects()
    path = tmp_path_factory.mktemp("demo") / "demo_areas.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    with rows_kept_for_the_module() as unblocked:
        with unblocked():
            call_command("loaddata", str(path), verbosity=0)
        yield objects


@pytest.fixture
def districts(demo, db):
    from districts.models import District

    return {d.pk: d for d in District.objects.select_related("parent")}


def accepted_urls(district, districts):
    """A row filed under 清音 may name a 町名 one of its 小地区 serves, and the
    other way round: the district, its parent and its sub-districts all answer."""
    related = [district]
    if district.parent_id:
        related.append(districts[district.parent_id])
    related += [d for d in districts.values() if d.parent_id == district.pk]
    return {d.get_absolute_url() for d in related}


def search_links(client, q):
    page = client.get("/search/", {"q": q}).content.decode()
    group = re.search(r'aria-labelledby="district_areas-heading".*?</section>', page, re.S)
    if group is None:
        return set()
    return {
        href.split("#")[0]
        for href in re.findall(r'class="search-result__title"><a href="([^"]+)"', group.group(0))
    }


def index_links(client):
    """{町名 as listed: {district URL}} from the index page."""
    page = client.get("/districts/areas/").content.decode()
    links = {}
    for town, href in re.findall(
        r'<span class="area-index__town">(.*?)</span>.*?<a href="([^"]+)"', page, re.S
    ):
        town = html_lib.unescape(re.sub(r"<[^>]+>", "", town))
        links.setdefault(town, set()).add(href)
    return links


def test_the_demo_has_addresses_and_every_district_serves_towns(demo, districts):
    from districts.models import DistrictArea

    found = addresses(demo)
    assert len(found) > 40, found
    serving = set(DistrictArea.objects.values_list("district_id", flat=True))
    for district in districts.values():
        children = {d.pk for d in districts.values() if d.parent_id == district.pk}
        # 清音's 大字 are listed by its six 小地区.
        assert district.pk in serving or (children and children <= serving), district.name


def test_every_demo_address_finds_its_district_in_the_site_search(resident, demo, districts):
    missing = []
    for address, district_pk in addresses(demo).items():
        for q in (address, town_of(address)):
            links = search_links(resident, q)
            if district_pk is None:
                ok = bool(links)
            else:
                ok = bool(links & accepted_urls(districts[district_pk], districts))
            if not ok:
                missing.append((q, sorted(links)))
    assert not missing, missing


def test_every_demo_town_is_on_the_index_with_its_district(resident, demo, districts):
    listed = index_links(resident)
    missing = []
    for address, district_pk in addresses(demo).items():
        town = town_of(address)
        # The index lists a 丁目 range (中央一丁目〜六丁目) or a split town (久代（東部）)
        # under the 町名 it begins with.
        root = re.split(r"[一二三四五六七八九十]+丁目", town)[0]
        named = re.compile(rf"{re.escape(root)}(（|[一二三四五六七八九十]+丁目|$)")
        links = set().union(*(urls for name, urls in listed.items() if named.match(name)))
        if district_pk is None:
            ok = bool(links)
        else:
            ok = bool(links & accepted_urls(districts[district_pk], districts))
        if not ok:
            missing.append((address, town, sorted(links)))
    assert not missing, missing
