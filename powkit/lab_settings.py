"""The kit's JupyterLab settings: keys pressed on a widget go to the widget.

Why: in a notebook's command mode JupyterLab takes single keys for itself (the arrows move
between cells, ``A`` inserts a cell, ``D D`` deletes one), even when the focus is on a radio
button or a list inside a cell's output. The kit's settings file,
``data/jupyterlab/overrides.d/powkit.json``, keeps those shortcuts everywhere except on a control
in an output (docs/accessibility.md).

Where JupyterLab reads it: jupyterlab_server reads setting overrides from the application
folder's ``settings/overrides.d/*.json`` (one file per package, in name order) and then
``settings/overrides.json``, the person's own file, whose values win. The kit's file is
``overrides.d/powkit.json``, so a learner's own ``overrides.json`` is never written over. Two
things follow, and :func:`status` checks both:

- **An editable install has no copy.** A wheel installs the file there (``pyproject.toml``'s
  data files: the README's learner route, a hub image). ``pip install -e`` (the developer's
  ``requirements.txt``) installs no data files, so :func:`install` (``powkit lab-settings``)
  copies it.
- **A person's own overrides.json can replace the kit's list.** Overrides merge key by key, but
  a list is replaced whole: an ``overrides.json`` with its own keyboard shortcuts hides the
  kit's. Their file stays theirs; the check says so and what to do.

JupyterLab reads the overrides when its server starts, so a change shows after a restart.

The application folder is found as ``jupyterlab.commands.get_app_dir`` finds it, without
importing JupyterLab (that takes seconds, and the environment check runs in every learner's
``00-start-here``); a test compares the two.
"""

from __future__ import annotations

import json
import os
import site
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from powkit.resources import shipped_dir

__all__ = [
    "FILE_NAME",
    "PLUGIN",
    "SettingsStatus",
    "app_dir",
    "install",
    "installed_path",
    "remove",
    "shipped_path",
    "shipped_settings",
    "status",
]

#: The file's name in ``overrides.d/``: one file per package.
FILE_NAME = "powkit.json"
#: Where the file is in the kit's shipped content (``data/`` in a checkout).
SHIPPED = ("jupyterlab", "overrides.d", FILE_NAME)
#: The JupyterLab plugin whose defaults the file changes.
PLUGIN = "@jupyterlab/shortcuts-extension:shortcuts"
#: What a person runs to put the file in place.
COMMAND = "powkit lab-settings"


def shipped_path() -> Path:
    """The kit's settings file as shipped (never an instructor's ``POWKIT_DATA`` copy)."""
    return shipped_dir().joinpath(*SHIPPED)


def shipped_settings() -> dict:
    """The kit's JupyterLab setting overrides, as a mapping of plugin id to settings."""
    return json.loads(shipped_path().read_text(encoding="utf-8"))


def _jupyterlab_package() -> Path | None:
    """The folder of the ``jupyterlab`` package in this environment (not imported), or None."""
    try:
        spec = find_spec("jupyterlab")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(os.path.abspath(next(iter(spec.submodule_search_locations))))


def app_dir() -> Path | None:
    """JupyterLab's application folder for this environment, as ``jupyter lab path`` shows it;
    None when JupyterLab is not installed here.

    The same rules as ``jupyterlab.commands.get_app_dir``: ``$JUPYTERLAB_DIR``; else
    ``<sys.prefix>/share/jupyter/lab``; a per-user install's base instead; a system Python's
    ``/usr/local/share/jupyter/lab``; or the prefix above the package's own site-packages.
    """
    if os.environ.get("JUPYTERLAB_DIR"):
        return Path(os.environ["JUPYTERLAB_DIR"]).resolve()
    here = _jupyterlab_package()
    if here is None:
        return None
    folder = os.path.join(sys.prefix, "share", "jupyter", "lab")
    userbase = site.getuserbase() if hasattr(site, "getuserbase") else None
    if userbase and str(here).startswith(userbase) and not folder.startswith(userbase):
        folder = os.path.join(userbase, "share", "jupyter", "lab")
    elif (
        sys.prefix.startswith("/usr")
        and not os.path.exists(folder)
        and os.path.exists("/usr/local/share/jupyter/lab")
    ):
        folder = "/usr/local/share/jupyter/lab"
    elif not os.path.exists(folder):
        beside = os.path.join(os.path.dirname(here.parent.parent.parent), "share", "jupyter", "lab")
        if os.path.exists(beside):
            folder = beside
    return Path(folder)


def _settings_dir(folder: str | Path | None) -> Path | None:
    base = Path(folder).expanduser() if folder is not None else app_dir()
    return None if base is None else base / "settings"


def installed_path(folder: str | Path | None = None) -> Path | None:
    """Where JupyterLab looks for the kit's file (``folder`` is JupyterLab's application
    folder, default: this environment's); None when JupyterLab is not installed here."""
    settings = _settings_dir(folder)
    return None if settings is None else settings / "overrides.d" / FILE_NAME


def _merge(into: dict, new: dict) -> None:
    """jupyterlab_server's merge (``recursive_update``): mappings merge, anything else replaces,
    None deletes."""
    for key, value in new.items():
        if isinstance(value, dict):
            into.setdefault(key, {})
            if isinstance(into[key], dict):
                _merge(into[key], value)
            else:
                into[key] = value
        elif value is None:
            into.pop(key, None)
        else:
            into[key] = value


def effective_overrides(settings: Path) -> tuple[dict, list[str]]:
    """The overrides JupyterLab's server computes from ``settings/`` (overrides.d in name order,
    then the person's overrides.json), and the files not read here: ones that are not valid
    JSON (the server skips those too) and JSON5 ones (the server reads them; the kit does not
    carry a JSON5 reader)."""
    overrides: dict = {}
    unreadable = []
    files = sorted([*settings.glob("overrides.d/*.json"), *settings.glob("overrides.d/*.json5")])
    files += [settings / "overrides.json", settings / "overrides.json5"]
    for path in files:
        if not path.is_file():
            continue
        try:
            if path.suffix == ".json5":
                raise ValueError("JSON5")
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            unreadable.append(str(path))
            continue
        if isinstance(found, dict):
            for plugin, values in found.items():
                _merge(overrides.setdefault(plugin, {}), values if isinstance(values, dict) else {})
    return overrides, unreadable


@dataclass(frozen=True)
class SettingsStatus:
    """Whether JupyterLab will use the kit's settings, where, and what to do if not."""

    active: bool
    path: Path | None
    detail: str


def status(folder: str | Path | None = None) -> SettingsStatus:
    """Is the kit's file where JupyterLab reads it, current, and not replaced by the person's
    own ``overrides.json``? ``folder`` is JupyterLab's application folder (default: this
    environment's)."""
    path = installed_path(folder)
    if path is None:
        return SettingsStatus(
            False,
            None,
            "JupyterLab is not installed in this Python environment, so the kit cannot tell; "
            f'if JupyterLab runs from another environment, run  {COMMAND} --app-dir "FOLDER"  '
            "with the application folder that  jupyter lab path  shows there",
        )
    restart = "then close JupyterLab and open it again"
    if not path.is_file():
        return SettingsStatus(
            False,
            path,
            "not installed, so the arrow keys on a quiz's options move between cells instead: "
            f"run  {COMMAND}  in a terminal, {restart}",
        )
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        current = None
    ours = shipped_settings()
    if current != ours:
        return SettingsStatus(
            False, path, f"{path} is not this version's: run  {COMMAND}  again, {restart}"
        )
    merged, unreadable = effective_overrides(path.parent.parent)
    for plugin, values in ours.items():
        for key, wanted in values.items():
            got = merged.get(plugin, {}).get(key)
            covered = (
                isinstance(got, list) and all(entry in got for entry in wanted)
                if isinstance(wanted, list)
                else got == wanted
            )
            if not covered:
                own = path.parent.parent / "overrides.json"
                return SettingsStatus(
                    False,
                    path,
                    f"your own {own} sets '{key}' of {plugin} and replaces the kit's list; "
                    f"add the entries of {path} to it (docs/accessibility.md)",
                )
    json5 = [f for f in unreadable if f.endswith(".json5")]
    if json5:
        return SettingsStatus(
            True,
            path,
            f"{path}; the kit cannot read {', '.join(json5)}: if it sets keyboard shortcuts, "
            "they replace the kit's",
        )
    return SettingsStatus(True, path, str(path))


def install(folder: str | Path | None = None) -> Path:
    """Copy the kit's file into JupyterLab's ``settings/overrides.d/`` (this environment's, or
    that of the application folder ``folder``); nothing else there is touched. Returns the path.

    Raises FileNotFoundError when JupyterLab is not installed here and no folder is given.
    """
    path = installed_path(folder)
    if path is None:
        raise FileNotFoundError(
            "JupyterLab is not installed in this Python environment "
            '(pip install ".[lab]"); if it runs from another environment, pass its application '
            "folder with --app-dir (jupyter lab path shows it)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(shipped_path().read_text(encoding="utf-8"), encoding="utf-8")
    return path


def remove(folder: str | Path | None = None) -> Path | None:
    """Delete the kit's file from ``overrides.d/`` (only that file); returns it if it was there."""
    path = installed_path(folder)
    if path is None or not path.is_file():
        return None
    path.unlink()
    return path
