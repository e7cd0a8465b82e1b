"""Saved progress in the browser copy of the course (Pyodide): no ``flock``, answers in ``/drive``.

Pyodide's ``fcntl`` module has no ``flock``, and its home folder is in memory. These tests run
the same code paths on this machine by giving :mod:`powkit.progress` an ``fcntl`` without
``flock`` and a stand-in for JupyterLite's ``/drive``; the browser test
(``test_site_browser.py``) then proves the real thing in Chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path

import pytest

from powkit import progress as progress_module
from powkit.progress import Progress

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def no_flock(monkeypatch):
    """An ``fcntl`` like Pyodide's: importable, but without ``flock``."""
    monkeypatch.setattr(progress_module, "fcntl", types.SimpleNamespace())


@pytest.fixture
def browser(monkeypatch, tmp_path):
    """Python 'in the browser', with JupyterLite's drive mounted at a temporary folder."""
    drive = tmp_path / "drive"
    drive.mkdir()
    monkeypatch.setattr(progress_module, "in_browser", lambda: True)
    monkeypatch.setattr(progress_module, "BROWSER_DRIVE", drive)
    monkeypatch.delenv("POWKIT_HOME", raising=False)
    return drive


def test_in_the_browser_answers_go_to_the_drive_and_are_described_so(browser):
    assert progress_module.default_home() == browser / "my-answers"
    where = progress_module.storage()
    assert where.kind == "browser" and where.kept
    text = " ".join(where.sentences())
    assert "saved in this browser" in text and "my-answers/" in text
    assert "export_csv('quiz-answers.csv')" in text and "Download" in text


def test_without_a_drive_the_learner_is_warned_that_answers_last_until_reload(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(progress_module, "in_browser", lambda: True)
    monkeypatch.setattr(progress_module, "BROWSER_DRIVE", tmp_path / "not-mounted")
    monkeypatch.delenv("POWKIT_HOME", raising=False)
    assert progress_module.default_home() == Path.home() / ".powkit"
    where = progress_module.storage()
    assert where.kind == "memory" and not where.kept
    assert "until you reload" in " ".join(where.sentences())


def test_powkit_home_still_wins_in_the_browser(browser, monkeypatch, tmp_path):
    monkeypatch.setenv("POWKIT_HOME", str(browser / "elsewhere"))
    assert progress_module.default_home() == browser / "elsewhere"
    assert progress_module.storage().kind == "browser"
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "memfs"))
    assert progress_module.storage().kind == "memory"


def test_on_a_computer_the_table_says_which_folder(tmp_path):
    html = progress_module.summary_html(tmp_path)
    assert f"saved in {tmp_path} on this computer" in html
    assert "powkit export-progress" in html


def test_the_progress_table_tells_a_browser_learner_where_answers_live(browser, no_flock):
    Progress().record("status", "st-01", [1], True, topic="status")
    html = progress_module.summary_html()
    assert "<table" in html and "saved in this browser" in html
    assert "clearing this site" in html


def test_record_without_flock_saves_and_leaves_no_lock_behind(browser, no_flock):
    store = Progress()
    store.record("status", "st-01", [1], True, topic="status")
    store.record("status", "st-02", [0], False, topic="status")
    assert [a.question for a in Progress().answers()] == ["st-01", "st-02"]
    assert not store.lock_path.exists()
    assert (browser / "my-answers" / "progress.json").is_file()


def test_a_stale_lock_is_broken_at_once(browser, no_flock):
    store = Progress()
    store.home.mkdir(parents=True)
    store.lock_path.write_text("")
    old = time.time() - progress_module.STALE_LOCK_SECONDS - 5
    os.utime(store.lock_path, (old, old))
    started = time.monotonic()
    store.record("status", "st-01", [1], True)
    assert time.monotonic() - started < 1.0
    assert len(store.answers()) == 1 and not store.lock_path.exists()


def test_a_lock_held_too_long_is_broken_with_a_warning_and_the_answer_kept(
    browser, no_flock, monkeypatch
):
    monkeypatch.setattr(progress_module, "LOCK_WAIT_SECONDS", 0.3)
    store = Progress()
    store.home.mkdir(parents=True)
    store.lock_path.write_text("")  # fresh: another tab is (apparently) writing
    with pytest.warns(RuntimeWarning, match="held for over"):
        store.record("status", "st-01", [1], True)
    assert [a.question for a in store.answers()] == ["st-01"]


def test_a_lock_released_by_another_tab_is_taken_without_breaking_it(
    browser, no_flock, monkeypatch
):
    """The waiting side keeps retrying while the lock is fresh, and takes it once released."""
    store = Progress()
    store.home.mkdir(parents=True)
    store.lock_path.write_text("")
    sleeps = []

    def release_after_two_waits(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            store.lock_path.unlink()

    monkeypatch.setattr(progress_module.time, "sleep", release_after_two_waits)
    store.record("status", "st-01", [1], True)
    assert len(sleeps) == 2 and len(store.answers()) == 1


def test_concurrent_writers_without_flock_lose_nothing(tmp_path):
    """Four processes, each with Pyodide's flock-less fcntl, answer 25 questions at once."""
    home = tmp_path / "home"
    script = textwrap.dedent(
        f"""
        import sys, types
        sys.path.insert(0, {str(REPO)!r})
        from powkit import progress
        progress.fcntl = types.SimpleNamespace()
        store = progress.Progress({str(home)!r})
        for i in range(25):
            store.record("bank", f"w{{sys.argv[1]}}-q{{i}}", [i % 3], i % 2 == 0)
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(n)], stderr=subprocess.PIPE)
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    doc = json.loads((home / "progress.json").read_text())
    assert len(doc["answers"]) == 100
    assert len({a["question"] for a in doc["answers"]}) == 100
    assert not (home / "progress.lock").exists()
