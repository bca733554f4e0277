"""Every 協議体 page is valid HTML, by the Nu Html Checker (vnu.jar), in one run.

The pages come from tests/councils/scenario.py, which reaches every branch of
the templates: both layers, a district chosen or unknown, coming dates
registered and expected, every state of a meeting, the annual plan's table and
its phone version, the archive's second page, the district page's section.
"""

from django.test import Client

from tests.councils.scenario import (
    build_councils,
    build_known_in_part,
    known_in_part_pages,
    public_pages,
)
from tests.test_html_validity import LARGE_BLACK, check_pages, vnu_command


def render(folder, pages, cookies=None):
    written = {}
    client = Client()
    client.cookies.load(cookies or {})
    for name, path in pages:
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        (folder / f"{name}.html").write_bytes(response.content)
        written[f"{name}.html"] = f"{path} {cookies or ''}".strip()
    return written


def test_council_pages_are_valid_html(db, tmp_path):
    command = vnu_command()
    written = render(tmp_path, [("councils-empty", "/councils/")])
    world = build_councils()
    pages = public_pages(world) + known_in_part_pages(build_known_in_part(world.office))
    written |= render(tmp_path, pages)
    large = [(f"{name}-xlarge-black", path) for name, path in pages if "council" in name][:4]
    written |= render(tmp_path, large, LARGE_BLACK)
    check_pages(command, tmp_path, written)
