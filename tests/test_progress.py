"""Saved progress: resumable, atomic, locked across processes, never silently lost."""

from __future__ import annotations

import csv
import getpass
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from powkit import progress as progress_module
from powkit.progress import EXPORT_COLUMNS, Progress

REPO = Path(__file__).resolve().parent.parent


def test_default_home_is_powkit_home_or_dot_powkit(tmp_path, monkeypatch):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "h"))
    assert Progress().path == tmp_path / "h" / "progress.json"
    monkeypatch.delenv("POWKIT_HOME")
    assert Progress().home == Path.home() / ".powkit"


def test_record_and_resume(tmp_path):
    store = Progress(tmp_path)
    store.record("public-curiosity", "pc-01", [1], True, topic="public_curiosity")
    store.record("public-curiosity", "pc-02", [0, 2], False, topic="public_curiosity", mode="exam")
    store.record("status", "st-01", [0], False, topic="status")
    store.record("status", "st-01", [1], True, topic="status")  # answered again later
    # a later session, a new object: everything is still there
    again = Progress(tmp_path)
    assert again.answered("public-curiosity") == {"pc-01", "pc-02"}
    assert [a.question for a in again.answers("status")] == ["st-01", "st-01"]
    latest = again.latest()
    assert latest[("status", "st-01")].correct is True and latest[("status", "st-01")].chosen == (
        1,
    )
    assert latest[("public-curiosity", "pc-02")].mode == "exam"
    assert again.summary() == {
        "public-curiosity": {
            "answered": 2,
            "correct": 1,
            "last_answered_at": latest[("public-curiosity", "pc-02")].answered_at,
        },
        "status": {
            "answered": 1,
            "correct": 1,
            "last_answered_at": latest[("status", "st-01")].answered_at,
        },
    }
    doc = json.loads((tmp_path / "progress.json").read_text())
    assert doc["version"] == 1 and len(doc["answers"]) == 4
    assert set(doc["answers"][0]) == {
        "bank",
        "question",
        "topic",
        "chosen",
        "correct",
        "mode",
        "answered_at",
    }


def test_summary_html_escapes_and_counts(tmp_path):
    store = Progress(tmp_path)
    store.record("x<b>", "q1", [0], True)
    out = progress_module.summary_html(tmp_path)
    assert "x&lt;b&gt;" in out and "<b>" not in out
    assert "No answers saved yet" in progress_module.summary_html(tmp_path / "empty")


def test_writes_are_atomic_replacements(tmp_path, monkeypatch):
    store = Progress(tmp_path)
    store.record("b", "q1", [0], True)
    before = (tmp_path / "progress.json").read_bytes()
    calls = []
    real_replace = os.replace

    def failing_replace(src, dst):
        calls.append((Path(src).parent, Path(dst)))
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        store.record("b", "q2", [0], True)
    monkeypatch.setattr(os, "replace", real_replace)
    # the write went through a temporary file in the same folder, then os.replace
    assert calls == [(tmp_path, tmp_path / "progress.json")]
    # the old file is untouched and no temporary file is left behind
    assert (tmp_path / "progress.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.lock"]
    store.record("b", "q2", [0], True)
    assert [a.question for a in store.answers()] == ["q1", "q2"]


@pytest.mark.parametrize(
    "garbage", [b'{"answers": [{"bank": "b", "quest', b"", b"[1, 2, 3]", b"\xff\xfe\x00 not utf8"]
)
def test_corrupted_file_is_moved_aside_with_a_warning(tmp_path, garbage):
    path = tmp_path / "progress.json"
    path.write_bytes(garbage)
    store = Progress(tmp_path)
    with pytest.warns(RuntimeWarning) as caught:
        store.record("b", "q1", [0], True)
    asides = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(asides) == 1
    assert asides[0].read_bytes() == garbage  # kept exactly as it was
    message = str(caught[0].message)
    assert str(path) in message and str(asides[0]) in message
    assert [a.question for a in store.answers()] == ["q1"]


def test_second_corruption_does_not_overwrite_the_first_copy(tmp_path):
    path = tmp_path / "progress.json"
    store = Progress(tmp_path)
    for garbage in (b"{broken one", b"{broken two"):
        path.write_bytes(garbage)
        with pytest.warns(RuntimeWarning):
            store.answers()
    kept = sorted(p.read_bytes() for p in tmp_path.glob("progress.json.corrupt-*"))
    assert kept == [b"{broken one", b"{broken two"]


def test_unreadable_entries_are_kept_but_ignored(tmp_path):
    (tmp_path / "progress.json").write_text(
        json.dumps({"version": 1, "answers": ["junk", {"bank": "b"}]})
    )
    store = Progress(tmp_path)
    store.record("b", "q1", [0], True)
    assert [a.question for a in store.answers()] == ["q1"]
    assert len(json.loads((tmp_path / "progress.json").read_text())["answers"]) == 3


_WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from powkit.progress import Progress

    home, name, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.001)
    store = Progress(home)
    for i in range(50):
        store.record("race", f"{name}-{i:02d}", [i % 3], i % 2 == 0, topic="status")
    """
)


def test_two_processes_answering_at_once_keep_all_answers(tmp_path):
    home = tmp_path / "home"
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    workers = [
        subprocess.Popen([sys.executable, "-c", _WORKER, str(home), name, str(go)], env=env)
        for name in ("left", "right")
    ]
    time.sleep(0.5)  # both started and waiting: release them together
    go.touch()
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    answers = Progress(home).answers("race")
    assert len(answers) == 100
    names = {a.question for a in answers}
    assert names == {f"{n}-{i:02d}" for n in ("left", "right") for i in range(50)}
    # each process's answers stay in the order it gave them
    for n in ("left", "right"):
        mine = [a.question for a in answers if a.question.startswith(n)]
        assert mine == sorted(mine)
    assert not list(home.glob("*.tmp")) and not list(home.glob("progress.json.corrupt-*"))


def test_export_csv_is_pseudonymous(tmp_path):
    store = Progress(tmp_path / "home")
    store.record("public-curiosity", "pc-01", [1], True, topic="public_curiosity")
    store.record("status", "st-02", [0, 2], False, topic="status")
    out = tmp_path / "out.csv"
    assert store.export_csv(out) == 2
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [r[1:6] for r in rows[1:]] == [
        ["public-curiosity", "pc-01", "public_curiosity", "1", "true"],
        ["status", "st-02", "status", "0;2", "false"],
    ]
    learner = rows[1][0]
    assert learner == rows[2][0] and len(learner) == 16 and int(learner, 16) >= 0
    assert getpass.getuser() not in learner and getpass.getuser() not in out.read_text()
    # stable for this install, different for another
    assert store.learner_id() == learner
    assert Progress(tmp_path / "other").learner_id() != learner
    assert (tmp_path / "home" / "learner.salt").exists()


def test_export_progress_command(tmp_path, capsys):
    from powkit.cli import main

    Progress(tmp_path / "home").record("b", "q1", [0], True, topic="status")
    assert main(["export-progress", str(tmp_path / "x.csv"), "--home", str(tmp_path / "home")]) == 0
    assert "wrote 1 answer" in capsys.readouterr().out
    assert len((tmp_path / "x.csv").read_text().splitlines()) == 2


def test_clear_keeps_a_backup(tmp_path):
    store = Progress(tmp_path)
    store.record("a", "q1", [0], True)
    store.record("b", "q2", [0], True)
    store.clear("a")
    assert [a.bank for a in store.answers()] == ["b"]
    assert (tmp_path / "progress.json.bak").exists()
