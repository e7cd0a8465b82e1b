"""The course's table of contents, the learning path and the environment check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from powkit import convention, course, resources

REPO = Path(__file__).resolve().parent.parent


def _heading_and_time(path: Path) -> tuple[str, str]:
    """The notebook's first '# ' heading and the text after 'Time:' (up to a '·')."""
    title = time = ""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# ") and not title:
                title = line[2:].strip()
            if "time:" in line.lower() and not time:
                time = line.split(":", 1)[1].split("\u00b7")[0].strip(" *")
        if title and time:
            break
    return title, time


def test_every_notebook_is_in_the_table_of_contents_in_order():
    toc = course.table_of_contents()
    listed = [entry.file for entry in toc["lessons"]]
    on_disk = sorted(f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb"))
    assert listed == on_disk
    exercises = [entry.file for entry in toc["exercises"]]
    assert exercises == sorted(f"exercises/{p.name}" for p in (REPO / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize(
    "entry",
    course.table_of_contents()["lessons"] + course.table_of_contents()["exercises"],
    ids=lambda e: e.name,
)
def test_titles_and_times_are_the_notebooks_own(entry):
    title, time = _heading_and_time(REPO / entry.file)
    assert (entry.title, entry.minutes) == (title, time), (
        f"data/toc.yaml: {entry.file}: title and time must match the notebook's first heading "
        f"and 'Time:' line"
    )


def test_learning_path_links_every_lesson_and_escapes():
    page = course.learning_path_html()
    for lesson in course.lessons():
        assert f'href="{lesson.name}"' in page
    assert page.count("<tr>") == len(course.lessons()) + 1
    printed = str(course.learning_path())
    assert printed.splitlines()[0].startswith("00-start-here.ipynb")
    assert "OK: " in str(course.environment_report())


def test_toc_problems_name_the_file_entry_and_field(tmp_path, monkeypatch):
    (tmp_path / "toc.yaml").write_text("lessons:\n  - file: notebooks/x.ipynb\n    title: X\n")
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path))
    with pytest.raises(course.TocError, match=r"toc.yaml: lessons entry 1: time: missing"):
        course.lessons()


def test_environment_check_expands_tilde_in_powkit_home(tmp_path, monkeypatch):
    """POWKIT_HOME=~/x must mean the home folder, not a folder literally called '~'."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("POWKIT_HOME", "~/progress-here")
    monkeypatch.chdir(tmp_path)
    checks = {c.what: c for c in course.environment_checks()}
    folder = checks["A folder to save your progress"]
    assert folder.ok and folder.detail == str(tmp_path / "home" / "progress-here")
    assert not (tmp_path / "~").exists()
    assert (tmp_path / "home" / "progress-here").is_dir()


def test_convention_sees_a_later_powkit_data(tmp_path, monkeypatch):
    """The treaty cache is keyed by the file it read, so a later override is not ignored."""
    monkeypatch.delenv("POWKIT_DATA", raising=False)
    shipped = convention.cite("GCIII 13(2)")
    raw = json.loads(resources.data_file("gc3.json").read_text(encoding="utf-8"))
    article = next(a for a in raw["articles"] if a["number"] == 13)
    article["paragraphs"][1]["text"] = "An instructor's own reading."
    (tmp_path / "gc3.json").write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path))
    assert convention.cite("GCIII 13(2)") == "An instructor's own reading."
    assert convention.search("instructor's own reading")[0].citation == "GCIII 13(2)"
    assert convention.cite("API 44(3)")  # what the folder lacks still comes from the kit
    monkeypatch.delenv("POWKIT_DATA")
    assert convention.cite("GCIII 13(2)") == shipped


def test_instructor_folder_adds_to_and_hides_shipped_files(tmp_path, monkeypatch):
    own = tmp_path / "course-data" / "quizzes"
    own.mkdir(parents=True)
    (own / "status.yaml").write_text("bank: mine\n")
    (own / "extra.yaml").write_text("bank: extra\n")
    monkeypatch.setenv("POWKIT_DATA", "~/course-data")
    monkeypatch.setenv("HOME", str(tmp_path))
    files = resources.data_files("quizzes")
    names = [p.name for p in files]
    assert names[:2] == ["extra.yaml", "status.yaml"] and names.count("status.yaml") == 1
    assert files[1] == own / "status.yaml"
    assert resources.display_path(files[1]) == "course-data/quizzes/status.yaml"
    assert resources.display_path(resources.data_file("gc3.json")) == "data/gc3.json"


def test_an_editable_install_reads_data_in_place(monkeypatch):
    """pip install -e . maps powkit.content to the checkout's data/: an edit shows at once."""
    monkeypatch.delenv("POWKIT_DATA", raising=False)
    import powkit

    if Path(powkit.__file__).resolve().parent != REPO / "powkit":
        pytest.skip("powkit is not imported from this checkout")
    assert resources.shipped_dir().resolve() == REPO / "data"
    assert resources.data_file("gc3.json").resolve() == REPO / "data" / "gc3.json"
