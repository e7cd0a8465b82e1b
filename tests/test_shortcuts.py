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
import re
import tarfile
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


def _ours() -> list[dict]:
    return json.loads(OVERRIDES.read_text(encoding="utf-8"))[PLUGIN]["shortcuts"]


def test_every_disabled_shortcut_comes_back_outside_outputs():
    shortcuts = _ours()
    disabled = [s for s in shortcuts if s.get("disabled")]
    enabled = [s for s in shortcuts if not s.get("disabled")]
    assert disabled and len(disabled) == len(enabled)
    for off in disabled:
        back = [
            s
            for s in enabled
            if (s["command"], s["keys"]) == (off["command"], off["keys"])
            and s["selector"].endswith(NOT_IN_OUTPUT)
        ]
        assert back, f"{off['command']} {off['keys']} is not restored outside outputs"
        # restored where it was, or (the heading keys 1-6 of the site's JupyterLab 4.4) where
        # later JupyterLabs put it: on a Markdown cell
        assert back[0]["selector"] in (off["selector"] + NOT_IN_OUTPUT, MARKDOWN_CELL), back
    # Shift+Enter (run the cell) stays: it is how a learner re-runs a widget's cell.
    assert not any(s["keys"] == ["Shift Enter"] for s in shortcuts)


# --------------------------------------------------------------------------- without a browser
# Which shortcuts each JupyterLab defines, read from its settings schemas: the JupyterLab of
# this environment, and the one inside JupyterLite (the course site), which is older (4.4).

MARKDOWN_CELL = (
    ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) .jp-MarkdownCell:focus" + NOT_IN_OUTPUT
)
_MODIFIER = re.compile(r"(Ctrl|Alt|Accel|Cmd|Meta)")


def _shortcuts_in(schemas: list[dict]) -> list[dict]:
    return [e for s in schemas if isinstance(s, dict) for e in s.get("jupyter.lab.shortcuts", [])]


def lab_schemas(folder: Path) -> list[dict]:
    """JupyterLab's own plugins' schemas in a folder (an installation's ``schemas/``, a built
    site's ``build/schemas/``). Other apps' schemas there (Notebook 7's) are not JupyterLab's."""
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("@jupyterlab/*/*.json"))
    ]


def jupyterlite_schemas() -> list[dict]:
    """The schemas of the JupyterLab inside jupyterlite-core, from its app archive."""
    import jupyterlite_core

    (archive,) = Path(jupyterlite_core.__file__).parent.glob("jupyterlite-app-*.tgz")
    with tarfile.open(archive) as tar:
        return [
            json.load(tar.extractfile(member))
            for member in tar.getmembers()
            if "/build/schemas/@jupyterlab/" in member.name and member.name.endswith(".json")
        ]


def fires_in_outputs(schemas: list[dict]) -> list[str]:
    """Single-key shortcuts left on, after the kit's settings, whose selector ends in a bare
    ``:focus`` (any focused element in the notebook, a control in an output too)."""
    ours = _ours()
    off = {(tuple(s["keys"]), s["selector"]) for s in ours if s.get("disabled")}
    found = []
    for entry in [*_shortcuts_in(schemas), *(s for s in ours if not s.get("disabled"))]:
        keys = entry["keys"]
        if entry.get("disabled") or not keys or not keys[0]:
            continue
        if any(_MODIFIER.search(k) for k in keys) or re.fullmatch(r"F\d+", keys[0]):
            continue
        if (tuple(keys), entry["selector"]) in off or NOT_IN_OUTPUT in entry["selector"]:
            continue
        if entry["selector"].split(" ")[-1].startswith(":focus"):
            found.append(f"{' '.join(keys)} -> {entry['command']} ({entry['selector']})")
    return found


def unmatched_disabled(*schema_sets: list[dict]) -> list[str]:
    """The kit's disabling entries that match a shortcut of none of these JupyterLabs (dead
    entries: JupyterLab disables a shortcut with the same keys and selector)."""
    defaults = {
        (e["command"], tuple(e["keys"]), e["selector"])
        for schemas in schema_sets
        for e in _shortcuts_in(schemas)
    }
    return [
        f"{s['command']} {s['keys']} {s['selector']}"
        for s in _ours()
        if s.get("disabled") and (s["command"], tuple(s["keys"]), s["selector"]) not in defaults
    ]


def test_no_single_key_shortcut_of_jupyterlab_or_the_site_reaches_into_outputs():
    from powkit.lab_settings import app_dir

    lab = lab_schemas(app_dir() / "schemas")
    assert len(_shortcuts_in(lab)) > 50, "no JupyterLab schemas found"
    assert fires_in_outputs(lab) == []
    lite = jupyterlite_schemas()
    assert len(_shortcuts_in(lite)) > 50, "no JupyterLite schemas found"
    assert fires_in_outputs(lite) == []
    assert unmatched_disabled(lab, lite) == []


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
