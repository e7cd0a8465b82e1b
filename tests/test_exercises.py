"""Exercises: generated from solutions, never leaking them, runnable untouched, solutions passing.

Also the instructor's item analysis (``python -m powkit report``) on a synthetic class with a
planted bad question.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from powkit import analysis, cli, exercises, grading
from powkit.exercises import BuildError, build_exercises, render_exercise, solution_lines

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((REPO / "solutions").glob("*.ipynb"))
EXERCISES = REPO / "exercises"


def _cells_text(nb) -> set[str]:
    return {line.strip() for cell in nb.cells for line in cell.source.split("\n")}


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


# --------------------------------------------------------------------------- generation


def test_there_are_at_least_six_exercises():
    assert len(SOLUTIONS) >= 6, [p.name for p in SOLUTIONS]


def test_exercises_are_generated_from_solutions(tmp_path):
    build_exercises(REPO / "solutions", tmp_path)
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.ipynb")}
    committed = {p.name: p.read_bytes() for p in EXERCISES.glob("*.ipynb")}
    assert sorted(fresh) == sorted(committed), "exercises/ and solutions/ list different notebooks"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"exercises/ is out of date for {stale}: run python -m powkit build-exercises"
    assert exercises.check_exercises(REPO / "solutions", EXERCISES) == []


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_no_solution_line_reaches_the_exercise(path):
    secret = solution_lines(nbformat.read(path, as_version=4))
    assert secret, f"{path.name} has no solution, mark scheme or model answer region"
    shown = _cells_text(nbformat.read(EXERCISES / path.name, as_version=4))
    leaked = sorted(secret & shown)
    assert not leaked, f"exercises/{path.name} contains solution lines: {leaked[:5]}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solutions_carry_nbgrader_metadata(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    ids, total = [], 0.0
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not meta:
            continue
        assert meta.get("schema_version") == 3, (path.name, meta)
        assert {"grade", "solution", "locked", "grade_id", "task"} <= set(meta), (path.name, meta)
        ids.append(meta["grade_id"])
        if meta["grade"] or meta["task"]:
            total += float(meta["points"])
        if meta["grade"] and cell.cell_type == "code":
            # an autograded test cell calls exactly the check it is worth the points of
            assert f'check("{meta["grade_id"]}"' in cell.source, (path.name, meta["grade_id"])
            assert grading.points(meta["grade_id"]) == meta["points"], meta["grade_id"]
    assert len(ids) == len(set(ids)), f"{path.name}: grade_id values must be unique"
    assert f"{total:g}" in nb.cells[0].source, f"{path.name}: state the points total ({total:g})"


# --------------------------------------------------------------------------- the builder itself


def _cell(kind: str, source: str, **flags):
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    cell = make(source)
    if flags:
        cell.metadata["nbgrader"] = {
            "grade": False,
            "solution": False,
            "locked": False,
            "task": False,
            "schema_version": 3,
            "grade_id": "x",
            **flags,
        }
    return cell


def test_builder_replaces_each_kind_of_region():
    nb = nbformat.v4.new_notebook(
        cells=[
            _cell(
                "code",
                "def f():\n    ### BEGIN SOLUTION\n    return 42\n    ### END SOLUTION",
                solution=True,
            ),
            _cell(
                "markdown",
                "Task.\n\n=== BEGIN MARK SCHEME ===\nRubric.\n=== END MARK SCHEME ===",
                task=True,
            ),
            _cell(
                "markdown",
                "<!-- BEGIN MODEL ANSWER -->\nModel.\n<!-- END MODEL ANSWER -->",
                solution=True,
                grade=True,
            ),
        ]
    )
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="42")]
    nb.cells[0].execution_count = 3
    out = render_exercise(nb, "t.ipynb")
    assert out.cells[0].source == "def f():\n    # your answer here\n    raise NotImplementedError"
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.cells[1].source == "Task.\n\nWrite your answer here."
    assert out.cells[2].source == "Write your answer here."
    assert out.cells[0].metadata["nbgrader"]["solution"] is True  # metadata kept
    assert nb.cells[0].source.count("return 42") == 1  # the input is not modified


@pytest.mark.parametrize(
    "cell, message",
    [
        (_cell("code", "### BEGIN SOLUTION\nx = 1"), "never closed"),
        (_cell("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), "solution: true"),
        (
            _cell(
                "markdown", "=== BEGIN MARK SCHEME ===\nx\n=== END MARK SCHEME ===", solution=True
            ),
            "task: true",
        ),
    ],
)
def test_builder_refuses_bad_markers(cell, message):
    nb = nbformat.v4.new_notebook(cells=[cell])
    with pytest.raises(BuildError, match=message) as info:
        render_exercise(nb, "bad.ipynb")
    assert "bad.ipynb: cell 0" in str(info.value)


def test_build_check_command_fails_when_out_of_date(tmp_path, capsys):
    solutions = ["--solutions", str(REPO / "solutions")]
    assert cli.main(["build-exercises", *solutions, "--exercises", str(tmp_path), "--check"]) == 1
    assert "missing" in capsys.readouterr().out
    assert cli.main(["build-exercises", *solutions, "--exercises", str(tmp_path)]) == 0
    assert cli.main(["build-exercises", *solutions, "--exercises", str(tmp_path), "--check"]) == 0


# --------------------------------------------------------------------------- running the notebooks


def _run(path: Path, tmp_path: Path, monkeypatch, strict: bool):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    if strict:
        monkeypatch.setenv("POWKIT_GRADING_STRICT", "1")
    else:
        monkeypatch.delenv("POWKIT_GRADING_STRICT", raising=False)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=180,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    return nb, errors


def _check_outputs(nb) -> dict[str, str]:
    """grade_id -> the plain-text output of its check cell."""
    out = {}
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if cell.cell_type == "code" and meta.get("grade"):
            texts = [o.get("data", {}).get("text/plain", "") for o in cell.get("outputs", [])]
            out[meta["grade_id"]] = "".join("".join(t) if isinstance(t, list) else t for t in texts)
    return out


@pytest.mark.notebook
@pytest.mark.parametrize("path", sorted(EXERCISES.glob("*.ipynb")), ids=lambda p: p.name)
def test_untouched_exercise_runs_and_says_not_yet_done(path, tmp_path, monkeypatch):
    nb, errors = _run(path, tmp_path, monkeypatch, strict=False)
    assert not errors, f"exercises/{path.name} crashes when run unmodified:\n" + "\n".join(errors)
    results = _check_outputs(nb)
    assert results, f"exercises/{path.name} has no check cells"
    not_done = {gid: text for gid, text in results.items() if "Not yet done" not in text}
    assert not not_done, f"checks that do not report 'Not yet done': {not_done}"


@pytest.mark.notebook
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_passes_every_check(path, tmp_path, monkeypatch):
    nb, errors = _run(path, tmp_path, monkeypatch, strict=True)
    assert not errors, f"solutions/{path.name}:\n" + "\n".join(errors)
    failing = {gid: text for gid, text in _check_outputs(nb).items() if "Passed" not in text}
    assert not failing, f"solutions/{path.name}: checks not passed: {failing}"


# --------------------------------------------------------------------------- grading messages


def test_grading_speaks_the_language_of_the_law():
    def ignores_sign(group):
        return all(
            group[k] for k in ("belongs_to_party", "commanded", "arms_openly", "laws_of_war")
        )

    result = grading.check("ex1_q1", ignores_sign, strict=False)
    assert result.status == "failed"
    text = str(result)
    assert "GCIII 4A(2) requires four conditions" in text
    assert "distinctive sign" in text and "GCIII 4A(2)(b)" in text
    with pytest.raises(grading.CheckFailed) as info:
        grading.check("ex1_q1", ignores_sign, strict=True)
    assert not isinstance(info.value, AssertionError)
    assert "distinctive sign" in str(info.value)


def test_placeholders_are_not_yet_done_and_html_is_escaped():
    def unfinished():
        raise NotImplementedError

    for answer in (..., unfinished):
        result = grading.check("ex4_a", answer, strict=False)
        assert result.status == "not_done" and "Not yet done" in str(result)
    html = grading.check("ex4_a", lambda: {"a": "<b>GCIII 13(2)"}, strict=False)._repr_html_()
    assert "<b>GCIII" not in html and "&lt;b&gt;GCIII" in html


def test_unknown_check_names_the_known_ones():
    with pytest.raises(KeyError, match="ex1_q1"):
        grading.check("ex99", ...)


# --------------------------------------------------------------------------- item analysis

BAD_ITEM = "q07"


def _synthetic_class(folder: Path, learners: int = 200, seed: int = 6) -> list[Path]:
    """200 learners of varying ability answer 10 questions; q07's key is wrong, so the stronger
    a learner, the less likely the answer is marked correct. One CSV per group of 50 learners."""
    rng = random.Random(seed)
    paths = []
    rows_by_file: dict[int, list[list[str]]] = {}
    for n in range(learners):
        ability = rng.gauss(0, 1)
        learner = f"{n:016x}"
        for q in range(1, 11):
            qid = f"q{q:02d}"
            difficulty = (q - 5) / 3
            p = 1 / (1 + pow(2.718281828, -(1.7 * (ability - difficulty))))
            if qid == BAD_ITEM:
                p = 1 - p
            correct = rng.random() < p
            chosen = "1" if correct else rng.choice(["0", "2", "2", "3"])
            stamp = f"2025-02-{1 + q:02d}T10:00:00+00:00"
            rows_by_file.setdefault(n // 50, []).append(
                [
                    learner,
                    "class-bank",
                    qid,
                    "status",
                    chosen,
                    "true" if correct else "false",
                    stamp,
                ]
            )
            if not correct and rng.random() < 0.3:  # a retry after feedback must not count
                rows_by_file[n // 50].append(
                    [
                        learner,
                        "class-bank",
                        qid,
                        "status",
                        "1",
                        "true",
                        f"2025-03-{1 + q:02d}T10:00:00+00:00",
                    ]
                )
    from powkit.progress import EXPORT_COLUMNS

    for index, rows in rows_by_file.items():
        path = folder / f"class-{index}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(rows)
        paths.append(path)
    return paths


def test_item_analysis_flags_the_planted_bad_question(tmp_path, capsys):
    files = _synthetic_class(tmp_path)
    table = analysis.item_analysis(analysis.load_results(files)).set_index("question")
    assert len(table) == 10 and (table["answered"] == 200).all()
    assert table.loc[BAD_ITEM, "discrimination"] < 0
    assert "NEGATIVE" in table.loc[BAD_ITEM, "flag"]
    good = table.drop(index=BAD_ITEM)
    assert (good["discrimination"] > 0.2).all(), good["discrimination"]
    assert set(table["top_wrong"]) <= {"A", "C", "D", ""}

    chart = tmp_path / "charts" / "items.png"
    assert cli.main(["report", *map(str, files), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    bad_line = next(line for line in out.splitlines() if f"class-bank/{BAD_ITEM}" in line)
    assert "NEGATIVE discrimination" in bad_line
    assert "from 200 learners" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_report_chart_has_title_and_labelled_axes(tmp_path):
    table = analysis.item_analysis(analysis.load_results(_synthetic_class(tmp_path, learners=40)))
    fig = analysis.report_chart(table, tmp_path / "c.png")
    assert fig.get_suptitle()
    for ax in fig.axes:
        assert ax.get_xlabel()
    assert fig.axes[0].get_ylabel()


def test_report_names_file_and_line_of_a_bad_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "learner,bank,question,topic,chosen,correct,answered_at\na,b,q,t,0,yes,2025-01-01\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"bad.csv: line 2: correct is 'yes'"):
        analysis.load_results([bad])
    missing = tmp_path / "missing.csv"
    missing.write_text("learner,question\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing.csv: line 1: missing column\(s\) bank"):
        analysis.load_results([missing])
