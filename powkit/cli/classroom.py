"""The ``student-tree`` command: what a class pulls onto its JupyterHub (see :mod:`powkit.student_tree`)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from powkit.student_tree import StudentTreeError, build_student_tree, class_link, commit_to_branch


def _student_tree_cmd(args: argparse.Namespace) -> int:
    if args.out is None and args.branch is None:
        print("error: name a folder (OUT), a --branch, or both", file=sys.stderr)
        return 2
    source = Path(args.source).resolve()
    try:
        with tempfile.TemporaryDirectory(prefix="powkit-student-out-") as tmp:
            out = Path(args.out) if args.out else Path(tmp) / "tree"
            written = build_student_tree(out, source)
            lessons = sum(1 for p in written if p.parts[0] == "notebooks")
            exercises = sum(1 for p in written if p.parts[0] == "exercises")
            if args.out:
                print(
                    f"wrote the student tree to {out}: {lessons} lessons, {exercises} exercises, "
                    "the data; no solutions/, no instructor/"
                )
            if args.branch:
                commit = commit_to_branch(out, args.branch, source)
                if commit is None:
                    print(f"branch {args.branch} is already up to date")
                else:
                    print(
                        f"committed the student tree to branch {args.branch} ({commit[:12]}); "
                        f"publish it with: git push origin {args.branch}"
                    )
            if args.hub and args.repo:
                link = class_link(args.hub, args.repo, args.branch or "student")
                print(f"the link for your students:\n{link}")
    except StudentTreeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``student-tree`` to the command line."""
    cmd = sub.add_parser(
        "student-tree",
        help="the course without solutions/ or instructor/, for an nbgitpuller link",
        description="Build what students should pull onto a JupyterHub: the lessons, exercises "
        "generated from solutions/, the data and the bank format; no solutions, no instructor "
        "notes. Write it to a folder, or commit it to a branch (each build on top of the last, "
        "so students' next pull keeps their edits). See docs/instructors.md.",
    )
    cmd.add_argument("out", nargs="?", default=None, metavar="OUT", help="folder to write")
    cmd.add_argument(
        "--branch",
        default=None,
        metavar="NAME",
        help="also commit the tree to this branch of the source repository (e.g. student)",
    )
    cmd.add_argument(
        "--source", default=".", help="the powkit checkout to build from (default: this folder)"
    )
    cmd.add_argument("--hub", default=None, help="your hub's address, to print the class link")
    cmd.add_argument(
        "--repo", default=None, help="the repository students pull from, to print the class link"
    )
    cmd.set_defaults(handler=_student_tree_cmd)
