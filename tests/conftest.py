"""Shared fixtures: the browser harness (a real JupyterLab in headless Chromium).

Browser tests skip with a clear reason when Chromium is missing on a user's machine, but fail
when the environment variable CI is set: in CI a skipped browser test would hide a broken widget.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lab as harness
import site_harness
from availability import skip_or_fail
from workers import builds_a_site, built_once


@pytest.fixture(autouse=True, scope="session")
def _powkit_home(tmp_path_factory):
    """Nothing a test runs writes into the learner's own ~/.powkit (progress, the chart cache):
    every test, and every kernel or process it starts, gets a fresh home unless it sets one."""
    saved = os.environ.get("POWKIT_HOME")
    os.environ["POWKIT_HOME"] = str(tmp_path_factory.mktemp("powkit-home"))
    yield
    if saved is None:
        os.environ.pop("POWKIT_HOME", None)
    else:
        os.environ["POWKIT_HOME"] = saved


def pytest_collection_modifyitems(config, items):
    """The course site's tests first (workers.py): they are the longest (every notebook in
    Pyodide), so handing them out first lets the workers share them, instead of one worker
    finishing them alone at the end."""
    items.sort(key=lambda item: not builds_a_site(item))


def _browser_or_skip() -> None:
    skip_or_fail("browser tests", harness.browser_unavailable_reason())


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a temporary copy of notebooks/."""
    _browser_or_skip()
    server = harness.start_lab(tmp_path_factory.mktemp("jupyterlab"))
    yield server
    harness.stop_lab(server)


@pytest.fixture(scope="session")
def _chromium():
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=harness.chromium_path(), headless=True, args=harness.CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def lab_page(lab, _chromium):
    """A fresh browser tab on the lab; on failure, the server log helps say why."""
    context = _chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    wrapper = harness.LabPage(lab=lab, page=page)
    page.on("console", lambda msg: wrapper.console.append(f"{msg.type}: {msg.text}"))
    yield wrapper
    context.close()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory):
    """``powkit build-site --offline``, served by a static file server on 127.0.0.1: built once
    per run for every test of the course site (test_site_browser.py,
    test_site_accessibility_browser.py), in whichever worker needs it first (workers.py).
    ``server.build`` holds the build's ``seconds`` and ``size_bytes``.
    """
    site_harness.site_or_skip()
    from powkit.site import build_site

    def build(out: Path) -> dict:
        report = build_site(out, offline=True, source=Path(__file__).resolve().parent.parent)
        site_harness.expose_app(out)
        return {"seconds": report.seconds, "size_bytes": report.size_bytes}

    out, facts = built_once(tmp_path_factory, "offline-site", build)
    server = site_harness.serve(out)
    server.build = facts
    yield server
    server.stop()
