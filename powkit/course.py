"""The learning path and the environment check shown in ``00-start-here``.

The course's order is an explicit table of contents, ``data/toc.yaml`` (QuantEcon's ``_toc.yml``
idea), not a glob of ``notebooks/``: an installed kit, a JupyterLite site and a student's hub
tree all have the same path even where no ``notebooks/`` folder sits beside the package. A test
checks that the table and the notebooks agree (every notebook listed, each title and time the
notebook's own).
"""

from __future__ import annotations

import html
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from powkit import banks as _banks
from powkit.markup import HTMLView, plain_list, table
from powkit.progress import default_home, show_summary
from powkit.resources import data_file
from powkit.validation import Checker, Problem, ValidationError, describe_type, open_mapping

TOC_FILE = "toc.yaml"


@dataclass(frozen=True)
class Lesson:
    """One notebook of the course, as the table of contents lists it."""

    file: str  # relative to the course's root, e.g. "notebooks/03-who-is-a-pow.ipynb"
    title: str
    minutes: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.file).name


class TocError(ValidationError):
    """A table of contents that cannot be used; ``problems`` lists every reason at once."""


def _entries(raw: dict, key: str, check: Checker) -> list[Lesson]:
    value = raw.get(key)
    if not isinstance(value, list):
        check.add(
            "",
            key,
            f"must be a list of entries with file, title and time, not {describe_type(value)}",
        )
        return []
    out = []
    for number, entry in enumerate(value, 1):
        item = f"{key} entry {number}"
        if not isinstance(entry, dict):
            check.add(
                item, "", f"must be a mapping with file, title and time, not {describe_type(entry)}"
            )
            continue
        check.unknown(entry, ("file", "title", "time"), item)
        fields = [check.text(entry, name, item) for name in ("file", "title", "time")]
        if None not in fields:
            out.append(Lesson(*(str(f) for f in fields)))
    return out


def check_toc(
    path: str | Path | None = None,
) -> tuple[dict[str, list[Lesson]] | None, list[Problem]]:
    """Read and check a table of contents; return its entries (None if unusable) and problems."""
    raw, check = open_mapping(
        path if path is not None else data_file(TOC_FILE), ("title", "lessons", "exercises")
    )
    if raw is None:
        return None, check.problems
    toc = {
        "lessons": _entries(raw, "lessons", check),
        "exercises": _entries(raw, "exercises", check),
    }
    if check.problems:
        return None, check.problems
    return toc, []


def table_of_contents() -> dict[str, list[Lesson]]:
    """The course's lessons and exercises, in order, from ``data/toc.yaml``."""
    toc, problems = check_toc()
    if toc is None:
        raise TocError(problems)
    return toc


def lessons() -> list[Lesson]:
    """The lessons in the order they are meant to be read, with titles and estimated times."""
    return table_of_contents()["lessons"]


def exercises() -> list[Lesson]:
    """The exercises, in order."""
    return table_of_contents()["exercises"]


def learning_path_html() -> str:
    """An HTML table of the lessons, each linked so that a click opens it in JupyterLab.

    The links are relative to the lessons' own folder, where ``00-start-here`` sits.
    """
    rows = [
        (
            f'<a href="{html.escape(lesson.name, quote=True)}">{html.escape(lesson.name)}</a>',
            html.escape(lesson.title),
            html.escape(lesson.minutes),
        )
        for lesson in lessons()
    ]
    return table(("Notebook", "Lesson", "Time"), rows, caption="The lessons, in order")


def learning_path() -> HTMLView:
    """The lessons in order, as a linked table in a notebook and as lines of text when printed."""
    text = "\n".join(f"{x.name}  {x.title} ({x.minutes})" for x in lessons())
    return HTMLView(learning_path_html(), text)


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


#: What the JupyterLab settings line of the environment check is about.
LAB_SETTINGS_CHECK = "Keyboard settings for the widgets in JupyterLab"


def _lab_settings_check() -> list[Check]:
    """Whether JupyterLab gives the widgets their keys (see :mod:`powkit.lab_settings`).

    Nothing to say in the browser (a JupyterLite site carries the settings itself) or where
    JupyterLab is not installed beside the kernel (another editor, or a JupyterLab elsewhere:
    the kit cannot see it from here).
    """
    from powkit import lab_settings

    if sys.platform == "emscripten" or lab_settings.app_dir() is None:
        return []
    try:
        found = lab_settings.status()
    except Exception as error:  # the check must report, not crash
        return [Check(LAB_SETTINGS_CHECK, False, f"could not check: {error}", "WARNING")]
    return [Check(LAB_SETTINGS_CHECK, found.active, found.detail, "WARNING")]


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
        *_lab_settings_check(),
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
                f"could not load the treaty text: {error}",
            )
        )
    home = default_home()
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


def _report_html(checks: list[Check]) -> str:
    return plain_list(
        (
            f"<strong>{'OK' if c.ok else html.escape(c.problem)}</strong>: {html.escape(c.what)} "
            f"<small>({html.escape(c.detail)})</small>"
            for c in checks
        ),
        cls="powkit-environment",
    )


def environment_report_html() -> str:
    """The environment check as an accessible HTML list: a word, not only a colour, says ok or not."""
    return _report_html(environment_checks())


def environment_report() -> HTMLView:
    """The environment check: a list in a notebook, lines of text when printed."""
    checks = environment_checks()
    text = "\n".join(f"{'OK' if c.ok else c.problem}: {c.what} ({c.detail})" for c in checks)
    return HTMLView(_report_html(checks), text)


def your_progress() -> HTMLView:
    """The learner's saved answers per quiz, with each shipped bank's number of questions."""
    try:
        known = _banks.load_banks()
    except (_banks.BankError, OSError):  # a broken bank must not hide the learner's progress
        known = None
    return show_summary(banks=known)
