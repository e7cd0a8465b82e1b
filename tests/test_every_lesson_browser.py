"""Every lesson, opened in JupyterLab the way a student opens it: all cells run without an error
box, the widgets render, and the lesson's quiz answers a click on Check with feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LESSONS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _has_quiz(name: str) -> bool:
    cells = json.loads((REPO / "notebooks" / name).read_text(encoding="utf-8"))["cells"]
    return any("Quiz" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.browser
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_and_its_quiz_answers(lab_page, name):
    lab_page.open_notebook(f"notebooks/{name}")
    lab_page.run_all(timeout_ms=180_000)
    page = lab_page.page
    assert lab_page.errors() == [], f"{name}: error output in the browser"
    assert page.locator(".jp-OutputArea-output").count() > 0, f"{name}: nothing was displayed"
    if not _has_quiz(name):
        return
    quiz = page.locator(".powkit-quiz").last
    quiz.scroll_into_view_if_needed()
    quiz.locator(".powkit-option input").first.check()
    page.wait_for_timeout(200)  # let the choice reach the kernel, as a person's next move would
    quiz.locator("button.powkit-check, .powkit-check button").first.click()
    quiz.locator(
        ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
    ).first.wait_for(timeout=20_000)
    # the cited articles' exact text is there to read
    quiz.locator(".powkit-articles").first.wait_for(timeout=10_000)
