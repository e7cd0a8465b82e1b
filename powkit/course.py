"""The learning path and the environment check shown in ``00-start-here``.

The list of lessons is read from ``notebooks/`` itself, so the table of contents can never
promise a lesson that is not there, nor forget one that is.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    minutes: str

    @property
    def name(self) -> str:
        return self.path.name


def _first_heading_and_time(path: Path) -> tuple[str, str]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    title, minutes = path.stem, ""
    for cell in raw.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell.get("source", []))
        for line in text.splitlines():
            if line.startswith("# ") and title == path.stem:
                title = line[2:].strip()
            lowered = line.lower()
            if not minutes and "time:" in lowered:
                minutes = line.split(":", 1)[1].strip(" *")
        if title != path.stem and minutes:
            break
    return title, minutes


def lessons(folder: Path | None = None) -> list[Lesson]:
    """The notebooks of a folder in order, with their titles and estimated times."""
    folder = folder or REPO / "notebooks"
    found = []
    for path in sorted(folder.glob("[0-9][0-9]-*.ipynb")):
        title, minutes = _first_heading_and_time(path)
        found.append(Lesson(path=path, title=title, minutes=minutes))
    return found


def learning_path_html(folder: Path | None = None) -> str:
    """An HTML table of the lessons, each linked so that a click opens it in JupyterLab."""
    rows = "".join(
        f"<tr><td><a href='{html.escape(lesson.name)}'>{html.escape(lesson.name)}</a></td>"
        f"<td>{html.escape(lesson.title)}</td><td>{html.escape(lesson.minutes)}</td></tr>"
        for lesson in lessons(folder)
    )
    return (
        "<table><caption>The lessons, in order</caption>"
        "<thead><tr><th scope='col'>Notebook</th><th scope='col'>Lesson</th>"
        f"<th scope='col'>Time</th></tr></thead><tbody>{rows}</tbody></table>"
    )


@dataclass(frozen=True)
class Check:
    """One thing the kit needs, whether it is there, and what to do if not."""

    what: str
    ok: bool
    detail: str
    #: The word shown when the check fails: MISSING (install something) or WARNING.
    problem: str = "MISSING"


def _lesson_version_check() -> list[Check]:
    """The lessons' version against the installed powkit's (see :mod:`powkit.lesson_version`)."""
    from powkit.lesson_version import version_check

    found = version_check()
    return [] if found is None else [Check(found.what, found.ok, found.detail, "WARNING")]


def _module_check(name: str, why: str) -> Check:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return Check(
            why, False, f"the package '{name}' is missing: run  pip install -r requirements.txt"
        )
    return Check(why, True, f"{name} {getattr(module, '__version__', '')}".strip())


def environment_checks() -> list[Check]:
    """Everything the lessons need, checked in plain words (nothing here needs the internet)."""
    checks = [
        Check(
            "Python 3.11 or newer",
            sys.version_info >= (3, 11),
            f"this is Python {sys.version.split()[0]}"
            + ("" if sys.version_info >= (3, 11) else ": install Python 3.11+ and make a new venv"),
        ),
        *_lesson_version_check(),
        _module_check("ipywidgets", "Interactive widgets (quizzes, the Convention browser)"),
        _module_check("pandas", "Tables of data"),
        _module_check("matplotlib", "Charts"),
        _module_check("yaml", "Question banks (PyYAML)"),
        _module_check("jupyterlab_widgets", "Widgets shown inside JupyterLab"),
    ]
    try:
        from powkit import convention

        count = len(convention.articles("GCIII"))
        checks.append(
            Check(
                "The text of the Third Geneva Convention",
                count == 143,
                f"{count} of 143 articles loaded",
            )
        )
    except Exception as error:  # the check must report, not crash
        checks.append(
            Check(
                "The text of the Third Geneva Convention",
                False,
                f"could not load data/gc3.json: {error}",
            )
        )
    home = Path(os.environ.get("POWKIT_HOME", Path.home() / ".powkit"))
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-test"
        probe.write_text("ok")
        probe.unlink()
        checks.append(Check("A folder to save your progress", True, str(home)))
    except OSError as error:
        checks.append(
            Check(
                "A folder to save your progress",
                False,
                f"cannot write to {home} ({error}); set POWKIT_HOME to a folder you own",
            )
        )
    return checks


def environment_report_html() -> str:
    """The environment check as an accessible HTML list: a word, not only a colour, says ok or not."""
    items = "".join(
        f"<li><strong>{'OK' if c.ok else html.escape(c.problem)}</strong>: {html.escape(c.what)} "
        f"<small>({html.escape(c.detail)})</small></li>"
        for c in environment_checks()
    )
    return f"<ul class='powkit-environment'>{items}</ul>"
