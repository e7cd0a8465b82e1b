"""The StatusTree in lesson 03, in a real JupyterLab: click (and key) through a path to its outcome."""

from __future__ import annotations

import pytest

from powkit import convention

NOTEBOOK = "notebooks/03-who-is-a-pow.ipynb"


def _snippet(citation: str, n: int = 8) -> str:
    """The first words of a provision's exact text, to look for on the page."""
    return " ".join(convention.resolve(citation)[0].text.split("\n")[0].split()[:n])


def _answer(page, widget, label: str) -> None:
    """Click Yes or No, then Next, as a student does."""
    widget.locator(".powkit-status-answer button", has_text=label).first.click()
    next_button = widget.locator("button.powkit-status-next").first
    next_button.wait_for(state="visible")
    page.wait_for_function("(el) => !el.disabled", arg=next_button.element_handle(), timeout=10_000)
    next_button.click()


@pytest.mark.browser
def test_soldier_path_ends_as_pow_under_4a1_with_the_text(lab_page):
    lab_page.open_notebook(NOTEBOOK)
    lab_page.run_all()
    page = lab_page.page
    widget = page.locator(".powkit-status").first
    widget.wait_for(timeout=30_000)
    widget.locator(".powkit-status-question", has_text="Question 1.").first.wait_for(timeout=15_000)

    # neutral? no; armed forces? yes; medical? no; spy? no
    for step, label in enumerate(["No", "Yes", "No", "No"], start=2):
        _answer(page, widget, label)
        widget.locator(".powkit-status-question", has_text=f"Question {step}.").first.wait_for(
            timeout=15_000
        )

    # The last question by keyboard alone: focus "No", press Space, focus Next, press Enter.
    widget.locator(".powkit-status-answer button", has_text="No").first.focus()
    page.keyboard.press("Space")
    next_button = widget.locator("button.powkit-status-next").first
    page.wait_for_function("(el) => !el.disabled", arg=next_button.element_handle(), timeout=10_000)
    next_button.focus()
    page.keyboard.press("Enter")

    outcome = widget.locator(".powkit-status-outcome")
    outcome.locator("text=Outcome: Prisoner of war.").first.wait_for(timeout=15_000)
    outcome.locator("text=Prisoner of war under GCIII 4A(1)").first.wait_for(timeout=15_000)
    deciding = widget.locator(
        '.powkit-status-articles blockquote[data-citation="GCIII 4A(1)"]'
    ).first
    deciding.wait_for(state="visible", timeout=15_000)
    assert _snippet("GCIII 4A(1)") in deciding.inner_text()
    widget.locator('.powkit-status-articles blockquote[data-citation="GCIII 5(1)"]').first.wait_for(
        state="visible", timeout=15_000
    )
    # The path taken is listed, five answers long.
    widget.locator(".powkit-status-path", has_text="Path taken (5 answers)").first.wait_for(
        timeout=15_000
    )

    # Back reopens the last question. Answering Yes (out of uniform) does not jump to API 44(4):
    # the tree first asks whether Protocol I binds both parties.
    widget.locator("button.powkit-status-back").first.click()
    widget.locator(".powkit-status-question", has_text="Question 5.").first.wait_for(timeout=15_000)
    _answer(page, widget, "Yes")
    widget.locator(
        ".powkit-status-question", has_text="bound by Additional Protocol I"
    ).first.wait_for(timeout=15_000)
    # Yes, both are bound; no, not even arms carried openly: API 44(4), equivalent protection.
    _answer(page, widget, "Yes")
    widget.locator(".powkit-status-question", has_text="Question 7.").first.wait_for(timeout=15_000)
    _answer(page, widget, "No")
    widget.locator(".powkit-status-outcome", has_text="equivalent protection").first.wait_for(
        timeout=15_000
    )
    # Back twice and answer No to the Protocol question: the customary-law outcome instead.
    for _ in range(2):
        widget.locator("button.powkit-status-back").first.click()
    widget.locator(
        ".powkit-status-question", has_text="bound by Additional Protocol I"
    ).first.wait_for(timeout=15_000)
    _answer(page, widget, "No")
    widget.locator(".powkit-status-outcome", has_text="Rules 87-105").first.wait_for(timeout=15_000)
    assert lab_page.errors() == []
