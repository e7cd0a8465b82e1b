"""The learning path and the environment check shown in ``00-start-here``.

The list of lessons is read from the lessons' folder itself, so the table of contents can never
promise a lesson that is not there, nor forget one that is.

On a JupyterHub the lessons a student pulls (with nbgitpuller) and the powkit the kernel imports
(installed in the hub's image) are updated separately, so they can drift apart. The environment
check therefore compares the version the lessons were built for (``powkit-course.json`` in a
student tree, or the version written in a full checkout) with the version installed.
"""

from __future__ import annotations

import ast
import html
import importlib
import json
import os
import sys
import tomllib
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


def _lessons_folder() -> Path:
    """The folder the learner is working in if it holds lessons (a kernel starts in its
    notebook's folder: on a hub that is the pulled copy), else the checkout's ``notebooks/``."""
    here = Path.cwd()
    if any(here.glob("[0-9][0-9]-*.ipynb")):
        return here
    return REPO / "notebooks"


def lessons(folder: Path | None = None) -> list[Lesson]:
    """The notebooks of a folder in order, with their titles and estimated times."""
    folder = folder or _lessons_folder()
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
    """One thing the kit needs, whether it is there, and what to do if not.

    ``problem`` is the word shown when the check fails: MISSING for something to install,
    WARNING for something that works but may mislead (lessons of another version)."""

    what: str
    ok: bool
    detail: str
    problem: str = "MISSING"


#: Written by ``python -m powkit student-tree`` at the top of the tree it builds.
COURSE_MANIFEST = "powkit-course.json"


def _version_in_checkout(root: Path) -> str | None:
    """The version a full checkout declares, read as text (never imported or run)."""
    init = root / "powkit" / "__init__.py"
    if init.is_file():
        try:
            tree = ast.parse(init.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            tree = None
        for node in getattr(tree, "body", []):
            if (
                isinstance(node, ast.Assign)
                and any(getattr(t, "id", None) == "__version__" for t in node.targets)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
            return None
        return version if isinstance(version, str) else None
    return None


def lessons_version(folder: Path | None = None) -> tuple[str, Path] | None:
    """The powkit version the lessons in ``folder`` (default: the working folder) were built
    for, and the file that says so; None if nothing nearby says (lessons copied on their own)."""
    folder = (folder or Path.cwd()).resolve()
    for root in (folder, folder.parent):
        manifest = root / COURSE_MANIFEST
        if manifest.is_file():
            try:
                version = json.loads(manifest.read_text(encoding="utf-8")).get("powkit_version")
            except (OSError, ValueError, AttributeError):
                version = None
            if isinstance(version, str):
                return version, manifest
        version = _version_in_checkout(root)
        if version:
            return version, root
    return None


def version_check(folder: Path | None = None) -> Check | None:
    """Do the lessons here and the powkit the kernel imports have the same version? None when the
    lessons do not say which version they are (nothing to compare)."""
    import powkit

    found = lessons_version(folder)
    if found is None:
        return None
    wanted, where = found
    installed = powkit.__version__
    what = "The lessons and the installed powkit are the same version"
    if wanted == installed:
        return Check(what, True, f"powkit {installed}")
    return Check(
        what,
        False,
        f"these lessons are for powkit {wanted} (says {where.name}) but this kernel has powkit "
        f"{installed} installed, so some cells may fail or show text that differs from the "
        "lesson. On a JupyterHub, tell your instructor (the hub's image needs powkit "
        f"{wanted}); on your own computer, run  pip install -r requirements.txt  again in the "
        "course folder.",
        problem="WARNING",
    )


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
        *filter(None, [version_check()]),
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
