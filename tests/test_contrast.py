"""Colour contrast computed from the kit's own colours, without a browser (WCAG 2.2, 1.4.3).

Two sources of colour are checked:
- the stylesheet (``powkit/assets/powkit.css``): every text colour it fixes, against the
  background it sets beside it, or else against the output background of JupyterLab's light
  theme and, unless a rule for the dark theme replaces it, of the dark theme too;
- every chart: each piece of text matplotlib draws (titles, labels, legends, notes) against
  the figure's background and against any bar or band it sits on, with its transparency blended
  in.

Normal text needs 4.5:1, large text (18 pt, or 14 pt bold) 3:1. The browser audit (test_accessibility_browser.py) measures the same
thing on the rendered page; this test names the colour to change and runs everywhere.
"""

from __future__ import annotations

import re

import a11y
import matplotlib
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from powkit import charts
from powkit.resources import asset_text

matplotlib.use("Agg")

NORMAL_TEXT = 4.5
# Large text (18 pt, or 14 pt bold) needs 3:1.
LARGE_TEXT = 3.0
# The backgrounds of a cell's output in JupyterLab 4's two themes (--jp-layout-color0).
THEME_BACKGROUNDS = {"light": "#ffffff", "dark": "#111111"}
DARK = re.compile(r"""\[data-jp-theme-light=["']?false["']?\]\s*""")
LIGHT = re.compile(r"""\[data-jp-theme-light=["']?true["']?\]\s*""")
HEX = r"#[0-9a-fA-F]{3,6}\b"


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) for every plain rule; comments dropped, groups split."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                prop, value = decl.split(":", 1)
                decls[prop.strip().lower()] = value.strip()
        for selector in _top_level_split(selectors):
            rules.append((" ".join(selector.split()), decls))
    return rules


def _top_level_split(selectors: str) -> list[str]:
    """Split a selector group on its commas, but not on those inside :is(...) or :not(...)."""
    parts, depth, current = [], 0, ""
    for ch in selectors:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def _colour(value: str | None) -> str | None:
    """A fixed colour in a declaration, or None. A JupyterLab theme variable (``var(--jp-...)``)
    is the theme's own colour, made for its background; its fallback is never used in
    JupyterLab, so it is not checked here (the browser audit sees the real value)."""
    if not value or value.startswith("var("):
        return None
    found = re.findall(HEX, value)
    return found[-1] if found else None


def stylesheet_pairs(css: str) -> list[tuple[str, str, str, str]]:
    """(selector, theme, text colour, background) for every text colour the stylesheet fixes."""
    rules = _rules(css)
    dark_override = {
        DARK.sub("", sel) for sel, decls in rules if DARK.search(sel) and "color" in decls
    }
    backgrounds: dict[str, str] = {}
    for sel, decls in rules:
        bg = _colour(decls.get("background-color") or decls.get("background"))
        if bg:
            backgrounds[sel] = bg
    pairs = []
    for sel, decls in rules:
        fg = _colour(decls.get("color"))
        if not fg:
            continue
        if DARK.search(sel):
            themes = ["dark"]
        elif LIGHT.search(sel) or sel in dark_override:
            themes = ["light"]
        else:
            themes = ["light", "dark"]
        for theme in themes:
            # a background set by the rule itself or by an enclosing selector's rule
            bg = backgrounds.get(sel) or next(
                (b for s, b in backgrounds.items() if sel.startswith(s + " ")), None
            )
            pairs.append((sel, theme, fg, bg or THEME_BACKGROUNDS[theme]))
    return pairs


def test_the_contrast_arithmetic_is_wcag_s():
    assert a11y.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert a11y.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert a11y.contrast("rgb(26, 127, 55)", "#fff") == pytest.approx(5.08, abs=0.01)


def test_the_parser_finds_a_low_contrast_rule():
    css = ".x .y { color: #777777; }\n[data-jp-theme-light='false'] .z { color: #333333; }"
    found = {(s, t): a11y.contrast(f, b) for s, t, f, b in stylesheet_pairs(css)}
    assert found[(".x .y", "light")] < NORMAL_TEXT
    assert found[("[data-jp-theme-light='false'] .z", "dark")] < NORMAL_TEXT
    assert (".x .y", "dark") in found


def test_every_text_colour_in_the_stylesheet_has_4_5_to_1():
    pairs = stylesheet_pairs(asset_text("powkit.css"))
    assert pairs, "the stylesheet fixes no text colour: is this the right file?"
    low = [
        f"{sel} ({theme} theme): {fg} on {bg} is {a11y.contrast(fg, bg):.2f}:1"
        for sel, theme, fg, bg in pairs
        if a11y.contrast(fg, bg) < NORMAL_TEXT
    ]
    assert not low, "text below 4.5:1 in powkit.css:\n" + "\n".join(low)


def _charts():
    from powkit import data

    figures = data.load_figures()
    yield "returned_over_time", charts.returned_over_time()
    yield "captures_over_time", charts.captures_over_time()
    yield "repatriation_timelines", charts.repatriation_timelines()
    yield "articles_per_part", charts.articles_per_part()
    yield "misleading_chart", charts.misleading_chart()
    yield "explorer_figure", charts.explorer_figure(figures)


def _blend(colour, alpha: float | None, background: str) -> str:
    """The colour a reader sees: ``colour`` at ``alpha`` over ``background``."""
    rgba = to_rgba(colour)
    a = rgba[3] if alpha is None else alpha * rgba[3]
    bg = to_rgba(background)
    return to_hex(tuple(a * c + (1 - a) * b for c, b in zip(rgba[:3], bg[:3], strict=True)))


def _text_problems(name: str, fig) -> list[str]:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    background = to_hex(fig.get_facecolor())
    bars = [
        p
        for ax in fig.axes
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_visible() and p.get_facecolor()[3] > 0
    ]
    problems = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        colour = _blend(text.get_color(), text.get_alpha(), background)
        large = text.get_fontsize() >= 18 or (
            text.get_fontsize() >= 14 and str(text.get_fontweight()) in ("bold", "700", "heavy")
        )
        needed = LARGE_TEXT if large else NORMAL_TEXT
        behind = [background]
        box = text.get_bbox_patch()
        if box is not None:
            behind = [to_hex(box.get_facecolor())]
        else:
            extent = text.get_window_extent(renderer)
            for bar in bars:
                if bar.get_window_extent(renderer).overlaps(extent):
                    behind.append(to_hex(bar.get_facecolor()))
        for bg in behind:
            ratio = a11y.contrast(colour, bg)
            if ratio < needed:
                problems.append(
                    f"{name}: {text.get_text()[:50]!r} {colour} on {bg}: {ratio:.2f}:1"
                    f" (needs {needed}:1)"
                )
    return problems


def test_every_text_in_every_chart_has_4_5_to_1():
    problems = []
    for name, chart in _charts():
        fig = getattr(chart, "figure", chart)
        problems += _text_problems(name, fig)
    assert not problems, "chart text below 4.5:1:\n" + "\n".join(problems)
