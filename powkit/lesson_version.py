"""Do the lessons a learner has open and the powkit their kernel imports belong together?

On a JupyterHub the two are updated separately: nbgitpuller pulls the lessons into each
student's home, while the kernel imports the powkit installed in the hub's image. When an
instructor updates one and not the other, a lesson may call something the installed powkit does
not have, or show text that differs from the lesson's prose. ``00-start-here``'s environment
check therefore compares the version the lessons were built for with the version installed.

Where the lessons say their version, looking in their folder and the folder above it:

- ``powkit-course.json``, written by ``python -m powkit student-tree`` at the top of the tree it
  builds (see :mod:`powkit.student_tree`);
- in a full checkout, ``powkit/__init__.py``'s ``__version__`` (or ``pyproject.toml``'s
  ``[project] version``), read as text: nothing in the pulled folder is imported or run.
"""

from __future__ import annotations

import ast
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["COURSE_MANIFEST", "VersionCheck", "lessons_version", "version_check"]

#: Written by ``python -m powkit student-tree`` at the top of the tree it builds.
COURSE_MANIFEST = "powkit-course.json"
WHAT = "Lessons and powkit of the same version"


@dataclass(frozen=True)
class VersionCheck:
    """The outcome, in the words the environment check shows."""

    ok: bool
    detail: str
    what: str = WHAT


def _version_in_checkout(root: Path) -> str | None:
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
    """The powkit version the lessons in ``folder`` (default: the working folder, where a kernel
    starts) were built for, and the file that says so; None if nothing nearby says."""
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
            return version, root / "powkit" / "__init__.py"
    return None


def version_check(folder: Path | None = None) -> VersionCheck | None:
    """Compare the lessons' version with ``powkit.__version__``; None when the lessons do not
    say which version they are (lessons copied on their own: nothing to compare)."""
    from powkit import __version__ as installed

    found = lessons_version(folder)
    if found is None:
        return None
    wanted, where = found
    if wanted == installed:
        return VersionCheck(True, f"powkit {installed}")
    return VersionCheck(
        False,
        f"these lessons are for powkit {wanted} ({where.name}), this kernel has powkit "
        f"{installed}: some cells may fail or differ from the text. On a JupyterHub, tell your "
        f"instructor (the hub's image needs powkit {wanted}); on your own computer, run the "
        "README's install command again in the course folder.",
    )
