"""Accessibility checks for the browser tests: axe-core in the page, and WCAG contrast arithmetic.

axe-core comes from the npm package, never from a CDN: ``.ci/run`` installs it into
``~/.cache/powkit-tests/npm`` (or the folder named by ``$POWKIT_NPM_PREFIX``); a developer can do
the same with ``npm install --prefix ~/.cache/powkit-tests/npm axe-core@4.14``, or point
``$POWKIT_AXE`` at an ``axe.min.js``. Without it the accessibility tests skip with that advice
(and fail under ``CI``, like every browser test).

Only serious and critical violations fail a test: axe's "moderate" and "minor" findings are
mostly best practices outside WCAG's success criteria, and the rules run are WCAG 2.0, 2.1 and
2.2, levels A and AA (the level universities are held to).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AXE_VERSION = "4.14"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")


def npm_prefix() -> Path:
    """Where ``.ci/run`` installs the npm packages the tests need."""
    explicit = os.environ.get("POWKIT_NPM_PREFIX")
    if explicit:
        return Path(explicit).expanduser()
    return Path.home() / ".cache" / "powkit-tests" / "npm"


def axe_path() -> Path | None:
    """The axe-core script to inject, or None if it is not installed anywhere we look."""
    explicit = os.environ.get("POWKIT_AXE")
    candidates = [Path(explicit).expanduser()] if explicit else []
    candidates += [
        npm_prefix() / "node_modules" / "axe-core" / "axe.min.js",
        REPO / "node_modules" / "axe-core" / "axe.min.js",
    ]
    return next((c for c in candidates if c.is_file()), None)


def axe_unavailable_reason() -> str | None:
    if axe_path() is None:
        return (
            f"axe-core is not installed (npm install --prefix {npm_prefix()} "
            f"axe-core@{AXE_VERSION}, or set POWKIT_AXE to its axe.min.js)"
        )
    return None


@dataclass(frozen=True)
class Violation:
    """One failing node: which rule, how bad, and where."""

    rule: str
    impact: str
    help: str
    target: str
    html: str
    summary: str

    def __str__(self) -> str:
        return (
            f"{self.rule} ({self.impact}): {self.help}\n    element: {self.target}\n"
            f"    html: {self.html[:240]}\n    {self.summary[:400]}"
        )


_RUN_AXE = """async ({source, include, exclude, tags}) => {
    // JupyterLab's <body> is 0 px tall with overflow hidden (the shell is absolutely placed), so
    // axe would take every element for clipped and skip the colour-contrast rule. Giving the
    // body the window's height changes nothing on screen and lets axe see the text.
    document.body.style.minHeight = '100vh';
    if (!window.axe) {
        const script = document.createElement('script');
        script.textContent = source;
        document.head.appendChild(script);
    }
    const context = {include: include.map(s => [s])};
    if (exclude.length) context.exclude = exclude.map(s => [s]);
    const results = await window.axe.run(context, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.flatMap(v => v.nodes.map(n => ({
        rule: v.id, impact: n.impact || v.impact || '', help: v.help,
        target: n.target.join(' '), html: n.html, summary: n.failureSummary || '',
    })));
}"""


def require_axe() -> None:
    """Skip the calling test with the reason axe-core is missing; under CI, fail instead (the
    accessibility tests must run there)."""
    from availability import skip_or_fail

    skip_or_fail("accessibility tests", axe_unavailable_reason())


def audit(page, include: list[str], exclude: list[str] = ()) -> list[Violation]:
    """Run axe-core's WCAG A/AA rules over the elements matching ``include``; serious or worse."""
    found = page.evaluate(
        _RUN_AXE,
        {
            "source": axe_path().read_text(encoding="utf-8"),
            "include": list(include),
            "exclude": list(exclude),
            "tags": WCAG_TAGS,
        },
    )
    return [Violation(**v) for v in found if v["impact"] in FAILING_IMPACTS]


# ----------------------------------------------------------------------------- contrast (WCAG 2.2)

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1a7f37', '#fff' or 'rgb(26, 127, 55)' as three integers."""
    colour = colour.strip()
    match = _HEX.match(colour)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    numbers = re.findall(r"[\d.]+", colour)
    if colour.startswith("rgb") and len(numbers) >= 3:
        return tuple(round(float(n)) for n in numbers[:3])  # type: ignore[return-value]
    raise ValueError(f"not a colour this test understands: {colour!r}")


def luminance(colour: str) -> float:
    """Relative luminance, as WCAG 2.2 defines it (sRGB, linearised)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two opaque colours, from 1 to 21."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
