"""Reading public pages as anonymous readers do, for the page cache's tests: each
request from a fresh client, so no cookie makes a page someone's own."""

import datetime
from zoneinfo import ZoneInfo

from django.test import Client

HEADER = "X-Page-Cache"
TOKYO = ZoneInfo("Asia/Tokyo")


def get(url: str):
    return Client().get(url)


def cached(url: str) -> str:
    """Build the page, then show the next reader is served the kept copy; its text.

    A write that follows can only show through a page already kept, so each
    test starts from here rather than from a page the cache never held."""
    built = get(url)
    assert built.status_code == 200, url
    again = get(url)
    assert again[HEADER] == "hit", f"{url} was not kept: {again.get(HEADER)}"
    assert again.content == built.content, url
    return again.content.decode()


def fresh(url: str) -> str:
    """The page as the next reader gets it, built anew; its text."""
    page = get(url)
    assert page.status_code == 200, url
    assert page[HEADER] == "miss", f"{url} came from the cache: {page.get(HEADER)}"
    return page.content.decode()


def main(html: str) -> str:
    """The page's own content, without the shell (menu, footer, banners)."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


class Clock:
    """timezone.now, held at one moment until a test moves it.

    A kept page is served only within the minute it was built in; a clock
    that moved on its own could end that minute between two requests and
    make a stale page look fresh, so every verdict here is made on this one."""

    def __init__(self, monkeypatch, moment: datetime.datetime):
        self.set(moment)
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.moment)

    def set(self, moment: datetime.datetime) -> None:
        self.moment = moment.astimezone(datetime.UTC)
