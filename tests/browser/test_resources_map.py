"""The 地域資源マップ in a real browser: axe on every page (also with the map open),
the list complete without JavaScript, and the map as an enhancement that asks
nothing of another host until pressed, says so when its tiles cannot load, and
never traps the keyboard."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import RUN_AXE, axe_options, describe
from tests.resources.world import add_many, build_town

pytestmark = pytest.mark.browser

GSI = "cyberjapandata.gsi.go.jp"


@pytest.fixture
def town(transactional_db):
    town = build_town()
    # Two pages of results, so the map has to show more than the page does.
    add_many(town, 25)
    return town


def pages_of(town):
    r = town.resources
    return [
        "/resources/",
        "/resources/?page=2",
        "/resources/?category=salon&category=kayoi&scene=kenko&district=kiyone",
        "/resources/?category=kayoi&district=soja",
        "/resources/?category=nope&district=hidden",
        r.niko.get_absolute_url(),
        r.kayoi_kiyone.get_absolute_url(),
        r.kayoi_karube.get_absolute_url(),
        r.haishoku.get_absolute_url(),
    ]


@pytest.fixture
def local_tiles(settings, live_server):
    """Tiles the live server itself serves (any small PNG does), so the map can load."""
    settings.MAP_TILE_URL = f"{live_server.url}/static/leaflet/images/layers.png?{{z}}/{{x}}/{{y}}"
    settings.MAP_TILE_ATTRIBUTION = "地図: テスト"
    return settings.MAP_TILE_URL


def open_map(page):
    page.get_by_role("button", name="地図で見る").click()
    expect(page.get_by_role("button", name="地図を閉じる")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()


@pytest.mark.parametrize(
    ("theme", "size"),
    [("white", "standard"), ("black", "standard"), ("white", "xlarge"), ("black", "xlarge")],
)
def test_no_axe_violations(theme, size, axe_context, live_server, town, local_tiles):
    axe_context.add_cookies(
        [
            {"name": "theme", "value": theme, "url": live_server.url},
            {"name": "text_size", "value": size, "url": live_server.url},
        ]
    )
    page = axe_context.new_page()
    violations_by_page = {}

    def check(state):
        classes = page.evaluate("[...document.documentElement.classList]")
        assert {f"size-{size}", f"theme-{theme}"} <= set(classes), state
        violations = page.evaluate(RUN_AXE, axe_options(theme, size))
        if violations:
            violations_by_page[state] = violations

    for path in pages_of(town):
        assert page.goto(path).status == 200, path
        check(path)
    page.goto("/resources/")
    open_map(page)
    page.locator(".leaflet-marker-icon").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    # The popup fades in; check its colours once it has.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    check("/resources/ with the map and a popup open")
    # axe cannot judge text over map tiles, so: Leaflet's own white boxes take the theme's colours.
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for box in (".leaflet-control-attribution", ".leaflet-popup-content-wrapper"):
        expect(page.locator(box)).to_have_css("background-color", background)
    assert not violations_by_page, (
        f"axe violations in 背景色 {theme}, 文字サイズ {size}:\n{describe(violations_by_page)}"
    )


def test_every_page_has_one_h1_and_a_title_of_its_own(page, town):
    titles = {}
    for path in pages_of(town):
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), f"{path} has no title of its own: {title!r}"
        titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


def test_without_javascript_the_list_is_complete_and_links_to_maps(new_context, town):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/resources/?scene=ibasho")
    expect(page.locator("#resource-map")).to_be_hidden()
    expect(page.get_by_role("heading", level=2, name="件見つかりました")).to_be_visible()
    cards = page.locator(".resource-card")
    expect(cards).to_have_count(20)
    first = page.get_by_role("link", name="地図で場所を見る").filter(
        has_text="（いきいき体操サロン）"
    )
    assert first.get_attribute("href").startswith("https://www.openstreetmap.org/")
    page.get_by_role("link", name="次のページ").click()
    expect(page).to_have_url(re.compile(r"\?scene=ibasho&page=2$"))
    expect(page.locator(".resource-card").first).to_be_visible()


def test_nothing_is_fetched_for_the_map_until_it_is_asked_for(
    new_context, live_server, town, request_guard
):
    context = new_context()
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    # The tile server cannot be reached (here: refused), as on a closed network.
    context.route(f"https://{GSI}/**", lambda route: route.abort("internetdisconnected"))
    request_guard.allow(GSI)
    page = context.new_page()
    page.goto("/resources/")
    expect(page.get_by_role("button", name="地図で見る")).to_be_visible()
    assert not [url for url in requested if "leaflet" in url or "map.json" in url or GSI in url]

    page.get_by_role("button", name="地図で見る").click()
    status = page.locator(".resource-map__status")
    expect(status).to_contain_text("地図を読み込めませんでした。")
    expect(status).to_contain_text("下の一覧からも探せます")
    assert any(GSI in url for url in requested)
    # The map is gone, the button can try again, and the list still works.
    expect(page.locator("#resource-map-canvas")).to_be_hidden()
    button = page.get_by_role("button", name="地図で見る")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".resource-card")).to_have_count(20)
    page.get_by_role("link", name="清音通いの場", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("清音通いの場")


def test_the_map_shows_every_page_of_the_search_and_links_each_marker(
    new_context, live_server, town, local_tiles
):
    page = new_context().new_page()
    page.goto("/resources/?scene=ibasho")
    expect(page.locator(".resource-card")).to_have_count(20)
    expected = page.request.get(f"{live_server.url}/resources/map.json?scene=ibasho").json()
    assert len(expected["points"]) > 20
    open_map(page)
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(len(expected["points"]))
    expect(page.locator(".resource-map__status")).to_contain_text(
        f"地図に{len(expected['points'])}か所を表示しました。"
    )
    # Tiles arrive after the markers; wait for one rather than count at once.
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert urlsplit(local_tiles).netloc == urlsplit(live_server.url).netloc

    page.get_by_role("button", name="いきいき体操サロン").click()
    link = page.locator(".leaflet-popup-content").get_by_role("link", name="いきいき体操サロン")
    expect(link).to_be_visible()
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", "閉じる")
    link.click()
    expect(page).to_have_url(f"{live_server.url}{town.salons.taiso.get_absolute_url()}")


def test_the_map_closes_and_never_traps_the_keyboard(new_context, town, local_tiles):
    page = new_context().new_page()
    page.goto("/resources/?district=soja")
    toggle = page.get_by_role("button", name="地図で見る")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.get_by_role("button", name="地図を閉じる")).to_have_attribute(
        "aria-expanded", "true"
    )
    inside = "() => !!document.activeElement.closest('#resource-map-canvas')"
    been_inside = False
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(inside):
            been_inside = True
        elif been_inside:
            break
    assert been_inside, "the map's controls and markers are not reachable by keyboard"
    assert not page.evaluate(inside), "Tab never leaves the map"
    page.get_by_role("button", name="地図を閉じる").click()
    expect(page.locator("#resource-map-canvas")).to_be_hidden()
    expect(page.get_by_role("button", name="地図で見る")).to_be_visible()


def test_a_search_without_positions_says_so_and_fetches_no_tiles(new_context, town, local_tiles):
    context = new_context()
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.goto("/resources/?category=tasukeai&district=karube")
    expect(page.locator(".resource-card")).to_have_count(1)
    page.get_by_role("button", name="地図で見る").click()
    expect(page.locator(".resource-map__status")).to_contain_text("地図に表示できる場所")
    expect(page.locator("#resource-map-canvas")).to_be_hidden()
    assert not [url for url in requested if "layers.png" in url]
