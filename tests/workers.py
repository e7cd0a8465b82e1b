"""How the suite shares its two pytest-xdist workers (``-n 2`` in pyproject.toml).

Some tests build from the checkout itself (the wheel, the course sites) or copy it whole (the
image's build context), and pip writes ``build/`` into the checkout while it builds: two such
steps at once, in two workers, could read or write a half-written folder. They take
``checkout_lock`` around that step, a lock file both workers see. (xdist's ``loadgroup`` would
keep them in one worker instead, but with pytest 9 it no longer groups anything: it renames
tests through an attribute pytest 9 ignores.)

The site tests are the longest, so ``conftest.py`` hands them out first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

if os.name == "posix":
    import fcntl
else:  # pragma: no cover - Windows runs the suite in one process (pytest -n 0) to be safe
    fcntl = None

#: Test files that build a course site; the longest tests of the suite.
SITE_TEST_FILES = ("test_site_browser.py", "test_site_accessibility_browser.py")


def builds_a_site(item: pytest.Item) -> bool:
    return item.path.name in SITE_TEST_FILES


@contextmanager
def checkout_lock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hold the checkout for one build or copy: one worker at a time, the other waits."""
    path = tmp_path_factory.getbasetemp().parent / "powkit-checkout.lock"
    with open(path, "w") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
