"""Command line: ``python -m powkit COMMAND``.

Each module that offers a command defines ``register_cli(subparsers)``; this file only lists them,
so that adding a command never means editing someone else's code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Modules that contribute sub-commands, in the order they are listed in ``--help``.
CLI_MODULES = (
    "powkit.cli_convention",
    "powkit.cli_quiz",
    "powkit.exercises",
    "powkit.student_tree",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m powkit",
        description="powkit: the law of prisoners of war, from the command line.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in CLI_MODULES:
        importlib.import_module(name).register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
