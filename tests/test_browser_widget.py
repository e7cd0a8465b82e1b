"""The ConventionBrowser, driven the way a student drives it: through its controls."""

from __future__ import annotations

import pytest
from lab import write_notebook

from powkit.browser import ConventionBrowser, FindTheRule


def test_typing_lists_matching_articles_and_shows_the_best():
    browser = ConventionBrowser()
    labels = browser.search("curiosity")
    assert labels[0] == "GCIII 13: Humane treatment of prisoners"
    assert browser.results.value == 13
    assert "<mark>curiosity</mark>" in browser.view.value
    assert "Part II" in browser.view.value
    assert browser.citation.value == "GCIII 13(2)"


def test_choosing_another_result_changes_the_article():
    browser = ConventionBrowser("prisoners of war")
    other = browser.results.options[1][1]
    browser.results.value = other
    assert f"GCIII {other}:" in browser.view.value
    assert browser.number.value == other


def test_article_number_box_opens_any_article():
    browser = ConventionBrowser()
    browser.number.value = 118
    assert "GCIII 118" in browser.view.value and browser.citation.value == "GCIII 118"


def test_no_match_says_so_and_escapes_the_query():
    browser = ConventionBrowser()
    browser.search("<b>zzqx</b>")
    assert browser.results.options == ()
    assert "&lt;b&gt;" in browser.status.value and "<b>zzqx" not in browser.status.value


@pytest.mark.browser
def test_browser_in_jupyterlab_finds_article_13(lab_page):
    lab_page.open_notebook("notebooks/01-the-convention.ipynb")
    lab_page.run_all()
    box = lab_page.page.locator(".powkit-browser-query input").first
    box.wait_for(timeout=30_000)
    box.fill("")
    box.type("curiosity")
    results = lab_page.page.locator(".powkit-browser-results select").first
    results.locator("option", has_text="GCIII 13: Humane treatment of prisoners").wait_for(
        state="attached", timeout=15_000
    )
    lab_page.page.locator(".powkit-browser-view mark", has_text="curiosity").first.wait_for(
        timeout=15_000
    )
    # Keyboard only: Tab from the box reaches the controls, arrow keys move through results.
    results.focus()
    lab_page.page.keyboard.press("ArrowDown")
    assert lab_page.errors() == []


@pytest.mark.browser
def test_harness_runs_a_fresh_notebook(lab, lab_page):
    write_notebook(lab.root / "harness-check.ipynb", "print('harness ' + 'ok')")
    lab_page.open_notebook("harness-check.ipynb")
    lab_page.run_all()
    lab_page.wait_for_text("harness ok")


def test_find_the_rule_accepts_the_paragraph_and_explains_mistakes():
    task = FindTheRule(
        "Which paragraph protects prisoners against public curiosity?", answer="GCIII 13(2)"
    )
    assert task.check("GCIII 13(2)") is True and "public curiosity" in task.feedback.value
    assert task.check("13(1)") is False and "other paragraph" in task.feedback.value
    assert task.check("GCIII 17") is False and "Questioning of prisoners" in task.feedback.value
    assert task.check("GCIII 144") is False and "does not exist" in task.feedback.value


def test_find_the_rule_checks_when_enter_sends_the_value():
    task = FindTheRule("Which article bars renouncing rights?", answer="GCIII 7")
    task.entry.value = "GCIII 7"  # what the front end sends when the student presses Enter
    assert task.feedback.value.startswith("<p><strong>Right.")
