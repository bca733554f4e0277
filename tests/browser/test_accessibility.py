"""axe-core (WCAG 2.1 A and AA) on every public page, in each 背景色 and at 特大.

One test per theme and size visits every page in one context, so a failure
lists every page that fails at once, and the browser and server start once.
"""

import pytest

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
RUN_AXE = """async (options) => {
    const results = await axe.run(document, options);
    // What was checked, for the report /accessibility/ shows (tests/a11y_report.py):
    // the binding is there in every axe_context page (tests/browser/conftest.py).
    if (window.a11yRecord) {
        await window.a11yRecord({
            url: location.href,
            title: document.title,
            classes: [...document.documentElement.classList],
            tags: options.runOnly.values,
            axeVersion: axe.version,
            issues: results.violations.reduce((count, v) => count + v.nodes.length, 0),
        });
    }
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
            target: n.target.map(String),
            html: n.html,
            failureSummary: n.failureSummary || "",
        })),
    }));
}"""
NODES_SHOWN = 3


def one_line(failure_summary):
    """axe's "Fix any of the following:" and one line per way to fix it, on one line."""
    lead, *fixes = [line.strip() for line in failure_summary.splitlines()] or [""]
    return f"{lead} {'; '.join(fix for fix in fixes if fix)}"


def describe(violations_by_page):
    lines = []
    for path, violations in violations_by_page.items():
        lines.append(f"{path}:")
        for violation in violations:
            lines.append(
                f"  {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"][:NODES_SHOWN]:
                lines.append(f"    {', '.join(node['target'])}  {node['html'][:120]}")
                lines.append(f"      {one_line(node['failureSummary'])}")
            if len(violation["nodes"]) > NODES_SHOWN:
                lines.append(f"    … and {len(violation['nodes']) - NODES_SHOWN} more elements")
    return "\n".join(lines)


def show_in(context, live_server, *, theme, size):
    """Every page of this browser context in the given 背景色 and 文字サイズ."""
    context.add_cookies(
        [
            {"name": "theme", "value": theme, "url": live_server.url},
            {"name": "text_size", "value": size, "url": live_server.url},
        ]
    )


def assert_no_axe_violations(page, paths, *, theme, size):
    """Each page answers 200 in the theme and size asked for, and axe finds nothing;
    a failure lists every page that fails at once."""
    violations_by_page = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        # The cookies took: this is the theme and size under test.
        classes = page.evaluate("[...document.documentElement.classList]")
        assert {f"size-{size}", f"theme-{theme}"} <= set(classes), path
        violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
        if violations:
            violations_by_page[path] = violations
    assert not violations_by_page, (
        f"axe violations in 背景色 {theme}, 文字サイズ {size}:\n{describe(violations_by_page)}"
    )


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
def test_public_pages_have_no_axe_violations(theme, size, axe_context, live_server, portal):
    axe_context.add_cookies(
        [
            {"name": "theme", "value": theme, "url": live_server.url},
            {"name": "text_size", "value": size, "url": live_server.url},
        ]
    )
    page = axe_context.new_page()
    violations_by_page = {}
    for path, status in portal.pages:
        response = page.goto(path)
        assert response.status == status, path
        # The cookies took: this is the theme and size under test.
        classes = page.evaluate("[...document.documentElement.classList]")
        assert {f"size-{size}", f"theme-{theme}"} <= set(classes), path
        violations = page.evaluate(RUN_AXE, AXE_OPTIONS)
        if violations:
            violations_by_page[path] = violations
    assert not violations_by_page, (
        f"axe violations in 背景色 {theme}, 文字サイズ {size}:\n{describe(violations_by_page)}"
    )


def test_every_page_has_one_h1_and_a_title_of_its_own(page, portal):
    titles = {}
    for path, _status in portal.pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), f"{path} has no title of its own: {title!r}"
        titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"
