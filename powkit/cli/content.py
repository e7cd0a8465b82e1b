"""The ``validate`` and ``export-progress`` commands.

``powkit validate`` checks everything an instructor can edit (treaty texts, the table of
contents, banks, scenarios, case files, decision trees, datasets, an instructor's own folder
included) and says what it checked; ``powkit validate data/quizzes/my-bank.yaml`` checks the
files named, whatever their format. Every problem is printed at once, one per line
(``file: item: field: message``), so an author fixes a file in one pass.
``python -m powkit export-progress out.csv`` writes the learner's answers for an instructor,
under a pseudonymous learner id.
"""

from __future__ import annotations

import argparse
import sys


def _validate(args: argparse.Namespace) -> int:
    from powkit import catalog

    report = catalog.check_paths(args.paths) if args.paths else catalog.check_all()
    if not report.checked and not report.problems:
        shown = ", ".join(args.paths)
        print(f"error: no .yaml or .csv files in {shown}", file=sys.stderr)
        return 1
    for problem in report.problems:
        print(problem)
    checked = "\n".join(["checked:", *report.lines()])
    if report.problems:
        n = len(report.problems)
        print(f"{checked}\n{n} problem{'s' if n != 1 else ''}", file=sys.stderr)
        return 1
    print(checked)
    print("OK: no problems")
    return 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from powkit.banks import bank_schema

    print(json.dumps(bank_schema(), indent=2, ensure_ascii=False))
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
        help="check the kit's content files; print every problem",
        description="Check content files: question banks, scenarios, case files, decision trees, "
        "the table of contents and datasets (a folder means its *.yaml and *.csv files). With no "
        "PATH, checks everything the kit reads, including the folder named by POWKIT_DATA.",
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help="content files, or folders of them"
    )
    validate.set_defaults(handler=_validate)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of a content format, for an editor that checks as you type",
        description="Print the JSON Schema of the question-bank format, with the kit's current "
        "topics filled in. Save it and point your editor at it (see docs/authoring.md).",
    )
    schema.add_argument("format", choices=["bank"], help="the format (bank)")
    schema.set_defaults(handler=_schema)

    export = sub.add_parser(
        "export-progress",
        help="write saved quiz answers to a CSV file with a pseudonymous learner id",
    )
    export.add_argument("out", metavar="OUT.csv")
    export.add_argument(
        "--home", default=None, help="progress folder (default $POWKIT_HOME or ~/.powkit)"
    )
    export.set_defaults(handler=_export)
