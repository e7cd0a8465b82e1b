"""The course in the browser (JupyterLite): built offline, served on 127.0.0.1, run in Chromium.

What a learner does, in a real browser: open each lesson and exercise from the site, run every
cell, answer a quiz question, reload and find the answer still saved. Every request the browser
makes is watched; one to any host but 127.0.0.1 fails the test. The default (CDN) site is run
too, with the CDN answered from the verified local copy of Pyodide.

Lessons run here in Pyodide's libraries (Python 3.12, pandas 2.2, matplotlib 3.8); the rest of
the suite runs them with the current ones, so a lesson that needs either one's behaviour fails.

Timings (kernel ready, all cells run, Check to feedback) are written to
``tests/artifacts/site-timings.json`` and screenshots to ``tests/artifacts/site/``, to read,
never asserted. Skipped with a reason where Chromium, the site tools or npm are missing; failing
instead under CI.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import site_harness
from workers import checkout_lock

from powkit import site_assets
from powkit.site import CDN_URL, build_site, student_notebooks

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
NOTEBOOKS = student_notebooks(REPO)
TIMINGS: dict[str, dict] = {}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_profile(offline_site, _chromium):
    """One browser profile for the offline site (as one learner's browser), watched."""
    context = _chromium.new_context(
        viewport={"width": 1400, "height": 1000}, service_workers="allow"
    )
    profile = site_harness.SiteBrowser(context=context, base_url=offline_site.url)
    profile.install()
    TIMINGS["build"] = {
        "offline_seconds": round(offline_site.build["seconds"], 1),
        "offline_mb": round(offline_site.build["size_bytes"] / 1e6, 1),
    }
    yield profile
    context.close()
    _write_timings()


@pytest.fixture
def site_page(site_profile):
    page = site_profile.context.new_page()
    page.set_default_timeout(120_000)
    wrapper = site_harness.SitePage(page=page, base_url=site_profile.base_url)
    page.on("console", lambda msg: wrapper.console.append(f"{msg.type}: {msg.text}"))
    yield wrapper
    page.close()
    assert site_profile.foreign_requests() == [], "a request left 127.0.0.1"


def _write_timings() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "site-timings.json").write_text(json.dumps(TIMINGS, indent=1) + "\n")


def _screenshot(page, name: str) -> None:
    folder = ARTIFACTS / "site"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name.replace('/', '-')}.png"))


def _has_quiz(relpath: str) -> bool:
    cells = json.loads((REPO / relpath).read_text(encoding="utf-8"))["cells"]
    return any("Quiz" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _answer_first_question(site_page) -> float:
    """Choose the first option of the last quiz on the page and press Check; seconds to feedback."""
    site_page.show_last(".powkit-quiz")
    page = site_page.page
    quiz = page.locator(".powkit-quiz").last
    quiz.locator(".powkit-option input").first.check()
    page.wait_for_timeout(200)  # let the choice reach the kernel, as a person's next move would
    started = time.monotonic()
    quiz.locator("button.powkit-check, .powkit-check button").first.click()
    quiz.locator(
        ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
    ).first.wait_for(timeout=30_000)
    return time.monotonic() - started


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_every_notebook_runs_in_the_offline_site(site_page, relpath):
    kernel_s = site_page.open_notebook(relpath)
    run_s = site_page.run_all()
    page = site_page.page
    timing = {"kernel_ready_s": round(kernel_s, 1), "run_all_s": round(run_s, 1)}
    errors = site_page.errors()
    assert errors == [], f"{relpath}: error output in the site: {errors[:2]}"
    assert page.locator(".jp-OutputArea-output").count() > 0, f"{relpath}: nothing displayed"
    if _has_quiz(relpath):
        timing["check_to_feedback_s"] = round(_answer_first_question(site_page), 2)
    TIMINGS[relpath] = timing
    _screenshot(page, relpath)


def test_a_quiz_answer_is_saved_in_the_browser_across_a_reload(site_page):
    lesson = next(f for f in NOTEBOOKS if _has_quiz(f) and f.startswith("notebooks/"))
    site_page.open_notebook(lesson)
    site_page.run_all()
    _answer_first_question(site_page)
    before = site_page.python(
        "from powkit import progress\n"
        "print([(a.bank, a.question) for a in progress.Progress().answers()][-1])"
    )
    assert before.startswith("("), before
    TIMINGS["come_back_kernel_ready_s"] = round(site_page.come_back(lesson), 1)
    after = site_page.python(
        "from powkit import progress\n"
        "print(progress.storage().kind, progress.default_home())\n"
        "print([(a.bank, a.question) for a in progress.Progress().answers()][-1])"
    )
    where, saved = after.strip().split("\n")
    assert where == "browser /drive/my-answers", after
    assert saved == before.strip(), "the answer was not found after the reload"
    # and the learner is told where it lives
    summary = site_page.python("print(progress.summary_html())")
    assert "saved in this browser" in summary and "quiz-answers.csv" in summary


def test_the_prebuilt_font_list_and_bytecode_are_used(site_profile, site_page):
    """matplotlib finds its font list (no rebuild), and pandas loads from unchecked-hash .pyc.

    Also: the wheels are fetched by the kernel's web worker, so seeing them among the watched
    requests proves that the watch on requests covers the worker too.
    """
    site_page.open_notebook(NOTEBOOKS[0])
    fetched = [u for u in site_profile.requests if u.endswith(".whl")]
    assert any("/static/pyodide/pandas-" in u for u in fetched), fetched[:5]
    out = site_page.python(
        "import logging, io\n"
        "stream = io.StringIO()\n"
        "logging.getLogger('matplotlib.font_manager').addHandler(logging.StreamHandler(stream))\n"
        "import matplotlib.font_manager as fm\n"
        "print(fm.fontManager._version == fm.FontManager.__version__, repr(stream.getvalue()))\n"
        "import pandas.core.frame as frame\n"
        "with open(frame.__spec__.cached, 'rb') as f: header = f.read(8)\n"
        "print('pyc flags', int.from_bytes(header[4:8], 'little'))"
    )
    fonts, pyc = out.strip().split("\n")
    assert fonts == "True ''", out
    assert pyc == "pyc flags 1", out  # hash-based, source not checked (PEP 552)


# --------------------------------------------------------------------------- the CDN site


@pytest.fixture(scope="module")
def cdn_site(tmp_path_factory):
    site_harness.site_or_skip()
    out = tmp_path_factory.mktemp("site") / "cdn"
    with checkout_lock(tmp_path_factory):
        build_site(out, offline=False, source=REPO)
    site_harness.expose_app(out)
    server = site_harness.serve(out)
    yield server
    server.stop()


def _fake_cdn():
    """Answer the CDN's Pyodide URLs from the verified local copy (refuse anything else)."""
    cache = site_assets.default_cache_dir()
    core = site_assets.fetch_core(cache)
    lock = site_assets.Lock.read(core / "pyodide-lock.json")
    wheels = cache / f"wheels-{site_assets.PYODIDE_VERSION}"
    prefix = "/" + CDN_URL.split("/", 3)[3]
    types = {".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def answer(path: str):
        if not path.startswith(prefix):
            return None
        name = path[len(prefix) :]
        for folder in (core, wheels):
            candidate = folder / name
            if name and "/" not in name and candidate.is_file():
                return candidate.read_bytes(), types.get(
                    candidate.suffix, "application/octet-stream"
                )
        return None

    # the wheels the CDN site preloads must all be verified copies
    needed = lock.closure(
        [
            "numpy",
            "pandas",
            "matplotlib",
            "traitlets",
            "micropip",
            "ssl",
            "sqlite3",
            "jedi",
            "ipython",
        ]
    )
    site_assets.fetch_verified_wheels(cache, lock, needed)
    return answer


def test_the_default_cdn_site_runs_a_lesson(cdn_site, _chromium):
    context = _chromium.new_context(
        viewport={"width": 1400, "height": 1000}, service_workers="allow"
    )
    profile = site_harness.SiteBrowser(context=context, base_url=cdn_site.url)
    host = CDN_URL.split("/")[2]
    profile.fake_hosts[host] = _fake_cdn()
    profile.install()
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        site_page = site_harness.SitePage(page=page, base_url=cdn_site.url)
        lesson = next(f for f in NOTEBOOKS if _has_quiz(f) and f.startswith("notebooks/"))
        kernel_s = site_page.open_notebook(lesson)
        run_s = site_page.run_all()
        assert site_page.errors() == []
        _answer_first_question(site_page)
        TIMINGS[f"cdn:{lesson}"] = {
            "kernel_ready_s": round(kernel_s, 1),
            "run_all_s": round(run_s, 1),
        }
        cdn = [u for u in profile.requests if host in u]
        assert any(u.endswith("pyodide.asm.wasm") for u in cdn), "Pyodide did not come from the CDN"
        own = [u for u in profile.requests if "/pypi/powkit-" in u]
        assert own and all(u.startswith(cdn_site.url) for u in own), own
        assert profile.foreign_requests() == []
    finally:
        context.close()
        _write_timings()
