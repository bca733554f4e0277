"""/accessibility/ is valid HTML, by the Nu Html Checker, with results to show and without,
at 特大 on black and with ふりがな, in one run of the checker."""

from tests.test_accessibility_page import sample_report
from tests.test_html_validity import LARGE_BLACK, check_pages, render_pages, vnu_command

PAGE = "/accessibility/"


def test_the_accessibility_page_is_valid_html(db, tmp_path, settings):
    command = vnu_command()
    settings.ACCESSIBILITY_REPORT = tmp_path / "report.json"
    written = render_pages([("accessibility-no-report", PAGE, {}, 200)], tmp_path)
    sample_report(settings.ACCESSIBILITY_REPORT, issues=1)
    written |= render_pages(
        [
            ("accessibility", PAGE, {}, 200),
            ("accessibility-xlarge-black", PAGE, LARGE_BLACK, 200),
            ("accessibility-furigana", PAGE, {**LARGE_BLACK, "furigana": "on"}, 200),
        ],
        tmp_path,
    )
    assert "<table" in (tmp_path / "accessibility.html").read_text()
    assert "<rt>" in (tmp_path / "accessibility-furigana.html").read_text()
    check_pages(command, tmp_path, written)
