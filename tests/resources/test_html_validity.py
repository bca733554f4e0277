"""The 地域資源マップ pages are valid HTML in every state, by the Nu Html Checker (vnu.jar).

The list plain, filtered, empty, with bad filters, on a later page and with the
map turned off; each kind of resource page; before anything is entered. The
pages are rendered with the test client and checked in one run of the checker.
"""

from django.test import Client

from tests.factories import OfficeFactory
from tests.resources.world import add_many, build_town
from tests.test_html_validity import LARGE_BLACK, check_pages, vnu_command


class Pages:
    """Writes each rendered page to the folder and remembers what it was."""

    def __init__(self, folder):
        self.folder = folder
        self.written = {}

    def add(self, name, path, cookies=None, status=200):
        client = Client()
        client.cookies.load(cookies or {})
        response = client.get(path)
        assert response.status_code == status, f"{name} ({path}): {response.status_code}"
        (self.folder / f"{name}.html").write_bytes(response.content)
        self.written[f"{name}.html"] = f"{path} {cookies or ''}".strip()
        return response.content.decode()


def test_resource_pages_are_valid_html(db, tmp_path, settings):
    command = vnu_command()
    pages = Pages(tmp_path)
    pages.add("fresh-resources", "/resources/")
    town = build_town()
    add_many(town, 30)
    r = town.resources
    pages.add("resources", "/resources/")
    pages.add("resources-xlarge-black", "/resources/", LARGE_BLACK)
    pages.add("resources-page-2", "/resources/?page=2")
    pages.add(
        "resources-filtered",
        "/resources/?category=salon&category=kayoi&scene=kenko&district=kiyone",
    )
    pages.add("resources-none-found", "/resources/?category=kayoi&district=soja")
    html = pages.add(
        "resources-bad-filters",
        "/resources/?category=nope&scene=" + "x" * 300 + "&district=hidden&page=abc",
    )
    assert "error-summary" in html
    pages.add("resource-help-service", r.niko.get_absolute_url())
    pages.add("resource-help-service-xlarge-black", r.niko.get_absolute_url(), LARGE_BLACK)
    r.kayoi_kiyone.salons.set([town.salons.taiso, town.salons.tea])
    pages.add("resource-place", r.kayoi_kiyone.get_absolute_url())
    # The salon page, with the resources that stop at its venue.
    pages.add("salon-with-resources", town.salons.taiso.get_absolute_url())
    pages.add("resource-office-contact", r.kayoi_karube.get_absolute_url())
    OfficeFactory(name="総務課")
    pages.add("resource-site-offices", r.haishoku.get_absolute_url())
    pages.add("resource-not-found", r.private.get_absolute_url(), status=404)
    settings.MAP_TILE_URL = ""
    html = pages.add("resources-no-map", "/resources/")
    assert 'id="resource-map"' not in html
    check_pages(command, tmp_path, pages.written)
