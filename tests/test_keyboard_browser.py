"""Every widget of the kit, used with the keyboard alone, in a real JupyterLab.

Only the keys a keyboard user has are pressed: Tab, Shift+Tab, the arrows, Space and Enter (and
letters, to type a search). After every key press the test checks that focus is still inside the
widget and visibly marked: an outline (or the browser's own focus ring) whose colour stands out
from the background by at least 3:1 (WCAG 2.2, 1.4.11 non-text contrast). After a widget redraws
itself (Check, Decide, Next) focus must land on something useful, never on the page.

How a learner arrives at a widget (Tab from the cell above) is simulated by putting focus on the
widget's outer box, which is not itself in the tab order; every later move is a key press.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import a11y
import pytest
from lab import open_cells
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.browser]

NOTEBOOK = "keyboard/all-widgets.ipynb"
CELLS = (
    (
        "from powkit.quiz import Quiz, Scenario\n"
        "from powkit.status import StatusTree\n"
        "from powkit.browser import ConventionBrowser\n"
        "from powkit.case import CaseAnnotator\n"
        "from powkit import charts"
    ),
    "Quiz.from_bank('public-curiosity', seed=1)",
    "Scenario.from_id('press-officer')",
    "StatusTree()",
    "ConventionBrowser()",
    "CaseAnnotator()",
    "charts.ChartExplorer()",
)
# The widgets' outer boxes, in the order of the cells above.
QUIZ, SCENARIO, TREE, BROWSER, CASE, EXPLORER = (
    ".powkit-quiz",
    ".powkit-scenario",
    ".powkit-status",
    ".powkit-browser",
    ".powkit-case",
    ".powkit-chart-explorer",
)
MIN_FOCUS_CONTRAST = 3.0
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # ignored by git; for a person to look at

_FOCUS_STATE = """(root) => {
    const el = document.activeElement;
    if (!el || el === document.body) return {where: 'body'};
    const inside = root.contains(el);
    const s = getComputedStyle(el);
    // the colour behind the element: the first ancestor with an opaque background
    let bg = 'rgb(255, 255, 255)';
    for (let n = el; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
    }
    return {
        where: inside ? 'inside' : 'outside',
        tag: el.tagName.toLowerCase(), cls: String(el.className), text: (el.innerText || el.value || '').slice(0, 60),
        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
        outlineColor: s.outlineColor, boxShadow: s.boxShadow, background: bg,
        focusVisible: el.matches(':focus-visible'),
        visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
    };
}"""


@dataclass
class Keyboard:
    """A keyboard user on one widget: every press is followed by a check that focus is visible."""

    page: object
    root: str

    def enter(self) -> None:
        """Arrive at the widget: focus its outer box, as Tab from the cell above would reach it."""
        box = self.page.locator(self.root).first
        box.wait_for(timeout=60_000)
        box.scroll_into_view_if_needed()
        box.evaluate("(el) => { el.tabIndex = -1; el.focus(); }")

    def state(self) -> dict:
        return self.page.locator(self.root).first.evaluate(_FOCUS_STATE)

    def assert_focus_visible(self, after: str) -> dict:
        s = self.state()
        assert s["where"] == "inside", f"{self.root}: focus lost after {after}: {s}"
        assert s["visible"], f"{self.root}: focus on a hidden element after {after}: {s}"
        if s["outlineStyle"] == "auto" and s["focusVisible"]:
            return s  # the browser's own two-colour focus ring, visible on any background
        assert s["outlineStyle"] != "none" and s["outlineWidth"] >= 1, (
            f"{self.root}: no focus outline after {after}: {s}"
        )
        ratio = a11y.contrast(s["outlineColor"], s["background"])
        assert ratio >= MIN_FOCUS_CONTRAST, (
            f"{self.root}: focus outline {s['outlineColor']} on {s['background']} is "
            f"{ratio:.2f}:1 after {after}, below {MIN_FOCUS_CONTRAST}:1: {s}"
        )
        return s

    def press(self, key: str, redraws: bool = False) -> dict:
        """Press ``key``; unless it makes the widget redraw (then call :meth:`settle`), check
        that focus is still visible."""
        self.page.keyboard.press(key)
        if redraws:
            return {}
        self.page.wait_for_timeout(50)
        return self.assert_focus_visible(key)

    def tab_to(self, selector: str, text: str = "", limit: int = 40) -> dict:
        """Press Tab, or Shift+Tab if the target comes earlier on the page, until the focused
        element matches ``selector`` (and, if given, shows ``text``: buttons are found by their
        name, as a person finds them)."""
        backwards = self.page.evaluate(
            """([root, sel, text]) => {
                const box = document.querySelector(root);
                const target = Array.from(box.querySelectorAll(sel))
                    .find(el => !text || el.innerText.trim() === text);
                const here = document.activeElement;
                if (!target || here === box || !box.contains(here)) return false;
                return !!(here.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
            }""",
            [self.root, selector, text],
        )
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(limit):
            s = self.press(key)
            if self.page.evaluate(
                "([sel, text]) => { const el = document.activeElement;"
                " return el.matches(sel) && (!text || el.innerText.trim() === text); }",
                [selector, text],
            ):
                return s
        raise AssertionError(
            f"{self.root}: {limit} presses of {key} never reached {selector} {text!r}"
        )

    def snapshot(self, name: str) -> None:
        """A picture of the focused control and what is around it (tests/artifacts/)."""
        box = self.page.evaluate(
            "() => { const r = document.activeElement.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"focus-{name}.png"),
            clip={
                "x": max(box["x"] - 120, 0),
                "y": max(box["y"] - 80, 0),
                "width": box["width"] + 240,
                "height": box["height"] + 160,
            },
        )

    def settle(self, js_condition: str, after: str, timeout_ms: int = 20_000) -> dict:
        """Wait for the kernel's redraw, then check focus survived it."""
        self.page.wait_for_function(js_condition, timeout=timeout_ms, polling=100)
        # the kernel's messages arrive one after another: the new content, then the focus move
        # (if it never arrives, the assertion below says where focus went instead)
        with contextlib.suppress(PlaywrightError):
            self.page.locator(self.root).first.evaluate(
                """(root) => new Promise((done, fail) => {
                    const start = Date.now();
                    const poll = () => root.contains(document.activeElement) ? done(true)
                        : Date.now() - start > 5000 ? fail('timeout') : setTimeout(poll, 50);
                    poll();
                })"""
            )
        self.page.wait_for_timeout(100)
        return self.assert_focus_visible(after)


@pytest.fixture(scope="module")
def widgets_page(lab, _chromium):
    context, lab_page = open_cells(lab, _chromium, NOTEBOOK, CELLS)
    yield lab_page.page
    context.close()


def test_quiz_question_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, QUIZ)
    keys.enter()
    keys.tab_to(f"{QUIZ} .powkit-option input")
    keys.press("Space")  # choose the focused option
    keys.press("ArrowDown")  # arrows move the choice within the group
    keys.tab_to(f"{QUIZ} button", "Check")
    keys.press("Enter", redraws=True)
    s = keys.settle(
        f"() => document.querySelector('{QUIZ} .powkit-feedback [role=status]')",
        after="Check",
    )
    # after Check, focus is on the feedback or on Next, not lost with the disabled Check button
    keys.snapshot("quiz-after-check")
    on_next = s["tag"] == "button" and s["text"].strip() == "Next"
    assert on_next or "powkit-feedback" in s["cls"], s
    feedback = page.locator(f"{QUIZ} .powkit-feedback").first.inner_text()
    assert "Right." in feedback or "Not quite." in feedback
    if not on_next:
        keys.tab_to(f"{QUIZ} button", "Next")
    keys.press("Enter", redraws=True)
    s = keys.settle(
        f"() => document.querySelector('{QUIZ} .powkit-header').innerText.includes('Question 2')",
        after="Next",
    )
    # the next question's first option is where a learner goes on
    assert s["tag"] == "input" or "powkit" in s["cls"], s


def test_scenario_to_an_ending_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, SCENARIO)
    keys.enter()
    ended = f"() => !!document.querySelector('{SCENARIO} .powkit-outcome')"
    for step in range(1, 12):
        keys.tab_to(f"{SCENARIO} .powkit-option input")
        keys.press("Space")
        keys.tab_to(f"{SCENARIO} button", "Decide")
        keys.press("Enter", redraws=True)
        keys.settle(
            f"() => document.querySelectorAll('{SCENARIO} .powkit-path li').length === {step}",
            after=f"Decide (step {step})",
        )
        if page.evaluate(ended):
            break
    else:
        raise AssertionError("the press-officer scenario never reached an ending by keyboard")
    outcome = page.locator(f"{SCENARIO} .powkit-outcome").first.inner_text()
    assert outcome.startswith("Outcome:"), outcome


def test_status_tree_to_an_outcome_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, TREE)
    keys.enter()
    for step in range(1, 15):
        # "No" at every question: the walk still ends at an outcome
        keys.tab_to(f"{TREE} button", "No")
        keys.press("Space")
        keys.tab_to(f"{TREE} button", "Next")
        keys.press("Enter", redraws=True)
        keys.settle(
            f"() => document.querySelectorAll('{TREE} .powkit-status-path li').length === {step}",
            after=f"Next (question {step})",
        )
        if page.locator(f"{TREE} .powkit-status-outcome [role=status]").count():
            break
    else:
        raise AssertionError("the status tree never reached an outcome by keyboard")
    assert "Outcome:" in page.locator(f"{TREE} .powkit-status-outcome").first.inner_text()


def test_convention_browser_search_and_article_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, BROWSER)
    keys.enter()
    keys.tab_to(f"{BROWSER} .powkit-browser-query input")
    page.keyboard.type("public curiosity")
    keys.settle(
        f"() => document.querySelectorAll('{BROWSER} .powkit-browser-results option').length > 0",
        after="typing a search",
    )
    shown = f"{BROWSER} .powkit-browser-view [role=article]"
    first = page.locator(shown).first.get_attribute("aria-label")
    keys.tab_to(f"{BROWSER} .powkit-browser-results select")
    keys.press("ArrowDown")  # the second result: the article view follows
    keys.settle(
        f"(a) => document.querySelector('{shown}').getAttribute('aria-label') !== {first!r}",
        after="choosing a result",
    )
    assert page.locator(shown).first.inner_text().strip()


def test_case_annotator_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, CASE)
    keys.enter()
    keys.tab_to(f"{CASE} .powkit-case-picker select")
    before = page.locator(f"{CASE} .powkit-case-statement").first.inner_text()
    keys.press("ArrowDown")
    keys.settle(
        f"(b) => document.querySelector('{CASE} .powkit-case-statement').innerText !== {before!r}",
        after="moving to the next statement",
    )
    assert page.locator(f"{CASE} .powkit-case-articles blockquote").count() > 0


def test_chart_explorer_filters_by_keyboard(widgets_page):
    page = widgets_page
    keys = Keyboard(page, EXPLORER)
    keys.enter()
    caption = f"{EXPLORER} .powkit-explorer-caption"
    before = page.locator(caption).first.inner_text()
    keys.tab_to(f"{EXPLORER} select")
    keys.press("ArrowDown")  # a closed <select> takes the next option from the arrow key
    s = keys.settle(
        f"() => document.querySelector('{caption}').innerText !== {before!r}",
        after="changing a filter",
    )
    assert s["tag"] == "select", s
    keys.snapshot("explorer-filter")
    keys.tab_to(f"{EXPLORER} button", "Reset filters")
    keys.press("Enter", redraws=True)
    keys.settle(
        f"() => document.querySelector('{caption}').innerText === {before!r}",
        after="Reset filters",
    )
