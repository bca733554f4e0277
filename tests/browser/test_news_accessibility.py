"""axe-core (WCAG 2.1 A and AA) on every news, event and 社協だより page, in each 背景色
and at 特大; one h1 and a title of its own on each; the registration form in its
error state and the confirmation that follows."""

import pytest

from tests.browser.test_accessibility import (
    RUN_AXE,
    assert_no_axe_violations,
    axe_options,
    describe,
    show_in,
)
from tests.news.scenario import build_news, public_pages

pytestmark = pytest.mark.browser


@pytest.fixture
def news(transactional_db):
    news = build_news()
    news.pages = [path for _name, path in public_pages(news)]
    return news


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
def test_news_pages_have_no_axe_violations(theme, size, axe_context, live_server, news):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(axe_context.new_page(), news.pages, theme=theme, size=size)


def test_every_news_page_has_one_h1_and_a_title_of_its_own(page, news):
    titles = {}
    for path in news.pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), f"{path} has no title of its own: {title!r}"
        titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


@pytest.mark.parametrize(("theme", "size"), [("white", "standard"), ("black", "xlarge")])
def test_the_registration_form_with_errors_and_its_confirmation(
    theme, size, axe_context, live_server, news
):
    show_in(axe_context, live_server, theme=theme, size=size)
    page = axe_context.new_page()
    page.goto(f"/events/{news.signup.pk}/register/")
    page.get_by_label("人数").fill("たくさん")
    page.get_by_role("button", name="申し込む").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.locator("main .field--error").count() >= 4
    for control in page.locator("main .field--error input:not([type=hidden])").all():
        assert control.get_attribute("aria-invalid") == "true"
    violations = {"form with errors": page.evaluate(RUN_AXE, axe_options(theme, size))}

    page.get_by_label("氏名").fill("髙橋 花子")
    page.get_by_label("よみがな").fill("たかはし はなこ")
    page.get_by_label("電話番号").fill("090-0000-1234")
    page.get_by_label("人数").fill("1")
    page.get_by_label("個人情報の利用目的に同意します").check()
    with page.expect_navigation():
        page.get_by_role("button", name="申し込む").click()
    assert page.locator("h1").inner_text() == "申込を受け付けました"
    violations["confirmation"] = page.evaluate(RUN_AXE, axe_options(theme, size))
    violations = {where: found for where, found in violations.items() if found}
    assert not violations, describe(violations)
