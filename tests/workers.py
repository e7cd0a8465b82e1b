"""How the suite shares its two pytest-xdist workers (``-n 2`` in pyproject.toml).

Some tests build from the checkout itself (the wheel, the course sites) or copy it whole (the
image's build context), and pip writes ``build/`` into the checkout while it builds: two such
steps at once, in two workers, could read or write a half-written folder. They take
``checkout_lock`` around that step, a lock file both workers see (``filelock``: ``fcntl`` on
Linux and macOS, ``msvcrt`` on Windows; released by the system if a worker dies). (xdist's ``loadgroup`` would
keep them in one worker instead, but with pytest 9 it no longer groups anything: it renames
tests through an attribute pytest 9 ignores.)

The site tests are the longest, so ``conftest.py`` hands them out first.
"""

from __future__ import annotations

from collections.abc import Iterator
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
