"""The CaseAnnotator in a real JupyterLab: open lesson 02, run it, choose a statement, read the law."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_choosing_a_statement_shows_the_articles_it_engages(lab_page):
    lab_page.open_notebook("notebooks/02-the-case.ipynb")
    lab_page.run_all()
    page = lab_page.page
    picker = page.locator(".powkit-case-picker select").first
    picker.wait_for(timeout=60_000)
    picker.scroll_into_view_if_needed()
    # Choose the prisoner's statement, as a student clicking the list would.
    picker.locator("option", has_text="Vladimir").first.wait_for(state="attached", timeout=15_000)
    labels = picker.locator("option").all_text_contents()
    picker.select_option(index=next(i for i, label in enumerate(labels) if "Vladimir" in label))
    articles = page.locator(".powkit-case-articles").first
    articles.locator("blockquote[data-citation='GCIII 7']").wait_for(timeout=15_000)
    articles.scroll_into_view_if_needed()
    text = articles.text_content() or ""
    assert "may in no circumstances renounce" in text  # GCIII 7, rendered from data/
    assert "public curiosity" in text  # GCIII 13(2)
    assert "commander-in-chief" in (
        page.locator(".powkit-case-statement").first.text_content() or ""
    )
    # Keyboard: focus the list and move down; the view follows.
    picker.focus()
    page.keyboard.press("ArrowDown")
    page.locator(".powkit-case-statement").first.get_by_text("Why these articles").wait_for(
        timeout=15_000
    )
    assert lab_page.errors() == []
