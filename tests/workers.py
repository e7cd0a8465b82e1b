"""How the suite shares its two pytest-xdist workers (``-n 2`` in pyproject.toml).

Some tests build from the checkout itself (the wheel, the course sites) or copy it whole (the
image's build context), and pip writes ``build/`` into the checkout while it builds: two such
steps at once, in two workers, could read or write a half-written folder. They take
``checkout_lock`` around that step, a lock file both workers see (``filelock``: ``fcntl`` on
Linux and macOS, ``msvcrt`` on Windows; the system releases it if a worker dies). (xdist's
``loadgroup`` would keep them in one worker instead, but with pytest 9 it no longer groups
anything: it renames tests through an attribute pytest 9 ignores.)

The offline course site, which both workers' site tests open, is built once per run
(``built_once``): the first worker to need it builds it, the other waits for the lock and uses
the same folder. The site tests are the longest, so ``conftest.py`` hands them out first.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from filelock import FileLock

#: Test files that build a course site; the longest tests of the suite.
SITE_TEST_FILES = ("test_site_browser.py", "test_site_accessibility_browser.py")


def builds_a_site(item: pytest.Item) -> bool:
    return item.path.name in SITE_TEST_FILES


@contextmanager
def checkout_lock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hold the checkout for one build or copy: one worker at a time, the other waits."""
    with FileLock(lock_path(tmp_path_factory)):
        yield


def lock_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lock file: in the folder above the workers' own temporary folders, which they share."""
    return tmp_path_factory.getbasetemp().parent / "powkit-checkout.lock"


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], dict]
) -> tuple[Path, dict]:
    """A folder built from the checkout once per test run, for both workers.

    ``build(out)`` makes the folder ``out`` and returns facts about the build (plain JSON: a
    worker that did not build it reads them back). Run without workers (``pytest -n 0``), the
    folder is built in this process's own temporary folder, since the folder above it is shared
    with earlier runs. A build that stopped half-way is started again, never reused.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    with checkout_lock(tmp_path_factory):
        if run is None:
            out = tmp_path_factory.mktemp(name) / name
            return out, build(out)
        folder = tmp_path_factory.getbasetemp().parent / f"{name}-{run}"
        record = folder / "built.json"
        if record.is_file():
            return folder / name, json.loads(record.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        facts = build(folder / name)
        record.write_text(json.dumps(facts), encoding="utf-8")
        return folder / name, facts
