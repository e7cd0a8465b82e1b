"""The Quiz and Scenario in a real JupyterLab: click an option, click Check, read the feedback."""

from __future__ import annotations

import pytest
import yaml
from lab import write_notebook

from powkit import convention

BANK = {
    "bank": "browser-demo",
    "title": "Browser demo <b>bank</b>",
    "questions": [
        {
            "id": "bd-01",
            "topic": "public_curiosity",
            "difficulty": 1,
            "scenario": "A crew films prisoners. <script>document.title='pwned'</script>",
            "prompt": "May the detaining power allow it?",
            "kind": "single",
            "options": [
                {
                    "text": "No, prisoners must be protected against public curiosity.",
                    "correct": True,
                    "feedback": "Right: feedback-marker-right.",
                },
                {
                    "text": "Yes, if they consent.",
                    "correct": False,
                    "feedback": "Consent changes nothing.",
                },
            ],
            "articles": ["GCIII 13(2)", "GCIII 7"],
        }
    ],
}

SCENARIO = {
    "scenario": "browser-press",
    "title": "Browser press scenario",
    "start": "briefing",
    "nodes": {
        "briefing": {
            "text": "Journalists ask to film captured soldiers.",
            "choices": [
                {
                    "text": "Refuse cameras.",
                    "goto": "end-lawful",
                    "feedback": "scenario-feedback-marker",
                    "articles": ["GCIII 13(2)"],
                },
                {"text": "Allow interviews.", "goto": "end-unlawful", "feedback": "Exposure."},
            ],
        },
        "end-lawful": {
            "text": "No images.",
            "outcome": "lawful",
            "debrief": "debrief-marker",
            "articles": ["GCIII 13(2)"],
        },
        "end-unlawful": {
            "text": "Images.",
            "outcome": "unlawful",
            "debrief": "A breach.",
            "articles": ["GCIII 13(2)"],
        },
    },
}


def _snippet(citation: str) -> str:
    """A short run of words from the article's exact text, to look for on the page."""
    words = convention.resolve(citation)[0].text.split("\n")[0].split()
    return " ".join(words[:8])


@pytest.mark.browser
def test_quiz_click_option_check_shows_feedback_and_article(lab, lab_page):
    (lab.root / "browser-demo.yaml").write_text(yaml.safe_dump(BANK), encoding="utf-8")
    write_notebook(
        lab.root / "quiz-check.ipynb",
        "from powkit.quiz import Quiz\nquiz = Quiz('browser-demo.yaml', seed=1, shuffle=False)\nquiz",
    )
    lab_page.open_notebook("quiz-check.ipynb")
    lab_page.run_all()
    page = lab_page.page
    option = page.locator(".powkit-option input").first
    option.wait_for(timeout=30_000)
    # bank text is shown literally, and its script did not run
    lab_page.wait_for_text("<script>document.title='pwned'</script>")
    assert page.title() != "pwned"
    option.click()
    page.locator(".powkit-check button, button.powkit-check").first.click()
    page.locator(".powkit-feedback", has_text="feedback-marker-right").first.wait_for(
        timeout=15_000
    )
    lab_page.wait_for_text("Right.")
    lab_page.wait_for_text(_snippet("GCIII 13(2)"), timeout_ms=15_000)
    # one panel per cited article: the first open, the next one opening on a click or a key
    panels = page.locator(".powkit-feedback .powkit-articles details.powkit-article-panel")
    assert panels.count() == 2
    assert panels.nth(0).get_attribute("open") is not None
    assert panels.nth(0).get_by_text(_snippet("GCIII 13(2)")).is_visible()
    second = panels.nth(1).get_by_text(_snippet("GCIII 7"))
    assert not second.is_visible()
    panels.nth(1).locator("summary").click()
    second.wait_for(state="visible", timeout=5_000)
    panels.nth(0).locator("summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('.powkit-feedback details.powkit-article-panel').open"
    )
    assert lab_page.errors() == []


@pytest.mark.browser
def test_quiz_works_by_keyboard(lab, lab_page):
    (lab.root / "browser-demo.yaml").write_text(yaml.safe_dump(BANK), encoding="utf-8")
    write_notebook(
        lab.root / "quiz-keys.ipynb",
        "from powkit.quiz import Quiz\nQuiz('browser-demo.yaml', seed=1, shuffle=False)",
    )
    lab_page.open_notebook("quiz-keys.ipynb")
    lab_page.run_all()
    page = lab_page.page
    first = page.locator(".powkit-option input").first
    first.wait_for(timeout=30_000)
    first.focus()
    page.keyboard.press("Space")  # choose the focused option
    check = page.locator(".powkit-check button, button.powkit-check").first
    check.focus()
    page.keyboard.press("Enter")
    page.locator(".powkit-feedback", has_text="feedback-marker-right").first.wait_for(
        timeout=15_000
    )


@pytest.mark.browser
def test_scenario_click_through_to_debrief(lab, lab_page):
    (lab.root / "browser-press.yaml").write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    write_notebook(
        lab.root / "scenario-check.ipynb",
        "from powkit.quiz import Scenario\nScenario('browser-press.yaml')",
    )
    lab_page.open_notebook("scenario-check.ipynb")
    lab_page.run_all()
    page = lab_page.page
    option = page.locator(".powkit-option input").first
    option.wait_for(timeout=30_000)
    option.click()
    page.locator(".powkit-check button, button.powkit-check").first.click()
    lab_page.wait_for_text("scenario-feedback-marker", timeout_ms=15_000)
    lab_page.wait_for_text("debrief-marker", timeout_ms=15_000)
    lab_page.wait_for_text("Outcome: lawful")
    assert lab_page.errors() == []
