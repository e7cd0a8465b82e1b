"""What a screen reader gets from the kit's widgets, checked in the page itself.

A screen reader reads the accessibility tree that the browser builds from the DOM, so the
checks are made there, in a real JupyterLab: every control has an accessible name (computed by
axe-core, as assistive technology computes it), verdicts and feedback are announced (a live
region with aria-live="polite"), symbols (●●○, ✓, ✗) are hidden from speech and have words
beside them, and every chart has alternative text that states its figures, with the figures as
a table one click away.

What this cannot check: how a particular screen reader phrases or times an announcement.
docs/accessibility.md lists that among the known limits.
"""

from __future__ import annotations

import re

import a11y
import pytest
from lab import open_cells

pytestmark = [pytest.mark.browser]

NOTEBOOK = "screen-reader/widgets.ipynb"
CELLS = (
    (
        "from powkit.quiz import Quiz, Scenario\n"
        "from powkit.status import StatusTree\n"
        "from powkit.browser import ConventionBrowser, FindTheRule\n"
        "from powkit.case import CaseAnnotator\n"
        "from powkit import charts"
    ),
    "quiz = Quiz.from_bank('public-curiosity', seed=3)\nquiz",
    "scenario = Scenario.from_id('press-officer')\nscenario",
    "tree = StatusTree()\ntree",
    "ConventionBrowser()",
    "FindTheRule('Which paragraph protects prisoners against public curiosity?', answer='GCIII 13(2)')",
    "CaseAnnotator()",
    "charts.ChartExplorer()",
    "charts.show(charts.returned_over_time())",
)
ROOTS = (
    ".powkit-quiz",
    ".powkit-scenario",
    ".powkit-status",
    ".powkit-browser",
    ".powkit-case",
    ".powkit-chart-explorer",
)
SYMBOLS = "\u25cf\u25cb\u2713\u2714\u2717\u2718"  # ● ○ ✓ ✔ ✗ ✘


@pytest.fixture(scope="module")
def page(lab, _chromium):
    context, lab_page = open_cells(lab, _chromium, NOTEBOOK, CELLS)
    tab = lab_page.page
    for root in ROOTS:
        tab.locator(root).first.wait_for(timeout=60_000)
    tab.add_script_tag(content=a11y.axe_path().read_text(encoding="utf-8"))
    yield tab
    context.close()


@pytest.fixture(scope="module", autouse=True)
def _needs_axe():
    a11y.require_axe()


def _answer_quiz_and_walk(page) -> None:
    """Check one quiz answer, take one scenario decision, answer one tree question (by clicks:
    the keyboard test covers keys), so that feedback of every kind is on the page."""
    quiz = page.locator(".powkit-quiz").first
    quiz.locator(".powkit-option input").first.check()
    page.wait_for_timeout(200)
    quiz.get_by_role("button", name="Check").click()
    quiz.locator(".powkit-verdict-right, .powkit-verdict-wrong").first.wait_for()
    scenario = page.locator(".powkit-scenario").first
    scenario.locator(".powkit-option input").first.check()
    page.wait_for_timeout(200)
    scenario.get_by_role("button", name="Decide").click()
    scenario.locator(".powkit-path li").first.wait_for()
    tree = page.locator(".powkit-status").first
    tree.get_by_role("button", name="No", exact=True).click()
    page.wait_for_timeout(200)
    tree.get_by_role("button", name="Next").click()
    tree.locator(".powkit-status-path li").first.wait_for()
    rule = page.locator(".powkit-rule").first
    rule.locator("input").first.fill("GCIII 13(2)")
    rule.get_by_role("button").first.click()
    rule.locator(".powkit-rule-feedback", has_text="Right").first.wait_for()


def test_every_control_has_an_accessible_name(page):
    nameless = page.evaluate(
        """(roots) => {
            window.axe.setup(document);  // the accessibility tree axe computes names from
            try {
                return roots.flatMap(root => Array.from(document.querySelectorAll(
                      root + ' :is(button, input, select, textarea, [role=button], [role=slider])'))
                    .filter(el => el.offsetParent !== null)
                    .filter(el => !window.axe.commons.text.accessibleText(el).trim())
                    .map(el => root + ': ' + el.outerHTML.slice(0, 160)));
            } finally { window.axe.teardown(); }
        }""",
        list(ROOTS),
    )
    assert not nameless, "controls without an accessible name:\n" + "\n".join(nameless)


def test_feedback_is_announced_in_a_polite_live_region(page):
    _answer_quiz_and_walk(page)
    regions = {
        "quiz verdict": ".powkit-quiz .powkit-feedback",
        "quiz score": ".powkit-quiz .powkit-score",
        "scenario feedback": ".powkit-scenario .powkit-feedback",
        "status tree question": ".powkit-status .powkit-status-question",
        "explorer caption": ".powkit-chart-explorer .powkit-explorer-caption",
        "find-the-rule feedback": ".powkit-rule-feedback",
    }
    silent = []
    for name, selector in regions.items():
        live = page.locator(selector).first.evaluate(
            """(el) => {
                // the region itself or an element inside it that wraps its words
                const candidates = [el, ...el.querySelectorAll('[aria-live]')];
                return candidates.some(c => c.getAttribute('aria-live') === 'polite');
            }"""
        )
        if not live:
            silent.append(f"{name} ({selector})")
    assert not silent, "feedback a screen reader would not announce: " + ", ".join(silent)


def test_symbols_are_hidden_from_speech_and_have_words(page):
    problems = page.evaluate(
        """([roots, symbols]) => {
            window.axe.setup(document);
            const out = [];
            for (const root of roots) for (const box of document.querySelectorAll(root)) {
                const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    if (![...n.textContent].some(ch => symbols.includes(ch))) continue;
                    const hidden = n.parentElement.closest('[aria-hidden=true]');
                    const block = n.parentElement.closest('p, li, div, span:not([aria-hidden])');
                    const words = block ? window.axe.commons.text.accessibleText(block)
                                          .replace(/[^A-Za-z]/g, '') : '';
                    if (!hidden || !words)
                        out.push(root + ': ' + JSON.stringify(n.parentElement.outerHTML.slice(0, 160)));
                }
            }
            window.axe.teardown();
            return out;
        }""",
        [list(ROOTS), SYMBOLS],
    )
    assert not problems, "symbols read out as symbols, or without words:\n" + "\n".join(problems)


def _figures_in(text: str) -> list[str]:
    return re.findall(r"\d[\d,]*", text)


def test_charts_state_their_figures_and_offer_a_table(page):
    images = page.locator(
        ".powkit-chart-explorer img, figure.powkit-chart img, .jp-OutputArea-output img"
    )
    assert images.count() >= 2
    for i in range(images.count()):
        alt = images.nth(i).get_attribute("alt") or ""
        assert len(_figures_in(alt)) >= 2, f"chart {i}: alt text states no figures: {alt!r}"
    # the figures as a table, one click (or Enter) away from each chart
    for chart in (".powkit-chart-explorer", "figure.powkit-chart"):
        box = page.locator(chart).first
        opener = box.locator("summary, button", has_text=re.compile("table", re.IGNORECASE)).first
        opener.click()
        table = box.locator("table").first
        table.wait_for(state="visible", timeout=15_000)
        assert table.locator("th").count() >= 2 and table.locator("tbody tr").count() >= 1
