"""Lessons 07 (end of captivity) and 09 (enforcement) in a real JupyterLab: run every cell, then
use a "find the rule" task the way a student does, by typing a citation and pressing Check.

The two lessons use no widget of their own, only powkit's FindTheRule and Quiz, so what needs
testing here is that the lesson as shipped runs in the browser and that its tasks accept the
right answer and refuse a wrong one. A non-browser test checks the tasks' answers against the
Convention first, so that a broken answer fails fast even on a machine without Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from powkit.browser import FindTheRule
from powkit.convention import resolve

REPO = Path(__file__).resolve().parent.parent
LESSONS = ("07-end-of-captivity.ipynb", "09-enforcement.ipynb")
ANSWER = re.compile(r'answer="([^"]+)"')


def _answers(name: str) -> list[str]:
    nb = nbformat.read(REPO / "notebooks" / name, as_version=4)
    return [a for cell in nb.cells if cell.cell_type == "code" for a in ANSWER.findall(cell.source)]


@pytest.mark.parametrize("name", LESSONS)
def test_every_find_the_rule_answer_resolves_and_is_accepted(name):
    answers = _answers(name)
    assert answers, f"{name}: expected at least one FindTheRule task"
    for answer in answers:
        assert resolve(answer), answer
        task = FindTheRule("task", answer=answer)
        assert task.check(answer) is True, answer
        assert "Right." in task.feedback.value


def test_wrong_paragraph_of_article_119_is_refused():
    task = FindTheRule("task", answer="GCIII 119(5)")
    assert task.check("GCIII 119(1)") is False
    assert "other paragraph" in task.feedback.value


def _find_the_rule(lab_page, citation: str, expected: str, enter: bool = False) -> None:
    """Type ``citation``, then click Check (or press Enter), and wait for ``expected``."""
    page = lab_page.page
    entry = page.locator(".powkit-rule-entry input").first
    entry.wait_for(timeout=60_000)
    entry.scroll_into_view_if_needed()
    entry.fill(citation)
    if enter:
        entry.press("Enter")
    else:
        page.locator("button.powkit-rule-check").first.click()
    try:
        page.locator(".powkit-rule-feedback", has_text=expected).first.wait_for(timeout=30_000)
    except Exception as error:  # say what the student would have seen instead
        shown = page.locator(".powkit-rule-feedback").first.inner_text()
        raise AssertionError(
            f"after typing {citation!r} (box now holds {entry.input_value()!r}) and pressing "
            f"Check, expected feedback with {expected!r}; the feedback reads {shown!r}"
        ) from error


@pytest.mark.browser
def test_end_of_captivity_runs_and_its_task_answers_in_the_browser(lab_page):
    lab_page.open_notebook("notebooks/07-end-of-captivity.ipynb")
    lab_page.run_all(timeout_ms=240_000)
    assert lab_page.errors() == []
    # Wrong answers first: another paragraph of the right article, then another article.
    _find_the_rule(lab_page, "GCIII 119(1)", "Right article, other paragraph")
    _find_the_rule(lab_page, "GCIII 118(1)", "Not this one")
    _find_the_rule(lab_page, "GCIII 119(2)", "Right article, other paragraph", enter=True)
    # Then the right one: the feedback shows the governing text.
    _find_the_rule(lab_page, "GCIII 119(5)", "GCIII 119(5) governs this")
    lab_page.page.locator(".powkit-rule-feedback", has_text="indictable offence").first.wait_for(
        timeout=15_000
    )
    # The charts are images with alt text, and the quiz is on the page.
    assert lab_page.page.locator("figure.powkit-chart img[alt]").count() >= 2
    lab_page.page.locator(".powkit-quiz").first.wait_for(timeout=15_000)


@pytest.mark.browser
def test_enforcement_runs_and_its_first_task_answers_in_the_browser(lab_page):
    lab_page.open_notebook("notebooks/09-enforcement.ipynb")
    lab_page.run_all(timeout_ms=240_000)
    assert lab_page.errors() == []
    _find_the_rule(lab_page, "GCIII 130", "GCIII 130 governs this")
    # The closing review quiz (the lesson's last quiz; sections have quizzes of their own) offers
    # questions from several topics.
    quiz = lab_page.page.locator(".powkit-quiz").last
    quiz.wait_for(timeout=15_000)
    options = quiz.locator(".powkit-filter-topic select option").all_text_contents()
    assert len(options) >= 3, options  # "All topics" and at least two topics
