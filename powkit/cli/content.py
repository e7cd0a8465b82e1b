"""The ``validate`` and ``export-progress`` commands.

``python -m powkit validate data/quizzes data/scenarios`` checks question banks and scenarios
and prints every problem at once, one per line, so an author fixes a file in one pass.
``python -m powkit export-progress out.csv`` writes the learner's answers for an instructor,
under a pseudonymous learner id.
"""

from __future__ import annotations

import argparse
import sys

from powkit import banks


def _validate(args: argparse.Namespace) -> int:
    paths = args.paths or [*banks.bank_files(), *banks.scenario_files()]
    files = banks.bank_paths(paths)
    if not files:
        print(f"error: no .yaml files in {', '.join(str(p) for p in paths)}", file=sys.stderr)
        return 1
    result = banks.validate(files)
    for problem in result.problems:
        print(problem)
    if result.problems:
        n = len(result.problems)
        print(
            f"{n} problem{'s' if n != 1 else ''} in {len(files)} file{'s' if len(files) != 1 else ''}",
            file=sys.stderr,
        )
        return 1
    questions = sum(len(b.questions) for b in result.banks)
    print(
        f"OK: {questions} questions in {len(result.banks)} banks, {len(result.scenarios)} scenarios"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from powkit.progress import Progress

    store = Progress(args.home)
    rows = store.export_csv(args.out)
    print(f"wrote {rows} answer{'s' if rows != 1 else ''} from {store.path} to {args.out}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    validate = sub.add_parser(
        "validate",
        help="check question banks and scenarios; print every problem",
        description="Check question banks and branching scenarios. A directory means its *.yaml files. "
        "With no PATH, checks data/quizzes and data/scenarios.",
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="bank or scenario files, or directories"
    )
    validate.set_defaults(handler=_validate)

    export = sub.add_parser(
        "export-progress",
        help="write saved quiz answers to a CSV file with a pseudonymous learner id",
    )
    export.add_argument("out", metavar="OUT.csv")
    export.add_argument(
        "--home", default=None, help="progress folder (default $POWKIT_HOME or ~/.powkit)"
    )
    export.set_defaults(handler=_export)
