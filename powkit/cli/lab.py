"""The ``lab-settings`` command: put the kit's JupyterLab settings where JupyterLab reads them.

An installed kit already has them; an editable install (``pip install -e``, the developer's
``requirements.txt``) does not, and this command copies them. The work is done by
:mod:`powkit.lab_settings`.
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "lab-settings",
        help="install the kit's JupyterLab settings (widgets keep the arrow and letter keys)",
        description="Copy the kit's JupyterLab settings into JupyterLab's "
        "settings/overrides.d/powkit.json, so that the arrow and letter keys pressed on a "
        "control in a lesson's output go to the control instead of JupyterLab's notebook "
        "shortcuts. Your own overrides.json is never touched. An installed kit has them "
        "already; an editable install (pip install -e) needs this once. Restart JupyterLab "
        "afterwards.",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument(
        "--check",
        action="store_true",
        help="only say whether JupyterLab uses the settings (exit status 1 if not)",
    )
    action.add_argument(
        "--remove", action="store_true", help="delete the kit's settings file (and nothing else)"
    )
    parser.add_argument(
        "--app-dir",
        metavar="FOLDER",
        help="JupyterLab's application folder, if JupyterLab runs from another Python "
        "environment (jupyter lab path shows it there); default: this environment's",
    )
    parser.set_defaults(handler=_lab_settings)


def _lab_settings(args: argparse.Namespace) -> int:
    from powkit import lab_settings

    if args.check:
        found = lab_settings.status(args.app_dir)
        print(f"{'OK' if found.active else 'NOT ACTIVE'}: {found.detail}")
        return 0 if found.active else 1
    if args.remove:
        removed = lab_settings.remove(args.app_dir)
        print(f"removed {removed}" if removed else "the kit's settings file was not installed")
        return 0
    try:
        path = lab_settings.install(args.app_dir)
    except (FileNotFoundError, OSError) as error:
        print(f"powkit lab-settings: {error}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    found = lab_settings.status(args.app_dir)
    if not found.active:
        print(f"but JupyterLab will not use it: {found.detail}", file=sys.stderr)
        return 1
    print("Close JupyterLab and open it again to use it.")
    return 0
