"""Every notebook runs top to bottom in a fresh kernel, and is committed without outputs.

A lesson that breaks is caught the day it breaks (the QuantEcon habit). Warnings printed by the
kit count as failures: a student should never see a red box that is our fault.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ALL_COMMITTED = sorted(
    p
    for folder in ("notebooks", "exercises", "solutions")
    for p in (REPO / folder).glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


def test_there_are_lessons():
    names = [p.name for p in NOTEBOOKS]
    assert "00-start-here.ipynb" in names and "01-the-convention.ipynb" in names, names


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_clean(path, tmp_path, monkeypatch):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "powkit-home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    problems = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text", "")
                if "Warning" in text or "Error" in text:
                    problems.append(f"cell {index} printed to stderr: {text.strip()[:300]}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ALL_COMMITTED, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_committed_without_outputs(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    dirty = [
        i
        for i, cell in enumerate(raw["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]
    assert not dirty, (
        f"{path.relative_to(REPO)}: cells {dirty} have outputs; strip them (see README)"
    )


@pytest.mark.parametrize("path", ALL_COMMITTED, ids=lambda p: str(p.relative_to(REPO)))
def test_notebook_names_its_kernel(path):
    """Without kernelspec metadata JupyterLab asks 'Select Kernel' before a student can start."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw.get("metadata", {}).get("kernelspec", {}).get("name") == "python3", path.name


LESSONS = [p for p in NOTEBOOKS if p.name[:2].isdigit() and int(p.name[:2]) >= 2]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_shape_of_a_lesson(path):
    """Objectives and time up front; a quiz, a reflection, key points and further reading at the end."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).lower()
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown").lower()
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for needed in ("time:", "objectives", "key articles"):
        assert needed in first, f"{path.name}: first cell lacks {needed!r}"
    for needed in ("reflection", "key points", "further reading"):
        assert needed in prose, f"{path.name}: no {needed!r} section"
    assert "Quiz" in code and "progress=True" in code, f"{path.name}: no quiz that saves progress"
    assert "show_articles(" in code, f"{path.name}: no article text rendered from data/"
