"""Every lesson and exercise, audited with axe-core in JupyterLab the way a student meets it.

One JupyterLab server serves copies of ``notebooks/`` and ``exercises/`` (discovered, not listed:
new lessons are audited the day they land). For each notebook the test runs every cell, lets
every widget render, and runs axe-core's WCAG 2.0/2.1/2.2 A and AA rules over what the kit draws:
the output areas and the rendered markdown. Any serious or critical violation fails, naming the
notebook, the rule and the element. The same run is the check that every notebook works in
JupyterLab: no error output, and the last quiz answers a click on Check with its feedback.

Two things make the audit see the whole notebook rather than the first screen:
- JupyterLab virtualises long notebooks (cells off screen are not in the page). The server starts
  with the notebook's windowing mode set to "none", so every cell is rendered.
- axe cannot judge the contrast of text outside the viewport (it reports it as "incomplete",
  not as a violation). The browser window is made as tall as the notebook before the audit, so
  every line of text is inside the viewport.
"""

from __future__ import annotations

import json
from pathlib import Path

import a11y
import lab as harness
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = [
    f"{folder}/{p.name}"
    for folder in ("notebooks", "exercises")
    for p in sorted((REPO / folder).glob("[0-9][0-9]-*.ipynb"))
]
# What the kit draws: cell outputs (widgets, charts, article text) and the lessons' own prose.
AUDITED = [".jp-Cell .jp-OutputArea-output", ".jp-MarkdownCell .jp-RenderedMarkdown"]
# The tallest window Chromium is asked for; longer notebooks are audited in slices of this height.
MAX_VIEWPORT = 16_000
WIDTH = 1280

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def a11y_lab(tmp_path_factory, _chromium):
    """One JupyterLab for the whole audit, with windowing off so that every cell is in the page."""
    a11y.require_axe()
    server = harness.start_lab(
        tmp_path_factory.mktemp("a11y-lab"),
        folders=("notebooks", "exercises"),
        settings={"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}},
    )
    yield server
    harness.stop_lab(server)


@pytest.fixture
def a11y_page(a11y_lab, _chromium):
    context = _chromium.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    wrapper = harness.LabPage(lab=a11y_lab, page=page)
    yield wrapper
    context.close()


def render_everything(lab_page, relpath: str) -> None:
    """Open, run every cell, and wait until no widget is still loading."""
    lab_page.open_notebook(relpath, timeout_ms=120_000)
    lab_page.run_all(timeout_ms=240_000)
    lab_page.page.wait_for_function(
        """() => !Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                .some(o => o.textContent.includes('Loading widget'))""",
        timeout=60_000,
        polling=250,
    )


def audit_notebook(lab_page, relpath: str) -> list[str]:
    """Audit the open notebook slice by slice, each slice filling a tall window; findings as text."""
    page = lab_page.page
    scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    height = page.evaluate(f"() => document.querySelector('{scroller}').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(height + 200, MAX_VIEWPORT)})
    page.wait_for_timeout(300)  # let JupyterLab lay itself out again
    seen: dict[tuple[str, str], a11y.Violation] = {}
    top = 0
    while True:
        page.evaluate(f"(y) => {{ document.querySelector('{scroller}').scrollTop = y; }}", top)
        page.wait_for_timeout(100)
        for v in a11y.audit(page, AUDITED):
            seen.setdefault((v.rule, v.target), v)
        visible = page.evaluate(f"() => document.querySelector('{scroller}').clientHeight")
        if top + visible >= height:
            break
        top += visible - 200  # overlap, so no line is cut in half at a boundary
    return [f"{relpath}: {v}" for v in seen.values()]


def _has_quiz(relpath: str) -> bool:
    cells = json.loads((REPO / relpath).read_text(encoding="utf-8"))["cells"]
    return any("Quiz" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")


def answer_last_quiz(lab_page, relpath: str) -> None:
    """Choose an option of the notebook's last quiz and press Check: the verdict and the cited
    articles' exact text must appear."""
    page = lab_page.page
    quiz = page.locator(".powkit-quiz").last
    quiz.scroll_into_view_if_needed()
    quiz.locator(".powkit-option input").first.check()
    page.wait_for_timeout(200)  # let the choice reach the kernel, as a person's next move would
    quiz.locator("button.powkit-check, .powkit-check button").first.click()
    quiz.locator(
        ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
    ).first.wait_for(timeout=20_000)
    quiz.locator(".powkit-articles").first.wait_for(timeout=10_000)


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_no_serious_or_critical_violation(a11y_page, relpath):
    """Also the check that every lesson and exercise runs in JupyterLab as a student opens it: no
    error box, something displayed, and the last quiz answers a Check with feedback."""
    render_everything(a11y_page, relpath)
    assert a11y_page.errors() == [], f"{relpath}: error output in the browser"
    assert a11y_page.page.locator(".jp-OutputArea-output").count() > 0, relpath
    found = audit_notebook(a11y_page, relpath)
    assert not found, f"{len(found)} serious/critical WCAG violations:\n" + "\n".join(found)
    if _has_quiz(relpath):
        answer_last_quiz(a11y_page, relpath)


DARK_LESSON = "notebooks/04-public-curiosity.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_a_lesson_in_the_dark_theme_has_no_text_below_4_5_to_1(a11y_page):
    """Runs last: it switches the theme (and switches it back)."""
    lab_page, page = a11y_page, a11y_page.page
    try:
        lab_page.open_notebook(DARK_LESSON, timeout_ms=120_000)
        page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme',"
            " {theme: 'JupyterLab Dark'})"
        )
        page.wait_for_selector(
            "body[data-jp-theme-light='false']", state="attached", timeout=30_000
        )
        lab_page.run_all(timeout_ms=240_000)
        assert lab_page.errors() == []
        quiz = page.locator(".powkit-quiz").first
        quiz.scroll_into_view_if_needed()
        quiz.locator(".powkit-option input").first.check()
        page.wait_for_timeout(200)
        quiz.get_by_role("button", name="Check").click()
        verdict = quiz.locator(".powkit-verdict-right, .powkit-verdict-wrong").first
        verdict.wait_for(timeout=20_000)
        ARTIFACTS.mkdir(exist_ok=True)
        verdict.evaluate("(el) => el.scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / "dark-quiz-verdict.png"))
        found = [v for v in audit_notebook(lab_page, DARK_LESSON) if "color-contrast" in v]
        assert not found, f"{DARK_LESSON} in the dark theme:\n" + "\n".join(found)
    finally:
        page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme',"
            " {theme: 'JupyterLab Light'})"
        )
        page.wait_for_selector("body[data-jp-theme-light='true']", state="attached", timeout=30_000)
