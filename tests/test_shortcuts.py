"""JupyterLab's command-mode shortcuts must not take the keys of a control inside an output.

In command mode JupyterLab binds single keys to notebook commands (ArrowDown selects the next
cell, D D deletes one) for any focused element inside the notebook, including a radio button or
a list in a widget. ``data/jupyterlab/overrides.d/powkit.json`` disables each such binding and
adds it back for everything except elements inside a cell's output (docs/accessibility.md). The
browser test's JupyterLab reads it from its application settings folder's ``overrides.d/``, as
an installed kit's JupyterLab does (``tests/lab.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab import write_notebook

OVERRIDES = (
    Path(__file__).resolve().parent.parent / "data" / "jupyterlab" / "overrides.d" / "powkit.json"
)
PLUGIN = "@jupyterlab/shortcuts-extension:shortcuts"
NOT_IN_OUTPUT = ":not(.jp-OutputArea-output *)"

# Single-key bindings that fire for the focused element: the same query Lumino makes.
_FIRING = """() => {
    const el = document.activeElement, out = [];
    for (const kb of window.jupyterapp.commands.keyBindings) {
        if (kb.keys.some(k => /(Ctrl|Alt|Accel|Cmd|Meta)/.test(k))) continue;
        if (/^F\\d+$/.test(kb.keys[0])) continue;
        for (let n = el; n && n !== document.documentElement; n = n.parentElement) {
            if (n.hasAttribute('data-lm-suppress-shortcuts')) break;
            if (n.matches(kb.selector)) { out.push(kb.keys.join(' ') + ' -> ' + kb.command); break; }
        }
    }
    return out;
}"""


def test_every_disabled_shortcut_comes_back_outside_outputs():
    shortcuts = json.loads(OVERRIDES.read_text(encoding="utf-8"))[PLUGIN]["shortcuts"]
    disabled = [s for s in shortcuts if s.get("disabled")]
    enabled = [s for s in shortcuts if not s.get("disabled")]
    assert disabled and len(disabled) == len(enabled)
    for off in disabled:
        back = {**off, "selector": off["selector"] + NOT_IN_OUTPUT}
        back.pop("disabled")
        assert back in enabled, f"{off['command']} {off['keys']} is not restored outside outputs"
    # Shift+Enter (run the cell) stays: it is how a learner re-runs a widget's cell.
    assert not any(s["keys"] == ["Shift Enter"] for s in shortcuts)


def default_shortcuts(schemas: Path) -> set[tuple[str, tuple[str, ...], str]]:
    """Every shortcut JupyterLab's plugins define (command, keys, selector), from the settings
    schemas of a JupyterLab installation or a JupyterLite site's ``build/schemas``."""
    found = set()
    for path in schemas.rglob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for entry in schema.get("jupyter.lab.shortcuts", []) if isinstance(schema, dict) else []:
            found.add((entry["command"], tuple(entry["keys"]), entry["selector"]))
    return found


def unmatched_disabled(schemas: Path) -> list[str]:
    """The kit's disabling entries that match no shortcut of that JupyterLab: each would leave
    a single-key shortcut on (JupyterLab disables a shortcut with the same keys and selector)."""
    defaults = default_shortcuts(schemas)
    shortcuts = json.loads(OVERRIDES.read_text(encoding="utf-8"))[PLUGIN]["shortcuts"]
    return [
        f"{s['command']} {s['keys']} {s['selector']}"
        for s in shortcuts
        if s.get("disabled") and (s["command"], tuple(s["keys"]), s["selector"]) not in defaults
    ]


def test_every_disabled_shortcut_is_one_this_jupyterlab_defines():
    from powkit.lab_settings import app_dir

    schemas = app_dir() / "schemas"
    assert schemas.is_dir(), schemas
    assert unmatched_disabled(schemas) == []


@pytest.mark.browser
def test_no_single_key_shortcut_fires_on_a_control_in_an_output(lab, lab_page):
    write_notebook(
        lab.root / "shortcuts" / "controls.ipynb",
        "import ipywidgets as w\n"
        "w.VBox([w.Select(options=['a', 'b']), w.RadioButtons(options=['p', 'q']),"
        " w.Dropdown(options=['x', 'y']), w.Button(description='press')])",
        "#md\nA second cell, for the arrow keys to move to.",
    )
    lab_page.open_notebook("shortcuts/controls.ipynb", timeout_ms=120_000)
    lab_page.run_all()
    page = lab_page.page
    for selector in ("select", "input[type=radio]", "button.jupyter-button"):
        control = page.locator(f".jp-OutputArea-output {selector}").first
        control.wait_for()
        control.focus()
        firing = [f for f in page.evaluate(_FIRING) if "runmenu:run" not in f]
        assert not firing, f"{selector} in an output: JupyterLab would take {firing}"
    # The arrow key reaches the list, and focus stays on it.
    listbox = page.locator(".jp-OutputArea-output select[size]").first
    listbox.focus()
    listbox.select_option("a")
    page.keyboard.press("ArrowDown")
    assert listbox.evaluate("(el) => el.value") == "b"
    assert listbox.evaluate("(el) => document.activeElement === el")
    # On the notebook itself (command mode, a cell selected) the arrows still move between cells.
    active = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"
    page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").first.click()  # select the 2nd cell
    page.wait_for_function(f"() => ({active})() === 1", timeout=10_000)
    page.keyboard.press("ArrowUp")
    page.wait_for_function(f"() => ({active})() === 0", timeout=10_000)
