"""The ChartExplorer in a real JupyterLab: a student changes a filter and the chart redraws.

Runs only with the browser harness (tests/conftest.py); the expected counts come from the same
shipped data file the kernel loads.
"""

from __future__ import annotations

import pytest

from powkit import data

pytestmark = [pytest.mark.browser]


def _explorer_notebook(lab) -> str:
    from lab import write_notebook

    write_notebook(
        lab.root / "browser-tests" / "chart-explorer.ipynb",
        "from powkit import charts",
        "charts.ChartExplorer()",
    )
    return "browser-tests/chart-explorer.ipynb"


def _image_src(page) -> str:
    return page.locator(".powkit-chart-explorer img").first.get_attribute("src") or ""


def test_explorer_redraws_when_a_filter_changes(lab, lab_page):
    figs = data.load_figures()
    everyone = len(figs)
    russia = int((figs["soldiers_of"] == "russia").sum())
    exchanges = int(
        ((figs["soldiers_of"] == "russia") & (figs["event_type"] == "prisoner_exchange")).sum()
    )
    assert everyone != russia != exchanges  # otherwise the test could not see a redraw

    lab_page.open_notebook(_explorer_notebook(lab))
    lab_page.run_all()
    assert not lab_page.errors(), lab_page.errors()
    page = lab_page.page
    lab_page.wait_for_text(f"Showing {everyone} figures", timeout_ms=60_000)
    first = _image_src(page)
    assert first

    # A click-and-choose on the "Soldiers of" list.
    side = (
        page.locator(".powkit-chart-explorer .widget-dropdown")
        .filter(has_text="Soldiers of")
        .locator("select")
    )
    side.select_option(label="Russia")
    lab_page.wait_for_text(f"Showing {russia} figures")
    page.wait_for_function(
        "(old) => { const i = document.querySelector('.powkit-chart-explorer img');"
        " return i && i.getAttribute('src') !== old; }",
        arg=first,
    )
    assert page.locator(".powkit-chart-explorer img").count() == 1  # one image, swapped in place

    # A second filter narrows the same chart further.
    event = (
        page.locator(".powkit-chart-explorer .widget-dropdown")
        .filter(has_text="Event type")
        .locator("select")
    )
    event.select_option(label="Prisoner exchanges")
    lab_page.wait_for_text(f"Showing {exchanges} figures")

    # The reset button, pressed with Enter.
    reset = page.get_by_role("button", name="Reset filters")
    reset.focus()
    page.keyboard.press("Enter")
    lab_page.wait_for_text(f"Showing {everyone} figures")
    caption = page.locator(".powkit-explorer-caption").first
    assert caption.get_attribute("aria-live") == "polite"
    assert "Soldiers of: Any side" in caption.inner_text()
