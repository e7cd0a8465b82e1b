"""nbgrader round trip on one exercise: generate_assignment, then autograde two submissions.

Skipped when nbgrader is not installed (it is optional: instructors who grade with nbgrader
install it themselves, see docs/instructors.md). The submissions are the released student
notebook, once untouched and once with the model answers typed in, as a student would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytest.importorskip(
    "nbgrader", reason="nbgrader is not installed (pip install nbgrader to test the round trip)"
)

REPO = Path(__file__).resolve().parent.parent
EXERCISE = "03-returns-in-numbers.ipynb"
AUTOGRADED = {"ex3_q1": 3, "ex3_q2": 2, "ex3_q3": 3, "ex3_chart": 1}


def _nbgrader(course: Path, *args: str) -> None:
    env = dict(os.environ)
    # nbgrader runs `alembic` by name, so the venv's bin folder must be on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["MPLBACKEND"] = "Agg"
    env.pop("POWKIT_GRADING_STRICT", None)
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--force"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and "ERROR" not in done.stderr, done.stderr[-3000:]


def _answered(released: Path, solution: Path) -> nbformat.NotebookNode:
    """The released notebook with each answer cell replaced by the model answer."""
    student = nbformat.read(released, as_version=4)
    model = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in nbformat.read(solution, as_version=4).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    for cell in student.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(
                line
                for line in model[meta["grade_id"]].split("\n")
                if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
            )
    return student


def test_generate_assignment_and_autograde(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "ex03").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / EXERCISE, course / "source" / "ex03" / EXERCISE)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'powkit'\n"
        "c.CourseDirectory.db_assignments = [dict(name='ex03')]\n"
        "c.CourseDirectory.db_students = [dict(id='alice'), dict(id='bob')]\n",
        encoding="utf-8",
    )
    _nbgrader(course, "generate_assignment", "ex03")
    released = course / "release" / "ex03" / EXERCISE
    text = released.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "BEGIN MARK SCHEME" not in text
    assert "return int(latest[" not in text  # a line of the model answer

    for student, notebook in (
        ("alice", _answered(released, REPO / "solutions" / EXERCISE)),
        ("bob", nbformat.read(released, as_version=4)),
    ):
        folder = course / "submitted" / student / "ex03"
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / EXERCISE)
    _nbgrader(course, "autograde", "ex03")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, expected in (("alice", AUTOGRADED), ("bob", dict.fromkeys(AUTOGRADED, 0))):
            grades = {
                g.name: g
                for nb in gradebook.find_submission("ex03", student).notebooks
                for g in nb.grades
            }
            for name, points in expected.items():
                assert grades[name].auto_score == points, (student, name, grades[name].auto_score)
            # the written task is left for the instructor
            assert grades["ex3_chart_reading"].auto_score is None
