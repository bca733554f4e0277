"""axe-core (WCAG 2.1 A and AA) on every public page, in each 背景色 and at 特大.

One test per theme and size visits every page in one context, so a failure
lists every page that fails at once, and the browser and server start once.

Every rule once, the colour and size rules in every display
-----------------------------------------------------------
The 背景色 and 文字サイズ change nothing but CSS. base.html puts
``theme-<name> size-<name>`` on <html>; site.css gives each theme only its
colour custom properties (--bg, --text, --link, …) and each size only the root
font-size; the display controls mark the chosen chip aria-current="true" (a
valid state on any of those links). No script reads the choice. So the
document, its roles, names, attributes and what is hidden are the same in
every theme and size, and so is every structural rule's verdict (labels, names,
ARIA, lists, landmarks, lang, …). What a theme or size can change is what
depends on colours and on the laid-out size of things:

- color-contrast (colours; and 18pt/14pt-bold "large text" depends on size),
- link-in-text-block (a link's colour against the text around it),
- scrollable-region-focusable (what overflows depends on the text size),
- target-size and color-contrast-enhanced, for when the tags ever reach
  WCAG 2.2 or AAA: a rule runs only if the tags below select it.

So each page runs every rule of the tags in the default look (白, 標準), and in
the other themes and sizes these DISPLAY_RULES only. ふりがな changes the
document itself (ruby elements in headings, links, labels), so a run with
ふりがな on runs every rule, in whatever theme and size. Each run tells the
report which rules it ran (tests/a11y_report.py).
"""

import pytest

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DEFAULT_THEME, DEFAULT_SIZE = "white", "standard"
# The rules whose verdict can depend on colours or sizes (see the docstring).
DISPLAY_RULES = [
    "color-contrast",
    "color-contrast-enhanced",
    "link-in-text-block",
    "scrollable-region-focusable",
    "target-size",
]
# What RUN_AXE takes: every rule of the tags, or only the display rules among them.
AXE_OPTIONS = {"tags": WCAG_TAGS, "rules": None}
DISPLAY_AXE_OPTIONS = {"tags": WCAG_TAGS, "rules": DISPLAY_RULES}
RUN_AXE = """async ({tags, rules}) => {
    // Every rule of the tags; or, given `rules`, only those of them (the display rules).
    const tagged = axe.getRules(tags).map((rule) => rule.ruleId);
    const only = rules && tagged.filter((id) => rules.includes(id));
    if (only && !only.length) {
        throw new Error(`none of ${rules} is among the rules tagged ${tags}`);
    }
    const options = {
        runOnly: only ? {type: "rule", values: only} : {type: "tag", values: tags},
        resultTypes: ["violations"],
    };
    const results = await axe.run(document, options);
    // What was checked, for the report /accessibility/ shows (tests/a11y_report.py):
    // the binding is there in every axe_context page (tests/browser/conftest.py).
    if (window.a11yRecord) {
        await window.a11yRecord({
            url: location.href,
            title: document.title,
            classes: [...document.documentElement.classList],
            tags: tags,
            rules: only || null,
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


def axe_options(theme, size, furigana="off"):
    """Every rule in the default look and whenever ふりがな is on; else the display rules."""
    if furigana == "on" or (theme, size) == (DEFAULT_THEME, DEFAULT_SIZE):
        return AXE_OPTIONS
    return DISPLAY_AXE_OPTIONS


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
        violations = page.evaluate(RUN_AXE, axe_options(theme, size))
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
        violations = page.evaluate(RUN_AXE, axe_options(theme, size))
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
