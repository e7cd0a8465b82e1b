"""The course site (JupyterLite) for keyboard and screen-reader users, in a real browser.

The same checks as in JupyterLab (test_accessibility_browser.py, test_keyboard_browser.py,
test_shortcuts.py), where the site differs from JupyterLab: its own start page, an older
JupyterLab (4.4, inside JupyterLite) with the kit's settings baked into ``jupyter-lite.json``
rather than read by a server, and Python running in the browser.

- The start page (``index.html``, written by ``powkit build-site``) and one lesson, audited with
  axe-core's WCAG 2.0/2.1/2.2 A and AA rules; a serious or critical violation fails.
- No single-key JupyterLab shortcut fires on a control in a lesson's output, and the arrow keys
  move a choice within a radio group instead of moving between cells.
- One quiz question with the keyboard alone (Tab, Shift+Tab, the arrows, Space, Enter), focus
  visible after every key press and kept after Check and Next.

Uses the offline site the other site tests use (built once, served on 127.0.0.1; ``conftest.py``)
and a browser profile of its own. Skipped with a reason where Chromium, the site tools, npm or
axe-core are missing; failing instead under CI.
"""

from __future__ import annotations

from pathlib import Path

import a11y
import pytest
import site_harness
from test_accessibility_browser import AUDITED, audit_notebook
from test_keyboard_browser import QUIZ, Keyboard
from test_shortcuts import _FIRING

pytestmark = pytest.mark.browser

LESSON = "notebooks/04-public-curiosity.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "site"


@pytest.fixture(scope="module")
def a11y_site(offline_site, _chromium):
    """A learner's browser on the site, with the notebook's windowing off (every cell in the
    page, as in the JupyterLab audit): a setting this browser keeps, as a learner's would."""
    a11y.require_axe()
    context = _chromium.new_context(
        viewport={"width": 1280, "height": 900}, service_workers="allow"
    )
    profile = site_harness.SiteBrowser(context=context, base_url=offline_site.url)
    profile.install()
    page = context.new_page()
    page.set_default_timeout(120_000)
    site_page = site_harness.SitePage(page=page, base_url=offline_site.url)
    site_page.open_notebook(LESSON)
    page.evaluate(
        """async () => {
            await window.jupyterapp.serviceManager.settings.save(
                '@jupyterlab/notebook-extension:tracker', JSON.stringify({windowingMode: 'none'}));
        }"""
    )
    yield profile, site_page
    context.close()
    assert profile.foreign_requests() == [], "a request left 127.0.0.1"


@pytest.fixture(scope="module")
def lesson(a11y_site):
    """The lesson opened again (with the setting), every cell run, every widget drawn."""
    _, site_page = a11y_site
    site_page.open_notebook(LESSON)
    page = site_page.page
    assert (
        page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.content.notebookConfig.windowingMode"
        )
        == "none"
    )
    site_page.run_all()
    assert site_page.errors() == []
    page.wait_for_function(
        """() => !Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                .some(o => o.textContent.includes('Loading widget'))""",
        timeout=60_000,
        polling=250,
    )
    page.locator(QUIZ).first.wait_for()
    return site_page


def test_the_start_page_has_no_serious_or_critical_violation(a11y_site):
    _, site_page = a11y_site
    page = site_page.page
    page.goto(f"{site_page.base_url}/index.html")
    page.get_by_role("link", name="Start the course").wait_for()
    found = a11y.audit(page, ["body"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "start-page.png"), full_page=True)
    assert not found, "index.html:\n" + "\n".join(str(v) for v in found)
    # lessons are numbered as their files are: 00-start-here is number 0
    assert page.locator("ol").first.get_attribute("start") == "0"
    # the first Tab reaches the way in, with a focus ring that stands out (WCAG 2.4.7, 1.4.11)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement, s = getComputedStyle(el);
            return {text: el.innerText, outline: s.outlineStyle, colour: s.outlineColor,
                    width: parseFloat(s.outlineWidth) || 0,
                    background: getComputedStyle(document.body).backgroundColor}; }"""
    )
    assert focused["text"].strip() == "Start the course", focused
    assert focused["outline"] != "none" and focused["width"] >= 2, focused
    assert a11y.contrast(focused["colour"], focused["background"]) >= 3, focused


def test_a_lesson_in_the_site_has_no_serious_or_critical_violation(lesson):
    assert lesson.page.locator(AUDITED[0]).count() > 0
    found = audit_notebook(lesson, LESSON)
    lesson.page.set_viewport_size({"width": 1280, "height": 900})
    assert not found, f"{len(found)} serious/critical WCAG violations in the site:\n" + "\n".join(
        found
    )


def test_no_notebook_shortcut_takes_the_keys_of_a_control_in_an_output(lesson):
    page = lesson.page
    # a quiz's option and the scenario's group of radio buttons
    radio = page.locator(".jp-OutputArea-output .widget-radio-box input[type=radio]")
    for control in (page.locator(f"{QUIZ} .powkit-option input").first, radio.first):
        control.scroll_into_view_if_needed()
        control.focus()
        firing = [f for f in page.evaluate(_FIRING) if "runmenu:run" not in f]
        assert not firing, f"a control in an output: the site's JupyterLab would take {firing}"
    # The arrow key moves the choice within the group, and the notebook stays on its cell.
    active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
    cell = page.evaluate(active)
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert radio.nth(0).is_checked()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(200)
    assert radio.nth(1).is_checked(), "ArrowDown did not move the choice"
    assert radio.nth(1).evaluate("(el) => el === document.activeElement")
    assert page.evaluate(active) == cell, "ArrowDown moved to another cell"


def test_a_quiz_question_by_keyboard_in_the_site(lesson):
    page = lesson.page
    keys = Keyboard(page, QUIZ)
    keys.enter()
    keys.tab_to(f"{QUIZ} .powkit-option input")
    keys.press("Space")
    keys.tab_to(f"{QUIZ} button", "Check")
    keys.press("Enter", redraws=True)
    s = keys.settle(
        f"() => document.querySelector('{QUIZ} .powkit-feedback [role=status]')", after="Check"
    )
    on_next = s["tag"] == "button" and s["text"].strip() == "Next"
    assert on_next or "powkit-feedback" in s["cls"], s
    feedback = page.locator(f"{QUIZ} .powkit-feedback").first.inner_text()
    assert "Right." in feedback or "Not quite." in feedback, feedback
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "quiz-after-check-by-keyboard.png"))
    if not on_next:
        keys.tab_to(f"{QUIZ} button", "Next")
    keys.press("Enter", redraws=True)
    keys.settle(
        f"() => document.querySelector('{QUIZ} .powkit-header').innerText.includes('Question 2')",
        after="Next",
    )
