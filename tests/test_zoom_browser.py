"""The widgets at 200 % zoom (the dark theme is tested with the audit, in
test_accessibility_browser.py).

200 % zoom on a 1280-pixel-wide window is a 640-CSS-pixel viewport at a device scale factor of
2: that is what the browser lays out. No widget may then need horizontal scrolling (WCAG 2.2,
1.4.10 reflow); only a wide data table may scroll inside its own box, which the keyboard can
reach (the audit's scrollable-region-focusable rule checks that).

Screenshots go to tests/artifacts/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import a11y
import pytest
from lab import LabPage, write_notebook
from test_keyboard_browser import CELLS

pytestmark = [pytest.mark.browser]

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ZOOM_NOTEBOOK = "zoom/all-widgets.ipynb"
WIDGETS = (
    ".powkit-quiz",
    ".powkit-scenario",
    ".powkit-status",
    ".powkit-browser",
    ".powkit-case",
    ".powkit-chart-explorer",
)


@pytest.fixture(scope="module", autouse=True)
def _needs_axe():
    a11y.require_axe()


def test_widgets_need_no_horizontal_scrolling_at_200_percent_zoom(lab, _chromium):
    write_notebook(lab.root / ZOOM_NOTEBOOK, *CELLS)
    context = _chromium.new_context(viewport={"width": 640, "height": 500}, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        lab_page = LabPage(lab=lab, page=page)
        lab_page.open_notebook(ZOOM_NOTEBOOK, timeout_ms=120_000)
        # at this width a learner closes the file browser (Ctrl+B) to give the notebook room
        page.evaluate(
            "() => window.jupyterapp.shell.leftCollapsed ||"
            " window.jupyterapp.commands.execute('application:toggle-left-area')"
        )
        lab_page.run_all(timeout_ms=180_000)
        assert lab_page.errors() == []
        for root in WIDGETS:
            page.locator(root).first.wait_for(timeout=60_000)
        too_wide = page.evaluate(
            """(roots) => {
                const out = [];
                const scroller = document.querySelector('.jp-WindowedPanel-outer');
                if (scroller.scrollWidth > scroller.clientWidth + 1)
                    out.push('the notebook scrolls sideways: ' + scroller.scrollWidth + ' > '
                             + scroller.clientWidth);
                for (const root of roots) {
                    const box = document.querySelector(root);
                    const area = box.closest('.jp-OutputArea-output').getBoundingClientRect();
                    const wide = [];
                    for (const el of [box, ...box.querySelectorAll('*')]) {
                        if (el.closest('[role=region][tabindex="0"]')) continue;  // a table's own box
                        if (el.closest('.powkit-visually-hidden')) continue;  // words for speech only
                        // a list box's long options scroll inside the control, which the arrow
                        // keys operate; the box itself must fit (checked by its right edge)
                        const inner = el.tagName === 'SELECT' ? 0 : el.scrollWidth - el.clientWidth;
                        const r = el.getBoundingClientRect();
                        if (!r.width) continue;
                        if (r.right > area.right + 1 || inner > 1
                                && getComputedStyle(el).overflowX !== 'visible')
                            wide.push([r.width, root + ': ' + el.tagName.toLowerCase() + '.'
                                + String(el.className).split(' ').slice(0, 4).join('.')
                                + ' is ' + r.width.toFixed(1) + 'px wide, ends at '
                                + r.right.toFixed(1) + ' (output ends at ' + area.right.toFixed(1)
                                + '), scrollWidth ' + el.scrollWidth + ' > ' + el.clientWidth]);
                    }
                    // the narrowest offender is the one to fix; the boxes around it follow
                    wide.sort((a, b) => a[0] - b[0]);
                    if (wide.length) out.push(wide[0][1]);
                }
                return out;
            }""",
            list(WIDGETS),
        )
        ARTIFACTS.mkdir(exist_ok=True)
        for root in WIDGETS:
            name = root.strip(".").replace("powkit-", "")
            page.locator(root).first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(ARTIFACTS / f"zoom200-{name}.png"))
        assert not too_wide, "needs horizontal scrolling at 200 % zoom:\n" + "\n".join(too_wide)
    finally:
        context.close()
