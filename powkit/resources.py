"""Where the kit's files are: the content it ships, an instructor's own folder, and its assets.

Why one module: the kit runs from a git checkout, from an installed wheel, in a JupyterLite site
and on a JupyterHub, and the lessons must find the same files in each. So nothing climbs from
``__file__`` to a checkout; every module asks here.

- **Shipped content** (treaty texts, banks, scenarios, case files, decision trees, datasets, the
  table of contents) lives in the repository's top-level ``data/`` folder. The build maps that
  folder into the distribution as the resource package ``powkit.content`` (see
  ``pyproject.toml``), so an installed kit reads it with :mod:`importlib.resources` and an
  editable install (``pip install -e .``) reads ``data/`` itself: an edit shows at once.
- **An instructor's folder**: the environment variable ``POWKIT_DATA`` names a folder laid out
  like ``data/`` (``quizzes/``, ``scenarios/``, ``case/``, ``trees/`` ...). A file there is used
  instead of the shipped file with the same name; what the folder lacks comes from the kit. So a
  folder holding only ``quizzes/my-bank.yaml`` adds one bank, and a full copy of ``data/``
  replaces everything. The variable is read at every call, never cached.
- **Assets** of the package itself (the stylesheet, the bank schema) are read with
  :func:`asset_text`.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = [
    "CHECKS_PACKAGE",
    "CONTENT_PACKAGE",
    "DATA_ENV",
    "asset_path",
    "asset_text",
    "data_dir",
    "data_file",
    "data_files",
    "display_path",
    "exercise_check_files",
    "file_version",
    "override_dir",
    "shipped_dir",
]

#: The environment variable naming an instructor's own data folder.
DATA_ENV = "POWKIT_DATA"
#: The resource package the build maps the top-level ``data/`` folder to.
CONTENT_PACKAGE = "powkit.content"
#: The resource package the build maps the exercises' check files to (``solutions/``).
CHECKS_PACKAGE = "powkit.exercise_checks"


def _real_path(traversable: object, what: str) -> Path:
    path = Path(str(traversable))
    if not path.exists():  # e.g. a zipped install; the kit needs real files to list folders
        raise FileNotFoundError(
            f"cannot find {what} at {path}; reinstall powkit (pip install powkit) "
            f"or set {DATA_ENV} to a copy of the data/ folder"
        )
    return path


def _resource_dir(package: str, folder: str, what: str) -> Path:
    """A resource package's folder; in a source checkout that is not installed editable, the
    checkout's own ``folder`` (``data/``, ``solutions/``).

    Why the second case: ``python -m powkit`` run in the course's folder imports the checkout's
    ``powkit/`` (Python puts the working folder first), even when the kit is installed as a
    package; the resource packages exist only in an installed or editable kit.
    """
    try:
        found = resources.files(package)
    except ModuleNotFoundError:
        checkout = Path(__file__).resolve().parent.parent
        if (checkout / "pyproject.toml").is_file() and (checkout / folder).is_dir():
            return checkout / folder
        raise
    return _real_path(found, what)


def shipped_dir() -> Path:
    """The content shipped with the kit: ``data/`` in a checkout, ``powkit/content`` when installed."""
    return _resource_dir(CONTENT_PACKAGE, "data", "the kit's shipped data")


def override_dir() -> Path | None:
    """The instructor's folder named by ``$POWKIT_DATA`` (``~`` expanded), or None."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The folder the kit reads first: ``$POWKIT_DATA`` if set, else the shipped content."""
    return override_dir() or shipped_dir()


def _layers() -> list[Path]:
    override = override_dir()
    return [override, shipped_dir()] if override is not None else [shipped_dir()]


def data_file(*parts: str) -> Path:
    """One content file, e.g. ``data_file("quizzes", "status.yaml")``.

    The instructor's copy if ``$POWKIT_DATA`` has one, else the shipped one. When neither
    exists the path in the first folder is returned, so that the error that follows names it.
    """
    layers = _layers()
    for folder in layers:
        candidate = folder.joinpath(*parts)
        if candidate.exists():
            return candidate
    return layers[0].joinpath(*parts)


def data_files(folder: str, patterns: tuple[str, ...] = ("*.yaml", "*.yml")) -> list[Path]:
    """Every file of a content folder (e.g. ``"quizzes"``), the instructor's first.

    A file in ``$POWKIT_DATA/<folder>`` hides the shipped file of the same name. Sorted by name
    within each layer.
    """
    found: dict[str, Path] = {}
    for layer in _layers():
        directory = layer / folder
        if not directory.is_dir():
            continue
        names = sorted({p for pattern in patterns for p in directory.glob(pattern)})
        for path in names:
            found.setdefault(path.name, path)
    return list(found.values())


def display_path(path: str | Path) -> str:
    """A path as a reader knows it: ``data/...`` for shipped content, the folder name for an
    instructor's (``mydata/quizzes/x.yaml``), otherwise the path as given."""
    path = Path(path)
    try:
        resolved = path.resolve()
    except OSError:
        return str(path)
    override = override_dir()
    if override is not None:
        try:
            return str(resolved.relative_to(override.resolve().parent))
        except ValueError:
            pass
    for folder, package in (("data", CONTENT_PACKAGE), ("solutions", CHECKS_PACKAGE)):
        try:
            root = _resource_dir(package, folder, folder).resolve()
            return str(Path(folder) / resolved.relative_to(root))
        except (ValueError, ModuleNotFoundError, FileNotFoundError):
            continue
    return str(path)


def asset_path(name: str) -> Path:
    """A file shipped inside the package itself, e.g. ``asset_path("powkit.css")``."""
    return _real_path(resources.files("powkit") / "assets" / name, f"the asset {name!r}")


def asset_text(name: str) -> str:
    """The text of a package asset (the stylesheet, the bank schema)."""
    return (resources.files("powkit") / "assets" / name).read_text(encoding="utf-8")


def exercise_check_files() -> list[Path]:
    """Every exercise check file: ``$POWKIT_DATA/checks/*.checks.yaml`` first, then the kit's.

    The kit's own sit beside the solution notebooks (``solutions/<exercise>.checks.yaml``) and
    ship as the resource package ``powkit.exercise_checks``.
    """
    found: dict[str, Path] = {}
    override = override_dir()
    folders = [override / "checks"] if override is not None else []
    folders.append(_resource_dir(CHECKS_PACKAGE, "solutions", "the exercises' check files"))
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.checks.yaml")):
                found.setdefault(path.name, path)
    return list(found.values())


def file_version(path: Path) -> tuple[str, int]:
    """(path, modification time): the key of a cache of what a file holds.

    Caches of content keyed this way see a later ``$POWKIT_DATA`` and an edit in place at the
    next call. A file that cannot be stat'ed gets 0; reading it then raises the error that
    names it.
    """
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0
