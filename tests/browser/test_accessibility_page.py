"""axe-core on /accessibility/ with its results table, in 白 and 黒, at 標準 and 特大 and
with ふりがな; one h1 and the page's own title; the table's scroll region by keyboard."""

import pytest

from tests.browser.test_accessibility import RUN_AXE, axe_options, describe
from tests.test_accessibility_page import sample_report

pytestmark = pytest.mark.browser


@pytest.fixture
def report(transactional_db, settings, tmp_path):
    settings.ACCESSIBILITY_REPORT = tmp_path / "report.json"
    return sample_report(settings.ACCESSIBILITY_REPORT, extra_pages=30)


@pytest.mark.parametrize(
    ("theme", "size", "furigana"),
    [
        ("white", "standard", "off"),
        ("black", "standard", "off"),
        ("white", "xlarge", "off"),
        ("black", "xlarge", "on"),
    ],
)
def test_the_accessibility_page_has_no_axe_violations(
    theme, size, furigana, axe_context, live_server, report
):
    axe_context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in {"theme": theme, "text_size": size, "furigana": furigana}.items()
        ]
    )
    page = axe_context.new_page()
    assert page.goto("/accessibility/").status == 200
    classes = set(page.evaluate("[...document.documentElement.classList]"))
    assert {f"size-{size}", f"theme-{theme}"} <= classes
    # The results table is there (with ふりがな its name carries readings, so by tag).
    assert page.locator("main table caption").count() == 1
    violations = page.evaluate(RUN_AXE, axe_options(theme, size, furigana))
    assert not violations, describe({"/accessibility/": violations})


def test_one_h1_a_title_of_its_own_and_a_table_reachable_by_keyboard(page, report):
    page.goto("/accessibility/")
    assert page.locator("h1").count() == 1
    assert page.title().startswith("ウェブアクセシビリティ方針｜")
    region = page.get_by_role("region", name="ページごとの検査結果")
    region.focus()
    assert region.evaluate("(element) => element === document.activeElement")
    assert page.get_by_role("link", name="お問合せ窓口").get_attribute("href") == "/contact/"
