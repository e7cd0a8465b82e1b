"""Exercises for instructors: student versions generated from solutions, and item analysis.

Why generate: each exercise is written once, in ``solutions/`` (the instructor's copy, with model
answers and rubrics). ``python -m powkit build-exercises`` derives ``exercises/`` from it, so the
two can never drift apart and a fix to a question is made in one place. A test regenerates the
exercises and fails if the committed ones differ.

Markers (the same ones nbgrader understands, so ``nbgrader generate_assignment`` gives the same
student version):

``### BEGIN SOLUTION`` ... ``### END SOLUTION``
    in code cells marked ``nbgrader.solution``. The region becomes ``# your answer here`` and
    ``raise NotImplementedError``, indented like the marker line. Put regions inside function
    bodies, so that an untouched exercise still runs top to bottom and every check reports
    "Not yet done".
``=== BEGIN MARK SCHEME ===`` ... ``=== END MARK SCHEME ===``
    in markdown cells marked ``nbgrader.task`` (a manually graded task): the rubric and the model
    answer. The region becomes "Write your answer here." (nbgrader removes it).
``<!-- BEGIN MODEL ANSWER -->`` ... ``<!-- END MODEL ANSWER -->``
    in markdown answer cells marked ``nbgrader.solution`` (a manually graded answer). The region
    becomes "Write your answer here." (nbgrader replaces the whole cell with its own stub).

Outputs and execution counts are stripped; cell ids and nbgrader metadata are kept. A region in
a cell without the matching nbgrader flag is an error (nbgrader would refuse it too).

``python -m powkit report results/*.csv`` reads quiz progress exported with
``python -m powkit export-progress`` and prints, per question, the share correct, the most
chosen wrong option and a discrimination index, and saves a chart (see :func:`item_analysis`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat

__all__ = [
    "BuildError",
    "PLACEHOLDER_CODE",
    "PLACEHOLDER_TEXT",
    "REPORT_COLUMNS",
    "build_exercises",
    "check_exercises",
    "format_report",
    "item_analysis",
    "load_results",
    "render_exercise",
    "report_chart",
    "solution_lines",
]

PLACEHOLDER_CODE = ("# your answer here", "raise NotImplementedError")
PLACEHOLDER_TEXT = "Write your answer here."

_CODE_REGION = ("### BEGIN SOLUTION", "### END SOLUTION", "solution")
_MARK_SCHEME = ("=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ===", "task")
_MODEL_ANSWER = ("<!-- BEGIN MODEL ANSWER -->", "<!-- END MODEL ANSWER -->", "solution")


class BuildError(ValueError):
    """A solutions notebook whose markers cannot be turned into an exercise; says where and how."""


# --------------------------------------------------------------------------- building


def _regions(source: str, begin: str, end: str, where: str) -> list[tuple[int, int]]:
    """(first, last) line indexes of each marked region, markers included."""
    found, start = [], None
    for i, line in enumerate(source.split("\n")):
        if begin in line:
            if start is not None:
                raise BuildError(
                    f"{where}: {begin!r} on line {i + 1} inside another region; "
                    f"close the first one with {end!r}"
                )
            start = i
        elif end in line:
            if start is None:
                raise BuildError(f"{where}: {end!r} on line {i + 1} without a {begin!r} before it")
            found.append((start, i))
            start = None
    if start is not None:
        raise BuildError(f"{where}: {begin!r} on line {start + 1} is never closed; add {end!r}")
    return found


def _replace(source: str, regions: list[tuple[int, int]], stub: Sequence[str]) -> str:
    lines = source.split("\n")
    out: list[str] = []
    last = 0
    for first, final in regions:
        out.extend(lines[last:first])
        indent = re.match(r"\s*", lines[first]).group(0)
        out.extend(indent + s for s in stub)
        last = final + 1
    out.extend(lines[last:])
    return "\n".join(out)


def _flag(cell, name: str) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get(name, False))


def render_exercise(nb: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The student version of a solutions notebook (a new object; ``nb`` is not changed)."""
    out = nbformat.from_dict(_deepcopy(nb))
    for index, cell in enumerate(out.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        where = f"{name}: cell {index}" + (f" ({grade_id})" if grade_id else "")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
            markers = [(_CODE_REGION, PLACEHOLDER_CODE)]
        elif cell.cell_type == "markdown":
            markers = [(_MARK_SCHEME, (PLACEHOLDER_TEXT,)), (_MODEL_ANSWER, (PLACEHOLDER_TEXT,))]
        else:
            continue
        for (begin, end, flag), stub in markers:
            regions = _regions(cell.source, begin, end, where)
            if not regions:
                continue
            if not _flag(cell, flag):
                raise BuildError(
                    f"{where}: has a {begin!r} region but its nbgrader metadata does not set "
                    f"{flag}: true; mark the cell as nbgrader {flag} cell (see docs/instructors.md)"
                )
            cell.source = _replace(cell.source, regions, stub)
        for stray in (
            "### BEGIN SOLUTION",
            "=== BEGIN MARK SCHEME ===",
            "<!-- BEGIN MODEL ANSWER -->",
        ):
            if stray in cell.source:
                raise BuildError(
                    f"{where}: marker {stray!r} is in a {cell.cell_type} cell, where "
                    "it is not allowed; move it to the right kind of cell"
                )
    out.metadata.setdefault("powkit", {})["generated_from"] = f"solutions/{name}"
    return out


def _deepcopy(nb):
    import copy

    return copy.deepcopy(nb)


def _text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def _solution_paths(solutions_dir: Path) -> list[Path]:
    return sorted(p for p in Path(solutions_dir).glob("*.ipynb"))


def _render_all(solutions_dir: Path) -> dict[str, str]:
    paths = _solution_paths(solutions_dir)
    if not paths:
        raise BuildError(f"{solutions_dir}: no solutions notebooks (*.ipynb) found")
    out = {}
    for path in paths:
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as error:  # nbformat raises several kinds
            raise BuildError(f"{path}: not a readable notebook ({error})") from None
        out[path.name] = _text(render_exercise(nb, path.name))
    return out


def build_exercises(solutions_dir: str | Path, exercises_dir: str | Path) -> list[Path]:
    """Write the student version of every ``solutions/*.ipynb`` into ``exercises_dir``.

    Exercises whose solution no longer exists are removed, so the folder mirrors ``solutions/``.
    Returns the paths written.
    """
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    rendered = _render_all(solutions_dir)
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered.items():
        target = exercises_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.append(target)
    for stale in exercises_dir.glob("*.ipynb"):
        if stale.name not in rendered:
            stale.unlink()
    return written


def check_exercises(solutions_dir: str | Path, exercises_dir: str | Path) -> list[str]:
    """What differs between ``exercises_dir`` and what ``solutions_dir`` generates (empty if none)."""
    rendered = _render_all(Path(solutions_dir))
    exercises_dir = Path(exercises_dir)
    problems = []
    for name, text in rendered.items():
        target = exercises_dir / name
        if not target.exists():
            problems.append(f"{target}: missing")
        elif target.read_text(encoding="utf-8") != text:
            problems.append(f"{target}: differs from what {Path(solutions_dir) / name} generates")
    for extra in sorted(exercises_dir.glob("*.ipynb")):
        if extra.name not in rendered:
            problems.append(f"{extra}: has no solution in {solutions_dir}; delete it")
    return problems


def solution_lines(nb: nbformat.NotebookNode) -> set[str]:
    """Lines (stripped) inside solution, mark-scheme and model-answer regions that occur nowhere
    else in the notebook: what must never reach a student. Used by the leak test."""
    inside: set[str] = set()
    outside: set[str] = set()
    for index, cell in enumerate(nb.cells):
        lines = cell.source.split("\n")
        covered: set[int] = set()
        for begin, end, _ in (_CODE_REGION, _MARK_SCHEME, _MODEL_ANSWER):
            for first, final in _regions(cell.source, begin, end, f"cell {index}"):
                covered.update(range(first + 1, final))
        for i, line in enumerate(lines):
            (inside if i in covered else outside).add(line.strip())
    return {line for line in inside - outside if re.search(r"\w", line)}


# --------------------------------------------------------------------------- item analysis

REPORT_COLUMNS = ("learner", "bank", "question", "topic", "chosen", "correct", "answered_at")
#: Share of learners in each of the upper and lower groups (Kelley's 27%).
GROUP_SHARE = 0.27
#: Below this discrimination index an item is flagged as weak (a common rule of thumb).
LOW_DISCRIMINATION = 0.2


def load_results(paths: Iterable[str | Path]):
    """Exported quiz answers from several CSV files, one row per answer, checked as read.

    Every file must have the columns of ``python -m powkit export-progress``; a bad file stops
    with an error naming the file, the line and what to fix.
    """
    import pandas as pd

    rows = []
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no result files given; export them with python -m powkit export-progress")
    for path in paths:
        try:
            handle = open(path, newline="", encoding="utf-8")
        except OSError as error:
            raise ValueError(f"{path}: cannot read ({error.strerror or error})") from None
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REPORT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(
                    f"{path}: line 1: missing column(s) {', '.join(missing)}; export "
                    "the file with python -m powkit export-progress"
                )
            for line, raw in enumerate(reader, start=2):
                correct = (raw["correct"] or "").strip().lower()
                if correct not in ("true", "false"):
                    raise ValueError(
                        f"{path}: line {line}: correct is {raw['correct']!r}; "
                        "it must be true or false"
                    )
                rows.append(
                    {
                        "learner": raw["learner"].strip(),
                        "bank": raw["bank"].strip(),
                        "question": raw["question"].strip(),
                        "topic": raw["topic"].strip(),
                        "chosen": (raw["chosen"] or "").strip(),
                        "correct": correct == "true",
                        "answered_at": raw["answered_at"].strip(),
                        "file": str(path),
                    }
                )
    return pd.DataFrame(rows, columns=[*REPORT_COLUMNS, "file"])


def _option_label(chosen: str) -> str:
    """'0;2' -> 'A+C': option letters in the order the bank lists them."""
    if not chosen:
        return "(none)"
    try:
        return "+".join(chr(ord("A") + int(i)) for i in chosen.split(";"))
    except ValueError:
        return chosen


def item_analysis(results) -> "object":
    """Per question: how many answered, share correct, the most chosen wrong option, and the
    discrimination index D = (share correct in the upper 27%) - (share correct in the lower 27%).

    Each learner's *first* answer to a question counts (later attempts follow feedback, so they
    measure the feedback, not the learner). Learners are ranked by their number of correct first
    answers over all questions; D near 0 means the item does not tell stronger from weaker
    learners, and a negative D usually means a wrong key or a misleading question.

    Returns a DataFrame (one row per bank and question) with a ``flag`` column in words.
    """
    import pandas as pd

    columns = [
        "bank",
        "question",
        "topic",
        "answered",
        "share_correct",
        "top_wrong",
        "top_wrong_share",
        "discrimination",
        "flag",
    ]
    if results.empty:
        return pd.DataFrame(columns=columns)
    first = results.sort_values(["answered_at", "learner"], kind="stable").drop_duplicates(
        ["learner", "bank", "question"], keep="first"
    )
    totals = first.groupby("learner")["correct"].sum()
    ranked = sorted(totals.index, key=lambda learner: (totals[learner], learner))  # weakest first
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = set(ranked[:size]), set(ranked[-size:])
    records = []
    for (bank, question), group in first.groupby(["bank", "question"], sort=True):
        wrong = group[~group["correct"]]
        if len(wrong):
            counts = wrong["chosen"].value_counts()
            top = counts.index[0]
            top_label, top_share = _option_label(top), counts.iloc[0] / len(group)
        else:
            top_label, top_share = "", 0.0
        up = group[group["learner"].isin(upper)]["correct"]
        low = group[group["learner"].isin(lower)]["correct"]
        d = (up.mean() - low.mean()) if len(up) and len(low) else float("nan")
        share = group["correct"].mean()
        records.append(
            {
                "bank": bank,
                "question": question,
                "topic": group["topic"].iloc[0],
                "answered": len(group),
                "share_correct": share,
                "top_wrong": top_label,
                "top_wrong_share": top_share,
                "discrimination": d,
                "flag": _flag_item(share, d),
            }
        )
    return pd.DataFrame(records, columns=columns)


def _flag_item(share: float, d: float) -> str:
    notes = []
    if d == d:  # not NaN
        if d < 0:
            notes.append(
                "NEGATIVE discrimination: stronger learners get it wrong more often; "
                "check the key and the wording"
            )
        elif d < LOW_DISCRIMINATION:
            notes.append("low discrimination")
    if share > 0.95:
        notes.append("almost everyone right")
    elif share < 0.2:
        notes.append("very hard")
    return "; ".join(notes)


def format_report(table) -> str:
    """The item analysis as a plain-text table, worst discrimination first."""
    if table.empty:
        return "No answers in the files."
    shown = table.sort_values(["discrimination", "bank", "question"], na_position="last")
    lines = [f"{'question':<24} {'n':>4} {'correct':>8} {'top wrong':>11} {'D':>6}  flag"]
    for r in shown.itertuples():
        wrong = f"{r.top_wrong} ({r.top_wrong_share:.0%})" if r.top_wrong else "-"
        d = f"{r.discrimination:+.2f}" if r.discrimination == r.discrimination else "  n/a"
        lines.append(
            f"{r.bank + '/' + r.question:<24} {r.answered:>4} {r.share_correct:>8.0%} "
            f"{wrong:>11} {d:>6}  {r.flag}"
        )
    lines.append("")
    lines.append(
        f"D = share correct in the top {GROUP_SHARE:.0%} of learners minus the bottom "
        f"{GROUP_SHARE:.0%} (by total score, first attempts). Options are lettered A, B, "
        "C... in the order of the bank."
    )
    return "\n".join(lines)


def report_chart(table, path: str | Path, title: str = "Quiz item analysis"):
    """Save a two-panel chart: share correct and discrimination per question (PNG)."""
    from matplotlib.figure import Figure

    shown = table.sort_values(["bank", "question"])
    labels = [f"{b}/{q}" for b, q in zip(shown["bank"], shown["question"])]
    height = max(3.0, 0.35 * len(labels) + 1.5)
    fig = Figure(figsize=(10, height), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    y = range(len(labels))
    left.barh(list(y), shown["share_correct"], color="#4c78a8")
    left.set_xlim(0, 1)
    left.set_xlabel("Share of learners correct (first attempt)")
    left.set_ylabel("Question (bank/id)")
    left.set_yticks(list(y), labels)
    left.invert_yaxis()
    d = shown["discrimination"].fillna(0)
    colours = [
        "#a4262c" if v < 0 else ("#e0a030" if v < LOW_DISCRIMINATION else "#1e7b34") for v in d
    ]
    right.barh(list(y), d, color=colours)
    right.axvline(0, color="black", linewidth=0.8)
    right.axvline(LOW_DISCRIMINATION, color="grey", linestyle="--", linewidth=0.8)
    right.set_xlim(-1, 1)
    right.set_xlabel("Discrimination index D (upper 27% - lower 27%)")
    fig.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return fig
