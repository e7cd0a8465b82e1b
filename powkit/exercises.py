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

The item analysis of quiz results (``powkit report``) is in :mod:`powkit.analysis`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import nbformat

__all__ = [
    "PLACEHOLDER_CODE",
    "PLACEHOLDER_TEXT",
    "BuildError",
    "build_exercises",
    "check_exercises",
    "render_exercise",
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
        indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
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
            markers: list[tuple[tuple[str, str, str], tuple[str, ...]]] = [
                (_CODE_REGION, PLACEHOLDER_CODE)
            ]
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
