"""The student-facing tree: lessons, exercises and data, and nothing of solutions/ or instructor/.

What an nbgitpuller link hands a class must not include the answers. These tests build the tree
from this checkout, look for every distinctive line of the model answers and instructor notes in
it, run lessons from it in a real kernel, and publish it as a branch twice to prove that the
second publication is a fast-forward (so a student's next pull keeps their edits).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from hub import git as _git
from hub import instructor_repo
from nbclient import NotebookClient

import powkit
from powkit import course, lesson_version
from powkit.__main__ import main
from powkit.exercises import render_exercise
from powkit.student_tree import (
    MANIFEST,
    StudentTreeError,
    build_student_tree,
    class_link,
    commit_to_branch,
    find_leaks,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("student") / "course"
    build_student_tree(out, REPO)
    return out


def test_tree_holds_lessons_exercises_and_data_only(tree):
    top = sorted(p.name for p in tree.iterdir())
    assert top == sorted(["README.md", MANIFEST, "data", "docs", "exercises", "notebooks"]), top
    assert sorted(p.name for p in (tree / "notebooks").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "notebooks").glob("*.ipynb")
    )
    assert sorted(p.name for p in (tree / "exercises").glob("*.ipynb")) == sorted(
        p.name for p in (REPO / "solutions").glob("*.ipynb")
    )
    assert (tree / "data" / "gc3.json").is_file()
    assert (tree / "docs" / "authoring.md").is_file()  # exercise 5 asks students to read it
    names = {p.name for p in tree.rglob("*")}
    assert not names & {"solutions", "instructor", "tests", ".ci", "pyproject.toml"}


def test_exercises_are_generated_from_the_solutions(tree):
    for solution in sorted((REPO / "solutions").glob("*.ipynb")):
        expected = render_exercise(nbformat.read(solution, as_version=4), solution.name)
        got = nbformat.read(tree / "exercises" / solution.name, as_version=4)
        assert [c.source for c in got.cells] == [c.source for c in expected.cells], solution.name


def test_no_line_of_a_model_answer_or_instructor_note_reaches_students(tree):
    assert find_leaks(tree, REPO) == []
    # and the check is not blind: every text file of the tree searched, answers really absent
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in tree.rglob("*") if p.is_file()
    )
    assert "BEGIN SOLUTION" not in text and "BEGIN MARK SCHEME" not in text
    assert "BEGIN MODEL ANSWER" not in text


def test_leak_check_finds_a_pasted_model_answer(tmp_path):
    solution = nbformat.read(REPO / "solutions" / "02-public-curiosity-memo.ipynb", as_version=4)
    from powkit.exercises import solution_lines

    secret = max(solution_lines(solution), key=len)
    source = tmp_path / "src"
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__")
    )
    lesson = source / "notebooks" / "03-who-is-a-pow.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"A model answer, pasted:\n\n{secret}\n"))
    nbformat.write(nb, lesson)
    out = tmp_path / "out"
    with pytest.raises(StudentTreeError) as raised:
        build_student_tree(out, source)
    message = str(raised.value)
    assert "notebooks/03-who-is-a-pow.ipynb" in message and "02-public-curiosity-memo" in message
    assert not out.exists(), "a refused build must leave nothing behind"


def test_leak_check_finds_an_instructor_note_line(tmp_path, tree):
    note = REPO / "instructor" / "04-public-curiosity.md"
    line = next(
        ln.strip()
        for ln in note.read_text(encoding="utf-8").splitlines()
        if len(ln.strip()) > 60 and not ln.startswith(("#", "|"))
    )
    copy = tmp_path / "copy"
    shutil.copytree(tree, copy)
    (copy / "notebooks" / "notes.md").write_text(line + "\n", encoding="utf-8")
    leaks = find_leaks(copy, REPO)
    assert [(str(leak.path), leak.origin.name) for leak in leaks] == [
        ("notebooks/notes.md", "04-public-curiosity.md")
    ]


def test_manifest_names_the_version_and_commit(tree):
    manifest = json.loads((tree / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["powkit_version"] == powkit.__version__
    head = _git(REPO, "rev-parse", "HEAD")
    assert manifest["source_commit"].startswith(head)


def test_lessons_in_the_tree_have_no_outputs(tree):
    for path in (tree / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), path.name


@pytest.mark.notebook
@pytest.mark.parametrize(
    "relpath", ["notebooks/00-start-here.ipynb", "exercises/04-find-the-governing-article.ipynb"]
)
def test_a_lesson_and_an_exercise_run_from_the_tree(tree, tmp_path, monkeypatch, relpath):
    path = tree / relpath
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == [], errors
    if relpath.startswith("notebooks/00"):
        shown = json.dumps([c.get("outputs", []) for c in nb.cells])
        assert "Lessons and powkit of the same version" in shown
        assert "01-the-convention.ipynb" in shown  # the learning path lists the tree's lessons


def test_rebuild_into_an_earlier_tree_keeps_its_git_folder(tmp_path):
    out = tmp_path / "class-repo"
    build_student_tree(out, REPO)
    _git(out, "init", "-q")
    (out / "notebooks" / "stale.ipynb").write_text("{}")
    build_student_tree(out, REPO)
    assert (out / ".git").is_dir()
    assert not (out / "notebooks" / "stale.ipynb").exists()


def test_refuses_to_empty_a_folder_it_did_not_make(tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("precious")
    with pytest.raises(StudentTreeError, match="not an earlier student tree"):
        build_student_tree(out, REPO)
    assert (out / "chapter1.docx").read_text() == "precious"


def test_refuses_a_folder_that_is_not_a_checkout(tmp_path):
    with pytest.raises(StudentTreeError, match="no notebooks/ or solutions/"):
        build_student_tree(tmp_path / "out", tmp_path)


def _scratch_repo(tmp_path: Path) -> Path:
    return instructor_repo(tmp_path / "repo")


def test_branch_moves_forward_and_only_when_the_tree_changes(tree, tmp_path):
    repo = _scratch_repo(tmp_path)
    first = commit_to_branch(tree, "student", repo)
    assert first and _git(repo, "rev-parse", "student") == first
    files = _git(repo, "ls-tree", "-r", "--name-only", "student").splitlines()
    assert "notebooks/00-start-here.ipynb" in files and MANIFEST in files
    assert not any(f.startswith(("solutions/", "instructor/")) for f in files)
    assert commit_to_branch(tree, "student", repo) is None  # nothing changed, no commit
    changed = tmp_path / "changed"
    shutil.copytree(tree, changed)
    (changed / "notebooks" / "10-new-lesson.ipynb").write_text("{}")
    second = commit_to_branch(changed, "student", repo)
    assert _git(repo, "rev-parse", f"{second}^") == first  # a fast-forward for every clone
    assert _git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert _git(repo, "status", "--porcelain") == ""  # the instructor's work tree untouched


def test_a_clone_of_the_branch_pulls_the_update_and_keeps_a_students_edit(tree, tmp_path):
    """What nbgitpuller does on each click, in plain git: clone once, edit, pull again."""
    repo = _scratch_repo(tmp_path)
    commit_to_branch(tree, "student", repo)
    clone = tmp_path / "alice"
    _git(tmp_path, "clone", "-q", "-b", "student", f"file://{repo}", str(clone))
    _git(clone, "config", "user.name", "Alice")
    _git(clone, "config", "user.email", "alice@example.invalid")
    notes = clone / "exercises" / "my-notes.md"
    notes.write_text("my notes\n")
    changed = tmp_path / "changed"
    shutil.copytree(tree, changed)
    (changed / "notebooks" / "10-new-lesson.ipynb").write_text("{}")
    commit_to_branch(changed, "student", repo)
    _git(clone, "pull", "-q", "--ff-only", "origin", "student")
    assert (clone / "notebooks" / "10-new-lesson.ipynb").is_file()
    assert notes.read_text() == "my notes\n"


def test_branch_refuses_the_checked_out_branch(tree, tmp_path):
    repo = _scratch_repo(tmp_path)
    with pytest.raises(StudentTreeError, match="checked out"):
        commit_to_branch(tree, "main", repo)


def test_command_line_writes_the_tree(tmp_path, capsys):
    assert main(["student-tree", str(tmp_path / "out"), "--source", str(REPO)]) == 0
    said = capsys.readouterr().out
    assert "no solutions/" in said and (tmp_path / "out" / MANIFEST).is_file()
    assert main(["student-tree"]) == 2


# --------------------------------------------------------------------------- the version warning


def _tree_of_version(tmp_path: Path, version: str) -> Path:
    root = tmp_path / "pulled"
    (root / "notebooks").mkdir(parents=True)
    (root / MANIFEST).write_text(json.dumps({"powkit_version": version}))
    return root / "notebooks"


def test_version_check_passes_when_the_versions_agree(tmp_path):
    check = lesson_version.version_check(_tree_of_version(tmp_path, powkit.__version__))
    assert check is not None and check.ok


def test_version_check_warns_when_the_pulled_lessons_are_newer(tmp_path):
    check = lesson_version.version_check(_tree_of_version(tmp_path, "99.0"))
    assert check is not None and not check.ok
    assert "99.0" in check.detail and powkit.__version__ in check.detail
    assert "instructor" in check.detail


def test_version_check_reads_a_full_checkout_without_running_it(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "powkit").mkdir()
    (tmp_path / "powkit" / "__init__.py").write_text(
        'raise SystemExit("must not run")\n__version__ = "7.7.7"\n'
    )
    check = lesson_version.version_check(tmp_path / "notebooks")
    assert check is not None and not check.ok and "7.7.7" in check.detail


def test_version_check_of_this_checkout_agrees():
    check = lesson_version.version_check(REPO / "notebooks")
    assert check is not None and check.ok, check


def test_no_version_nearby_means_no_check(tmp_path):
    assert lesson_version.version_check(tmp_path) is None


def test_environment_report_shows_the_warning_in_words(tmp_path, monkeypatch):
    monkeypatch.chdir(_tree_of_version(tmp_path, "99.0"))
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "home"))
    html = course.environment_report_html()
    assert "<strong>WARNING</strong>: Lessons and powkit of the same version" in html


def test_class_link_encodes_every_value_and_opens_the_lesson():
    from urllib.parse import parse_qs, urlsplit

    link = class_link("https://hub.example.edu/", "https://github.com/ORG/powkit", "student")
    parts = urlsplit(link)
    assert parts.path == "/hub/user-redirect/git-pull"
    assert "%2F" in parts.query  # nbgitpuller's generator encodes the slashes too
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/ORG/powkit"],
        "branch": ["student"],
        "targetpath": ["powkit-course"],
        "urlpath": ["lab/tree/powkit-course/notebooks/00-start-here.ipynb"],
    }


def test_command_line_prints_the_class_link(tmp_path, capsys):
    args = ["student-tree", str(tmp_path / "out"), "--source", str(REPO)]
    args += ["--hub", "https://hub.example.edu", "--repo", "https://github.com/ORG/powkit"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert class_link("https://hub.example.edu", "https://github.com/ORG/powkit") in said


def test_the_link_in_the_instructors_guide_is_the_one_the_command_prints():
    guide = (REPO / "docs" / "instructors.md").read_text(encoding="utf-8")
    shown = [ln.strip() for ln in guide.splitlines() if "/hub/user-redirect/git-pull?" in ln]
    assert shown == [class_link("https://hub.example.edu", "https://github.com/YOUR-ORG/powkit")]
