"""The search page is valid HTML in every state, by the Nu Html Checker: empty,
with results of every kind, one kind's second page, nothing found, and refused."""

from django.test import Client

from tests.news.factories import PostFactory
from tests.search.world import WORD, build_world
from tests.test_html_validity import LARGE_BLACK, check_pages, vnu_command
from tests.test_salon_html_validity import Pages


def test_the_search_page_is_valid_html_in_every_state(db, tmp_path):
    command = vnu_command()
    build_world()
    for n in range(25):
        PostFactory(title=f"{WORD}のお知らせ{n}", body=f"今年の{WORD}は<b>盛況</b>でした & more")
    pages = Pages(tmp_path)
    client = Client()
    dark = Client()
    dark.cookies.load(LARGE_BLACK)
    cases = [
        ("empty", client, {}, "no query"),
        ("results", client, {"q": WORD}, "every kind"),
        ("results-xlarge-black", dark, {"q": WORD}, "every kind, 特大・黒"),
        ("kind-page-2", client, {"q": WORD, "kind": "posts", "page": "2"}, "one kind, page 2"),
        ("none", client, {"q": "どこにもない言葉"}, "nothing found"),
        ("too-long", client, {"q": "あ" * 400}, "a query too long"),
        ("too-many", client, {"q": "a b c d e f"}, "six terms"),
        ("markup", client, {"q": '"><script>alert(1)</script>'}, "markup typed"),
    ]
    for name, browser, params, what in cases:
        pages.add(name, browser.get("/search/", params), what)
    pages.add("home-with-header-form", client.get("/"), "the header's search form")
    check_pages(command, tmp_path, pages.written)
