"""The student-facing tree: what a class pulls onto its JupyterHub, and nothing it should not see.

Why a separate tree: an nbgitpuller link pulls a whole branch of a git repository into every
student's home. Pointed at the kit's own repository it hands students ``solutions/`` (model
answers and rubrics) and ``instructor/`` (lesson notes with model answers). This module builds a
tree with only what learners need:

``notebooks/``         the lessons, outputs stripped
``exercises/``         generated afresh from ``solutions/`` (so they can never be stale)
``data/``              the treaty texts, banks, scenarios, case file and datasets, with sources
``docs/authoring.md``  the question-bank format (exercise 5 asks students to write questions)
``README.md``          a short note for students: where to start, where answers are saved
``powkit-course.json`` the powkit version the tree was built with; ``00-start-here`` compares
                       it with the powkit the kernel imports (see :mod:`powkit.lesson_version`)

Before anything is written, every line of a model answer, mark scheme or solution region (and
of the instructor notes) is looked for in the tree; a match stops the build and names the file.

``python -m powkit student-tree OUT/`` writes the tree to a folder; ``--branch student`` also
commits it to a branch of the source repository, each build on top of the last, so that a
student's next click on the link is an ordinary fast-forward pull that keeps their edits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import nbformat

import powkit
from powkit.exercises import BuildError, build_exercises, solution_lines
from powkit.lesson_version import COURSE_MANIFEST

__all__ = [
    "MANIFEST",
    "StudentTreeError",
    "build_student_tree",
    "class_link",
    "commit_to_branch",
    "find_leaks",
]

MANIFEST = COURSE_MANIFEST
#: Files and folders never copied, wherever they appear.
IGNORED = ("__pycache__", ".ipynb_checkpoints", "_staging", ".DS_Store", "*.pyc")
#: A line shorter than this is too common to count as a leaked answer ("return fig").
MIN_LEAK_LENGTH = 30

STUDENT_README = """\
# The law of prisoners of war: course materials

This folder holds your copy of the powkit course: lessons on the Third Geneva Convention of
1949, quizzes, and exercises.

- **Start here:** open `notebooks/00-start-here.ipynb`. It checks that everything works and
  lists the lessons in order.
- **Lessons** are in `notebooks/`, **exercises** in `exercises/`. Run a cell with Shift+Enter.
- **Your quiz answers** are saved in your own home folder (`~/.powkit/`), not in this folder,
  so nobody else sees them and they survive an update of the course.
- **Your edits are kept.** When you click your instructor's link again, new material is added
  and your changes to notebooks stay as they are. To get a fresh copy of a notebook, rename
  yours (for example add `-mine` to its name) and click the link again.
- The treaty texts and datasets, with their sources, are in `data/`
  (`data/SOURCES.md` and `data/README.md` say where each comes from).

This course is for teaching; it is not legal advice.
"""


class StudentTreeError(RuntimeError):
    """The tree cannot be built or committed; the message says why and what to do."""


@dataclass(frozen=True)
class Leak:
    """A line of instructor-only material found in the student tree."""

    path: Path
    line: str
    origin: Path

    def __str__(self) -> str:
        return f"{self.path}: contains a line of {self.origin}: {self.line[:80]!r}"


# --------------------------------------------------------------------------- locating the source


def _data_folder(source: Path) -> Path:
    """The data folder of a checkout (``data/``), whatever ``$POWKIT_DATA`` says: the tree must
    match the lessons of the same checkout."""
    for candidate in (source / "data", source / "powkit" / "data"):
        if (candidate / "gc3.json").is_file():
            return candidate
    raise StudentTreeError(
        f"{source}: no data folder with gc3.json (looked in data/ and powkit/data/)"
    )


def _check_source(source: Path) -> None:
    missing = [name for name in ("notebooks", "solutions") if not (source / name).is_dir()]
    if missing:
        raise StudentTreeError(
            f"{source} has no {' or '.join(m + '/' for m in missing)}: run this command in a "
            "checkout of the powkit repository, or name one with --source"
        )


def _git(where: Path, *args: str, env: dict | None = None, text_input: str | None = None) -> str:
    result = subprocess.run(
        ["git", *args],
        check=False,
        cwd=where,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        input=text_input,
    )
    if result.returncode != 0:
        raise StudentTreeError(f"git {' '.join(args)} failed in {where}: {result.stderr.strip()}")
    return result.stdout.strip()


def _source_commit(source: Path) -> str | None:
    """The commit the tree is built from (with ``+changes`` if the work tree is not clean)."""
    if shutil.which("git") is None:
        return None
    try:
        commit = _git(source, "rev-parse", "HEAD")
        dirty = _git(source, "status", "--porcelain", "--", "notebooks", "solutions", "data")
    except StudentTreeError:
        return None
    return commit + ("+changes" if dirty else "")


# --------------------------------------------------------------------------- building


def _clean_notebook(src: Path, dest: Path) -> None:
    """Copy a lesson without outputs or execution counts (the committed lessons have none, but a
    lesson run in place must not hand one student's outputs to the class)."""
    nb = nbformat.read(src, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def _check_out(out: Path) -> None:
    """Refuse, before any work, a target that is not a new, empty or earlier student tree."""
    if out.exists() and not out.is_dir():
        raise StudentTreeError(f"{out} exists and is not a folder")
    if out.is_dir():
        entries = [e for e in out.iterdir() if e.name != ".git"]
        if entries and not (out / MANIFEST).is_file():
            raise StudentTreeError(
                f"{out} is not empty and holds no {MANIFEST}, so it is not an earlier student "
                "tree; choose an empty or new folder"
            )


def _prepare_out(out: Path) -> None:
    """Make ``out`` an empty folder, keeping ``.git`` if it is an earlier student tree (a clone of
    the class repository, say). Never empties a folder this command did not make."""
    _check_out(out)
    if out.is_dir():
        for entry in out.iterdir():
            if entry.name == ".git":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    out.mkdir(parents=True, exist_ok=True)


def build_student_tree(out: str | Path, source: str | Path | None = None) -> list[Path]:
    """Write the student-facing tree of the checkout ``source`` (default: the current folder)
    into ``out``.

    Returns the files written, relative to ``out``. Raises :class:`StudentTreeError` (nothing is
    left half-built in ``out``) if a line of a model answer or instructor note would reach it.
    """
    source = Path(source or Path.cwd()).resolve()
    out = Path(out).resolve()
    _check_source(source)
    if out == source or out in source.parents:
        raise StudentTreeError(f"{out}: the student tree cannot replace the checkout {source}")
    _check_out(out)
    data = _data_folder(source)
    with tempfile.TemporaryDirectory(prefix="powkit-student-") as tmp:
        staging = Path(tmp) / "tree"
        for lesson in sorted((source / "notebooks").glob("*.ipynb")):
            _clean_notebook(lesson, staging / "notebooks" / lesson.name)
        try:
            build_exercises(source / "solutions", staging / "exercises")
        except BuildError as error:
            raise StudentTreeError(f"cannot generate the exercises: {error}") from error
        shutil.copytree(data, staging / "data", ignore=shutil.ignore_patterns(*IGNORED))
        authoring = source / "docs" / "authoring.md"
        if authoring.is_file():
            (staging / "docs").mkdir()
            shutil.copy2(authoring, staging / "docs" / "authoring.md")
        (staging / "README.md").write_text(STUDENT_README, encoding="utf-8")
        manifest = {
            "what": "the student-facing tree of the powkit course (python -m powkit student-tree)",
            "powkit_version": powkit.__version__,
            "source_commit": _source_commit(source),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        leaks = find_leaks(staging, source)
        if leaks:
            listed = "\n  ".join(str(leak) for leak in leaks[:10])
            raise StudentTreeError(
                f"refusing to build: {len(leaks)} line(s) of instructor-only material would "
                f"reach students:\n  {listed}"
            )
        _prepare_out(out)
        written = []
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                rel = path.relative_to(staging)
                (out / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, out / rel)
                written.append(rel)
    return written


# --------------------------------------------------------------------------- the leak check


def _instructor_only_lines(source: Path) -> dict[str, Path]:
    """Each distinctive line of a model answer, rubric or instructor note, with its file."""
    found: dict[str, Path] = {}
    for solution in sorted((source / "solutions").glob("*.ipynb")):
        for line in solution_lines(nbformat.read(solution, as_version=4)):
            if len(line) >= MIN_LEAK_LENGTH:
                found.setdefault(line, solution)
    for note in sorted((source / "instructor").glob("*.md")):
        for line in note.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= MIN_LEAK_LENGTH and not line.startswith(("#", "|", "```")):
                found.setdefault(line, note)
    return found


def _readable_text(path: Path) -> str:
    """What a student could read in a file: cell sources and outputs for notebooks."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        parts = []
        for cell in nb.cells:
            parts.append(cell.source)
            for output in cell.get("outputs", []):
                parts.append(json.dumps(output, ensure_ascii=False))
        return "\n".join(parts)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def find_leaks(tree: str | Path, source: str | Path | None = None) -> list[Leak]:
    """Lines of ``solutions/`` answers or ``instructor/`` notes that appear anywhere in ``tree``.

    Lines shorter than :data:`MIN_LEAK_LENGTH` are not counted (``return fig`` is no leak), nor are
    lines of the treaty texts (a model answer may quote the Convention, which is no secret).
    """
    tree, source = Path(tree), Path(source or Path.cwd())
    secret = _instructor_only_lines(source)
    treaties = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(_data_folder(source).glob("*.json"))
    )
    secret = {line: origin for line, origin in secret.items() if line not in treaties}
    leaks = []
    for path in sorted(tree.rglob("*")):
        if not path.is_file() or ".git" in path.relative_to(tree).parts:
            continue
        text = _readable_text(path)
        for line, origin in secret.items():
            if line in text:
                leaks.append(Leak(path=path.relative_to(tree), line=line, origin=origin))
    return leaks


# --------------------------------------------------------------------------- publishing as a branch


def commit_to_branch(tree: str | Path, branch: str, repo: str | Path | None = None) -> str | None:
    """Commit ``tree`` as the whole content of ``branch`` in the git repository ``repo``.

    The new commit's parent is the branch's previous commit, so the branch only ever moves
    forward: nbgitpuller's next pull is a fast-forward that keeps students' edits. The current
    branch and work tree of ``repo`` are not touched. Returns the new commit, or None when the
    tree is the same as the branch's last commit (nothing to do).
    """
    tree, repo = Path(tree).resolve(), Path(repo or Path.cwd()).resolve()
    if shutil.which("git") is None:
        raise StudentTreeError("git is not installed; use a folder (OUT) instead of --branch")
    _git(repo, "check-ref-format", "--branch", branch)
    if branch == _git(repo, "rev-parse", "--abbrev-ref", "HEAD"):
        raise StudentTreeError(f"{branch} is the branch checked out in {repo}; name another")
    ref = f"refs/heads/{branch}"
    try:
        parent = _git(repo, "rev-parse", "--verify", "--quiet", ref)
    except StudentTreeError:
        parent = ""
    git_dir = _git(repo, "rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="powkit-index-") as tmp:
        # A throw-away index over the tree: the repository's own index and work tree stay as
        # they are.
        env = {
            "GIT_DIR": git_dir,
            "GIT_WORK_TREE": str(tree),
            "GIT_INDEX_FILE": str(Path(tmp) / "index"),
        }
        _git(tree, "add", "--all", "--force", ".", env=env)
        new_tree = _git(tree, "write-tree", env=env)
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == new_tree:
        return None
    manifest = json.loads((tree / MANIFEST).read_text(encoding="utf-8"))
    built_from = manifest.get("source_commit") or "a work tree"
    message = (
        f"Student tree of powkit {manifest.get('powkit_version')} from {built_from[:12]}\n\n"
        "Built by python -m powkit student-tree: lessons, generated exercises and data; no "
        "solutions, no instructor notes.\n"
    )
    args = ["commit-tree", new_tree] + (["-p", parent] if parent else [])
    identity = {}
    if subprocess.run(
        ["git", "var", "GIT_COMMITTER_IDENT"], check=False, cwd=repo, capture_output=True
    ).returncode:
        identity = {
            "GIT_AUTHOR_NAME": "powkit student-tree",
            "GIT_AUTHOR_EMAIL": "student-tree@powkit.invalid",
            "GIT_COMMITTER_NAME": "powkit student-tree",
            "GIT_COMMITTER_EMAIL": "student-tree@powkit.invalid",
        }
    commit = _git(repo, *args, env=identity, text_input=message)
    _git(repo, "update-ref", ref, commit, parent or "0" * 40)
    return commit


# --------------------------------------------------------------------------- the class link

#: The folder the course is pulled into in each student's home, and the lesson the link opens.
COURSE_FOLDER = "powkit-course"
FIRST_LESSON = "notebooks/00-start-here.ipynb"


def class_link(
    hub: str,
    repo: str,
    branch: str = "student",
    open_path: str = FIRST_LESSON,
    folder: str = COURSE_FOLDER,
) -> str:
    """The nbgitpuller link that pulls ``branch`` of ``repo`` into ``~/folder`` on the hub at
    ``hub`` and opens ``open_path`` (relative to the tree) in JupyterLab.

    Every value is URL-encoded, as nbgitpuller's own link generator does. The first click clones;
    each later click pulls what is new and keeps the student's own changes.
    """
    query = urllib.parse.urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": folder,
            "urlpath": f"lab/tree/{folder}/{open_path}",
        },
        quote_via=urllib.parse.quote,
        safe="",
    )
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
