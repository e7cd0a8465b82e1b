"""The lock the two test workers share around builds from the checkout (tests/workers.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from pathlib import Path

from workers import built_once, checkout_lock, lock_path

HERE = Path(__file__).resolve().parent

#: Another process holding the checkout as a worker would, until its stdin is closed.
_HOLDER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from workers import checkout_lock

class Factory:  # the one method of pytest's TempPathFactory that checkout_lock uses
    def getbasetemp(self):
        return Path(sys.argv[2])

with checkout_lock(Factory()):
    print("held", flush=True)
    sys.stdin.read()
print("released", flush=True)
"""


def test_checkout_lock_keeps_another_process_waiting_until_it_is_released(tmp_path_factory):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(HERE), str(tmp_path_factory.getbasetemp())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    got_in = threading.Event()

    def wait_for_the_checkout() -> None:
        with checkout_lock(tmp_path_factory):
            got_in.set()

    try:
        assert holder.stdout.readline().strip() == "held"
        waiter = threading.Thread(target=wait_for_the_checkout, daemon=True)
        waiter.start()
        assert not got_in.wait(1.0), "a second holder got the checkout while the first held it"
        holder.stdin.close()  # the first holder finishes its build
        assert got_in.wait(30), "the checkout was never handed over after the first holder let go"
        waiter.join(30)
        assert holder.wait(30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    assert lock_path(tmp_path_factory).exists()


def _counting_build(calls: list[Path]):
    def build(out: Path) -> dict:
        calls.append(out)
        out.mkdir(parents=True)
        (out / "index.html").write_text("site", encoding="utf-8")
        return {"seconds": 1.5, "builds": len(calls)}

    return build


def test_a_folder_is_built_once_per_run_and_shared(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)
    calls: list[Path] = []
    first = built_once(tmp_path_factory, "thing", _counting_build(calls))
    again = built_once(tmp_path_factory, "thing", _counting_build(calls))
    assert len(calls) == 1
    assert again == first == (calls[0], {"seconds": 1.5, "builds": 1})
    assert (first[0] / "index.html").read_text(encoding="utf-8") == "site"


def test_a_build_that_stopped_half_way_is_built_again(tmp_path_factory, monkeypatch):
    run = uuid.uuid4().hex
    monkeypatch.setenv("PYTEST_XDIST_TESTRUNUID", run)
    half = tmp_path_factory.getbasetemp().parent / f"thing-{run}" / "thing"
    half.mkdir(parents=True)
    (half / "partial").write_text("x", encoding="utf-8")  # no record of a finished build
    calls: list[Path] = []
    out, facts = built_once(tmp_path_factory, "thing", _counting_build(calls))
    assert calls == [out] and facts["builds"] == 1
    assert not (out / "partial").exists()


def test_without_workers_each_session_builds_its_own(tmp_path_factory, monkeypatch):
    monkeypatch.delenv("PYTEST_XDIST_TESTRUNUID", raising=False)
    calls: list[Path] = []
    first, _ = built_once(tmp_path_factory, "thing", _counting_build(calls))
    second, _ = built_once(tmp_path_factory, "thing", _counting_build(calls))
    assert len(calls) == 2 and first != second
    assert tmp_path_factory.getbasetemp() in first.parents
