"""The command line: ``powkit COMMAND`` (or ``python -m powkit COMMAND``).

Every command lives in this package, one module per group of commands, each defining
``register(subparsers)``. Modules import what a command needs inside its handler, so that
``powkit cite`` does not pay for pandas or nbformat. Adding a command means adding a module and
one line to :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from powkit import __version__

#: Modules that contribute sub-commands, in the order they are listed in ``--help``.
COMMAND_MODULES = (
    "powkit.cli.convention",
    "powkit.cli.content",
    "powkit.cli.exercises",
    "powkit.cli.classroom",
    "powkit.cli.site",
    "powkit.cli.lab",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powkit",
        description="powkit: the law of prisoners of war, from the command line. "
        "Every command also runs as: python -m powkit COMMAND",
    )
    parser.add_argument("--version", action="version", version=f"powkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
