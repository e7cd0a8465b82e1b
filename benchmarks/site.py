"""Benchmark: how fast the browser copy of the course (JupyterLite) is usable on a first visit.

Compares the site ``powkit build-site --offline`` makes with a *stock* variant of the same site,
measured in the same run: the same files, but nothing preloaded (the kernel installs its own
packages one by one and each lesson's imports load theirs, as in a JupyterLite site built by
hand) and matplotlib left to build its font list at the first chart. The ratio says what the
preloading and the prebuilt font list buy. Each visit is a fresh browser profile (an empty cache),
served from 127.0.0.1.

    python benchmarks/site.py                      # build an offline site, 3 runs
    python benchmarks/site.py --site OUT --runs 5  # an existing build
    python benchmarks/site.py --lesson notebooks/08-captures-in-numbers.ipynb

Figures: site size on disk; from opening a lesson to a usable (idle) kernel; from Run All to the
first chart on screen and to the last cell done; a quiz's Check to its feedback. Medians, with
the ratio powkit / stock. Timing belongs here, never in the tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import lab as harness  # noqa: E402
import site_harness  # noqa: E402

from powkit.site import KERNEL_PLUGIN, build_site, student_notebooks  # noqa: E402

METRICS = ("kernel_ready", "first_chart", "run_all", "check_feedback", "second_visit_kernel")


def _stock_copy(site: Path, dest: Path) -> Path:
    """The same site with nothing preloaded (the JupyterLite default)."""
    shutil.copytree(site, dest)
    path = dest / "jupyter-lite.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    settings = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    settings.pop("loadPyodideOptions", None)
    path.write_text(json.dumps(config, indent=1), encoding="utf-8")
    return dest


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def _visit(browser, url: str, lesson: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="allow")
    watch = site_harness.SiteBrowser(context=context, base_url=url)
    watch.install()
    page = context.new_page()
    page.set_default_timeout(300_000)
    visit = site_harness.SitePage(page=page, base_url=url)
    out: dict[str, float] = {"kernel_ready": visit.open_notebook(lesson, timeout_ms=600_000)}
    started = time.monotonic()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_timeout(300)
    first = page.wait_for_function(
        """() => {
            if (document.querySelector('.jp-RenderedImage img, .jupyter-widgets img')) return 'chart';
            const w = window.jupyterapp.shell.currentWidget;
            const busy = w.sessionContext.session.kernel.status !== 'idle';
            const pending = w.content.widgets.some(
                c => c.model.type === 'code' && c.promptNode &&
                     c.promptNode.textContent.includes('*'));
            return (!busy && !pending) ? 'done' : false;
        }""",
        timeout=600_000,
        polling=100,
    )
    if first.json_value() == "chart":
        out["first_chart"] = time.monotonic() - started
    visit.wait_all_run(600_000)
    out["run_all"] = time.monotonic() - started
    if page.locator(".powkit-quiz").count():
        visit.show_last(".powkit-quiz")
        quiz = page.locator(".powkit-quiz").last
        quiz.locator(".powkit-option input").first.check()
        page.wait_for_timeout(200)
        clicked = time.monotonic()
        quiz.locator("button.powkit-check, .powkit-check button").first.click()
        quiz.locator(
            ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
        ).first.wait_for(timeout=120_000)
        out["check_feedback"] = time.monotonic() - clicked
    # a second visit in the same browser: its cache now holds the site
    page.close()
    again = site_harness.SitePage(page=context.new_page(), base_url=url)
    out["second_visit_kernel"] = again.open_notebook(lesson, timeout_ms=600_000)
    foreign = watch.foreign_requests()
    context.close()
    if foreign:
        raise SystemExit(f"requests left 127.0.0.1: {foreign[:5]}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", help="an existing offline build (default: build one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--lesson",
        action="append",
        help="a notebook path as the table of contents gives it (repeatable); "
        "default: the lesson with the explorer chart and the first lesson with a quiz",
    )
    args = parser.parse_args()
    if harness.browser_unavailable_reason():
        raise SystemExit(harness.browser_unavailable_reason())
    lessons = args.lesson or _default_lessons()
    with tempfile.TemporaryDirectory(prefix="powkit-site-bench-") as tmp:
        if args.site:
            site = Path(args.site)
        else:
            site = Path(tmp) / "powkit"
            print(build_site(site, offline=True, source=REPO).summary().split("\n")[0])
        stock = _stock_copy(site, Path(tmp) / "stock")
        site_harness.expose_app(site)
        site_harness.expose_app(stock)
        servers = {"powkit": site_harness.serve(site), "stock": site_harness.serve(stock)}
        print(f"site size: {_size_mb(site):.1f} MB on disk")
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=harness.chromium_path(),
                headless=True,
                args=harness.CHROMIUM_ARGS,
            )
            for run in range(args.runs):
                for lesson in lessons:
                    for variant in ("stock", "powkit") if run % 2 == 0 else ("powkit", "stock"):
                        figures = _visit(browser, servers[variant].url, lesson)
                        results.setdefault((lesson, variant), []).append(figures)
                        shown = ", ".join(f"{k} {v:.1f}s" for k, v in figures.items())
                        print(f"run {run + 1} {variant:6} {lesson}: {shown}", flush=True)
            browser.close()
        for server in servers.values():
            server.stop()
    print("\nmedians (seconds) and ratio powkit / stock:")
    for lesson in lessons:
        print(lesson)
        for metric in METRICS:
            values = {
                variant: [r[metric] for r in results[(lesson, variant)] if metric in r]
                for variant in ("powkit", "stock")
            }
            if not values["powkit"] or not values["stock"]:
                continue
            ours, stock_ = statistics.median(values["powkit"]), statistics.median(values["stock"])
            print(f"  {metric:20} powkit {ours:6.1f}   stock {stock_:6.1f}   x{ours / stock_:.2f}")
    return 0


def _default_lessons() -> list[str]:
    files = student_notebooks(REPO)

    def source(relpath: str) -> str:
        cells = json.loads((REPO / relpath).read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")

    charts = next((f for f in files if "ChartExplorer" in source(f)), files[0])
    quiz = next((f for f in files if "Quiz" in source(f) and f != charts), files[0])
    return [charts, quiz]


if __name__ == "__main__":
    sys.exit(main())
