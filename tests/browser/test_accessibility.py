"""axe-core audit of every view and an embedded chart, on a desktop and a phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = ["/overview", "/corruption", "/governance", "/economy", "/embed/cpi"]
WIDTHS = [1440, 375]
BLOCKING = ("critical", "serious")


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _open(browser, base_url, path: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base_url + path)
    if path.startswith("/embed/"):
        page.wait_for_selector("#chart .main-svg", timeout=30000)
    else:
        page.wait_for_selector("#view-content > *", timeout=20000)
        if path != "/overview":
            page.wait_for_selector(".chart-graph .main-svg", timeout=30000)
        # the controls are named by assets/a11y.js once Dash has rendered them; on phones
        # they are in the folded settings panel: unfolded, so that they are audited too
        page.wait_for_selector("#year-range-label", state="attached", timeout=10000)
        if not page.locator("#settings").evaluate("d => d.open"):
            page.click("#settings > summary")
        page.wait_for_selector("#year-range-label", timeout=10000)
    return context, page


def _blocking(axe, page) -> list[str]:
    violations = axe.run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']} ({len(v['nodes'])}): "
        + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_no_critical_or_serious_violations(browser, base_url, axe, path, width):
    context, page = _open(browser, base_url, path, width)
    try:
        found = _blocking(axe, page)
        assert found == [], "\n".join(found)
    finally:
        context.close()


def test_open_dropdown_and_changed_radio_stay_clean(browser, base_url, axe):
    """The search box of an open dropdown is named; choosing a radio keeps the group clean
    (React writes aria-selected again on a change, which assets/a11y.js removes)."""
    context, page = _open(browser, base_url, "/corruption", 1440)
    try:
        page.click("#peer-mode label:not(.selected)")
        page.wait_for_selector("#peer-mode label.selected[data-option-index='1']")
        page.click("#focus-country")
        page.locator(".dash-dropdown-content").wait_for(state="visible", timeout=10000)
        found = _blocking(axe, page)
        assert found == [], "\n".join(found)
    finally:
        context.close()


def test_charts_and_controls_have_names(browser, base_url):
    context, page = _open(browser, base_url, "/governance", 1440)
    try:
        figures = page.evaluate(
            """() => [...document.querySelectorAll('.chart-figure')].map(f => [
                f.getAttribute('role'),
                document.getElementById(f.getAttribute('aria-labelledby')).textContent,
                document.getElementById(f.getAttribute('aria-describedby')).textContent,
            ])"""
        )
        assert figures and all(role == "figure" for role, _, _ in figures)
        assert all(name and len(alt) > len(name) for _, name, alt in figures), figures
        assert page.get_attribute("html", "lang") == "en"
        group = page.locator("#peer-mode")
        assert group.get_attribute("role") == "radiogroup"
        assert group.get_attribute("aria-labelledby") == "peer-mode-label"
        names = page.eval_on_selector_all(
            "#year-range input", "els => els.map(e => e.getAttribute('aria-label'))"
        )
        assert len(names) == 2 and all(names), names
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_opened_details_stay_clean(browser, base_url, axe, width):
    """Downloads, sources, the embed code box and the data table, all opened."""
    context, page = _open(browser, base_url, "/corruption", width)
    try:
        for summary in page.query_selector_all(".chart-card details summary"):
            summary.click()
        page.wait_for_selector(".chart-table .table-scroll table", timeout=10000)
        found = _blocking(axe, page)
        assert found == [], "\n".join(found)
    finally:
        context.close()


FOCUSED = """() => {
    const e = document.activeElement, s = getComputedStyle(e);
    if (e === document.body) return ['(the page)', true];  // between the last control and the first
    const control = e.closest('.control');
    const name = control ? control.id : e.getAttribute('aria-label') || e.id || e.textContent;
    const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    return [name.trim().slice(0, 40), ring];
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_reaches_every_control_with_a_visible_focus(browser, base_url, width):
    context, page = _open(browser, base_url, "/corruption", width)
    try:
        page.focus("#nav-overview")
        reached = {}
        for _ in range(80):
            page.keyboard.press("Tab")
            name, ring = page.evaluate(FOCUSED)
            reached[name] = reached.get(name, True) and ring
            if name == "nav-overview":
                break  # round the page once
        controls = [
            "focus-country-control",
            "peer-group-control",
            "peer-mode-control",
            "year-range-control",
            "show-events-control",
            "cpi-measure-control",
        ]
        shares = ["Share this view", "Share the chart Corruption Perceptions I"]
        for name in ["nav-overview", *controls, *shares]:
            assert name in reached, (name, list(reached))
        faint = [name for name, ring in reached.items() if not ring]
        assert faint == [], (faint, reached)
        summary = next(n for n in reached if n.startswith("Settings:"))
        assert "Kazakhstan vs Central Asia" in summary
    finally:
        context.close()
