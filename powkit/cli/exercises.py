"""The ``build-exercises`` and ``report`` commands: instructors' tools for exercises and results.

Paths default to ``solutions/`` and ``exercises/`` in the current folder (the course's root), so
the commands work the same from a checkout and from an installed kit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _build_cmd(args: argparse.Namespace) -> int:
    from powkit.exercises import BuildError, build_exercises, check_exercises

    try:
        if args.check:
            problems = check_exercises(args.solutions, args.exercises)
            for p in problems:
                print(p)
            if problems:
                print(
                    "exercises/ is out of date: run python -m powkit build-exercises",
                    file=sys.stderr,
                )
                return 1
            print(f"OK: {args.exercises} matches {args.solutions}")
            return 0
        written = build_exercises(args.solutions, args.exercises)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {len(written)} exercise notebook{'s' if len(written) != 1 else ''} to {args.exercises}"
    )
    return 0


def _report_cmd(args: argparse.Namespace) -> int:
    from powkit.analysis import format_report, item_analysis, load_results, report_chart

    try:
        results = load_results(args.files)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    table = item_analysis(results)
    learners = results["learner"].nunique()
    print(
        f"{len(results)} answers from {learners} learner{'s' if learners != 1 else ''} "
        f"in {len(args.files)} file{'s' if len(args.files) != 1 else ''}"
    )
    print(format_report(table))
    if not table.empty:
        chart = args.chart or str(Path(args.files[0]).parent / "item-analysis.png")
        report_chart(table, chart)
        print(f"chart saved to {chart}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    build = sub.add_parser(
        "build-exercises",
        help="generate exercises/ (student versions) from solutions/",
        description="Generate the student version of every solutions notebook: solution regions "
        "become placeholders, mark schemes and model answers are removed, outputs stripped.",
    )
    build.add_argument(
        "--solutions", default="solutions", help="default: solutions/ in the current folder"
    )
    build.add_argument(
        "--exercises", default="exercises", help="default: exercises/ in the current folder"
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail if exercises/ differs from what solutions/ gives",
    )
    build.set_defaults(handler=_build_cmd)

    report = sub.add_parser(
        "report",
        help="item analysis of exported quiz results: share correct, top wrong option, discrimination",
        description="Read quiz progress exported by 'python -m powkit export-progress' (one CSV "
        "per learner, or several learners in one file) and print an item analysis.",
    )
    report.add_argument("files", nargs="+", metavar="RESULTS.csv")
    report.add_argument(
        "--chart",
        default=None,
        metavar="PATH.png",
        help="where to save the chart (default: item-analysis.png beside the first file)",
    )
    report.set_defaults(handler=_report_cmd)
