"""The suite's one rule for tests that need something a user's machine may lack (a browser,
axe-core, the course site's Pyodide, the hub's proxy, an optional package): skip with the reason
on a user's machine, fail under CI, where everything must run."""

from __future__ import annotations

import os

import pytest


def skip_or_fail(what: str, reason: str | None) -> None:
    """Do nothing when ``reason`` is None; otherwise skip ``what`` (a few words naming the tests)
    with the reason, or fail it under ``CI``."""
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"{what} skipped: {reason}")
