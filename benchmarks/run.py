"""Benchmarks: how long the lessons take to run and how much memory their kernels use,
compared with a baseline notebook measured in the same run.

The baseline only imports pandas, matplotlib and ipywidgets: a lesson cannot be cheaper than its
imports, so the ratio says what the kit itself adds. Timing belongs here, never in the tests.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py --runs 3        # fewer repetitions
    python benchmarks/run.py --only search   # one section: notebooks, search, data, charts, banks,
                                             # browser (Check latency), interaction (first widget)
    python benchmarks/run.py --only notebooks --lessons 07,08   # some lessons (and the baseline)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

BASELINE_SOURCE = "import pandas\nimport matplotlib.pyplot\nimport ipywidgets"
# Peak resident memory of the kernel's own address space. (getrusage's ru_maxrss would not do: on
# Linux it survives fork and exec, so every kernel would report at least this script's own size.)
MEMORY_PROBE = (
    "with open('/proc/self/status') as _f:\n"
    "    print('POWKIT_MAXRSS_KB', next(l.split()[1] for l in _f if l.startswith('VmHWM:')))"
)
SEARCH_QUERIES = [
    "public curiosity",
    "repatriation",
    "interrogation",
    "capture card",
    "torture",
    "insults",
    "reprisal",
    "relief",
    "labour",
    "escape",
    "grave breaches",
    "information bureau",
    "identity card",
    "chaplains",
    "canteen",
    "women",
    "correspondence",
    "death",
    "medical",
    "penal",
]


#: What every kernel prints on its standard error whatever the notebook does: ipykernel's notice
#: that its local TCP sockets are not encrypted. Lines like these are counted, not shown; any other
#: line a kernel writes (a traceback, a warning from the kit) is printed with the notebook's name.
KERNEL_NOISE = (
    re.compile(r"^\[IPKernelApp\] WARNING \| Kernel is running over TCP without encryption"),
)


class KernelLog:
    """Keep what the benchmark's kernels write to stderr, so that their routine notices do not
    flood the report while their real complaints still reach the person running it."""

    def __init__(self) -> None:
        self.hidden = 0

    def run(self, label: str, client: NotebookClient) -> float:
        """Execute the client's notebook with the kernel's stderr in a file, then sift it.

        Returns the seconds from starting the kernel to the end of the last cell. The kernel's
        shutdown is left out: nobody waits for it, and now and then it stalls for about 3 s
        (1 in 12 starts of an empty notebook, November 2026: jupyter_client waits for the
        process to exit), which fell on whichever notebook it hit, most visibly on the single
        'cold' runs."""
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err:
            try:
                start = time.perf_counter()
                with client.setup_kernel(stderr=err):
                    for index, cell in enumerate(client.nb.cells):
                        client.execute_cell(cell, index)
                    return time.perf_counter() - start
            finally:
                err.seek(0)
                self.sift(label, err.read())

    def sift(self, label: str, text: str) -> list[str]:
        """Print (and return) the lines that are not known noise; count the rest."""
        shown = []
        for line in text.splitlines():
            if not line.strip():
                continue
            if any(pattern.search(line) for pattern in KERNEL_NOISE):
                self.hidden += 1
            else:
                shown.append(line)
        for line in shown:
            print(f"[kernel stderr, {label}] {line}", file=sys.stderr)
        return shown

    def summary(self) -> str:
        return (
            f"({self.hidden} routine kernel notice{'s' if self.hidden != 1 else ''} hidden: "
            "ipykernel's 'running over TCP without encryption'; any other kernel output is shown)"
        )


def _execute(
    nb: nbformat.NotebookNode, cwd: Path, log: KernelLog, label: str, home: Path
) -> tuple[float, int]:
    """Run a notebook in a fresh kernel with ``home`` as its POWKIT_HOME; return (seconds, peak
    kernel RSS in KiB)."""
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_PROBE))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    os.environ["POWKIT_HOME"] = str(home)  # the kernel inherits it
    seconds = log.run(label, client)
    rss = 0
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith("POWKIT_MAXRSS_KB"):
                rss = int(line.split()[1])
    return seconds, rss


def _lesson_paths(lessons: list[str] | None) -> list[Path]:
    """The lessons in notebooks/, or those whose names start with one of ``lessons``."""
    paths = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if lessons:
        paths = [p for p in paths if p.name.startswith(tuple(lessons))]
    return paths


def bench_notebooks(runs: int, lessons: list[str] | None = None) -> list[str]:
    """Each lesson's run time and kernel memory against the imports-only baseline.

    A learner's first run of a lesson draws its charts; later runs find them in the chart cache
    (powkit.chart_cache, in POWKIT_HOME). Both are measured: first, one execution per notebook
    with a home of its own, empty ("cold"); then ``runs`` rounds sharing one home that holds what
    those first runs stored ("median", the figure the targets apply to).
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    work = Path(tempfile.mkdtemp(prefix="powkit-bench-"))
    shared = work / "home"
    baseline = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_SOURCE)])
    targets = [("baseline (imports only)", baseline, REPO / "notebooks")]
    for path in _lesson_paths(lessons):
        targets.append((path.name, nbformat.read(path, as_version=4), path.parent))
    log = KernelLog()
    cold = {}
    for n, (name, nb, cwd) in enumerate(targets):
        home = work / f"cold-{n}"
        cold[name] = _execute(nb, cwd, log, name, home)
        if (home / "cache").is_dir():
            shutil.copytree(home / "cache", shared / "cache", dirs_exist_ok=True)
    results = {}
    # Interleave runs so that a slow moment of the machine hits every notebook alike.
    for _ in range(runs):
        for name, nb, cwd in targets:
            results.setdefault(name, []).append(_execute(nb, cwd, log, name, shared))
    base_t = statistics.median(t for t, _ in results[targets[0][0]])
    base_m = max(m for _, m in results[targets[0][0]])
    cold_t, cold_m = cold[targets[0][0]]
    lines = [
        f"Notebooks: median of {runs} headless executions, fresh kernel each; 'cold': one first "
        "run with an empty POWKIT_HOME (no chart drawn yet)",
        f"{'notebook':<38}{'median s':>9}{'x base':>7}{'peak MiB':>9}{'x base':>7}"
        f"{'cold s':>8}{'x base':>7}{'x mem':>6}  target <=1.2x time, <=1.15x memory",
    ]
    for name, _, _ in targets:
        times = [t for t, _ in results[name]]
        mem = max(m for _, m in results[name])
        t_ratio, m_ratio = statistics.median(times) / base_t, mem / base_m
        flag = (
            ""
            if name.startswith("baseline") or (t_ratio <= 1.2 and m_ratio <= 1.15)
            else "  over target"
        )
        c_t, c_m = cold[name]
        lines.append(
            f"{name:<38}{statistics.median(times):>9.2f}{t_ratio:>7.2f}{mem / 1024:>9.1f}"
            f"{m_ratio:>7.2f}{c_t:>8.2f}{c_t / cold_t:>7.2f}{c_m / cold_m:>6.2f}{flag}"
        )
    lines.append(log.summary())
    return lines


def bench_search() -> list[str]:
    from powkit import convention

    convention.search("warm up the cache")
    times = []
    for query in SEARCH_QUERIES:
        start = time.perf_counter()
        convention.search(query)
        times.append((time.perf_counter() - start) * 1000)
    return [
        f"search(): {len(SEARCH_QUERIES)} queries, median {statistics.median(times):.2f} ms, "
        f"max {max(times):.2f} ms (target: median under 5 ms)"
    ]


def _median_ms(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_data() -> list[str]:
    from powkit import data

    lines = ["Datasets: load + validate, median of 7 (ms)"]
    for name, loader in (
        ("ru-ua-pow-figures.csv", data.load_figures),
        ("historical-repatriations.csv", data.load_repatriations),
    ):
        rows = len(loader())
        lines.append(f"  {name:<34}{_median_ms(loader):>8.1f} ms  ({rows} rows)")
    return lines


def bench_charts() -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    from powkit import charts, data

    figures, repatriations = data.load_figures(), data.load_repatriations()
    jobs = {
        "returned_over_time": lambda: charts.chart_html(charts.returned_over_time(figures)),
        "captures_over_time": lambda: charts.chart_html(charts.captures_over_time(figures)),
        "repatriation_timelines": lambda: charts.chart_html(
            charts.repatriation_timelines(repatriations)
        ),
        "articles_per_part": lambda: charts.chart_html(charts.articles_per_part()),
        "misleading_chart": lambda: charts.chart_html(charts.misleading_chart(figures)),
    }
    lines = ["Charts: build + render to PNG, median of 7 (ms)"]
    for name, job in jobs.items():
        job()
        lines.append(f"  {name:<34}{_median_ms(job):>8.1f} ms")
    return lines


def bench_banks() -> list[str]:
    from powkit import banks

    def load_all():
        banks.load_banks(banks.default_bank_dir())
        banks.load_scenarios(banks.default_scenario_dir())

    count = sum(len(b) for b in banks.load_banks(banks.default_bank_dir()))
    return [
        f"Question banks: load + validate all ({count} questions) and scenarios: median {_median_ms(load_all):.1f} ms"
    ]


CLICK_BARE = (
    "import ipywidgets as w\n"
    "b = w.Button(description='Bare check'); b.add_class('bare-button'); out = w.HTML()\n"
    "n = [0]\n"
    "def f(_):\n    n[0] += 1; out.value = f'<p class=\"bare-out\">bare {n[0]}</p>'\n"
    "b.on_click(f); w.VBox([b, out])"
)
CLICK_QUIZ = (
    "from powkit.quiz import Quiz\n"
    "from powkit.banks import load_banks, default_bank_dir\n"
    "questions = [q for bank in load_banks(default_bank_dir()) for q in bank.questions if q.kind == 'single']\n"
    "quiz = Quiz(questions, seed=1, progress=False); quiz"
)
#: The same feedback without the quiz: a bare Button that copies the quiz's feedback and article
#: panels, as they stand after its Check, into an HTML widget of its own. What this costs is what
#: drawing that HTML costs in JupyterLab; what Check costs beyond it is the quiz's own work (its
#: logic in the kernel, and the options, buttons, score and focus it updates with the feedback).
CLICK_SAME_HTML = (
    "import ipywidgets as w\n"
    "same = w.Button(description='Same feedback, bare'); same.add_class('same-button')\n"
    "clear = w.Button(description='Clear'); clear.add_class('same-clear')\n"
    "same_out = w.HTML(); same_out.add_class('same-out')\n"
    "copies = [0]\n"
    "def copy_feedback(_):\n"
    "    copies[0] += 1\n"
    "    feedback = quiz.feedback_html + quiz.articles_html\n"
    "    same_out.value = f'<div data-n=\"{copies[0]}\">{feedback}</div>'\n"
    "same.on_click(copy_feedback); clear.on_click(lambda _: setattr(same_out, 'value', ''))\n"
    "box = w.VBox([w.HBox([same, clear]), same_out]); box.add_class('powkit-quiz'); box"
)
#: Click a button from inside the page and time, with the page's own clock, until the answer is in
#: the document (for the quiz: the verdict and the first cited article's text) and the frame that
#: paints it is done. Timing in the page leaves out
#: the test driver's round trips and actionability checks, which are the same for both buttons
#: but add noise on a busy machine.
_TIMED_CLICK_JS = """([buttonSelector, mode, n]) => new Promise(resolve => {
    const done = () => mode === 'bare'
        ? Array.from(document.querySelectorAll('.bare-out')).some(e => e.textContent === 'bare ' + n)
        : mode === 'same'
        ? !!document.querySelector(`.same-out [data-n="${n}"] .powkit-articles .powkit-passage`)
        : !!document.querySelector(
            '.powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong')
          && !!document.querySelector('.powkit-feedback .powkit-articles .powkit-passage');
    const button = document.querySelector(buttonSelector);
    const observer = new MutationObserver(() => {
        if (!done()) return;
        observer.disconnect();
        // the frame that lays out and paints the change, then the first task after it
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    });
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
    const start = performance.now();
    button.click();
})"""


def bench_browser(clicks: int = 30, settle_ms: int = 250) -> list[str]:
    """Click-to-visible latency in JupyterLab: the quiz's Check against a bare Button setting an
    HTML widget, and a bare Button drawing the quiz's own feedback, all in one notebook and
    clicked in turn, so that a slow moment of the machine hits them alike.

    The third button splits Check's time into drawing the feedback's HTML and the quiz's own work
    (its logic in the kernel, and the options, buttons, score and focus it updates with the
    feedback). The click comes from script, so focus stays on the option chosen before it; the end
    mark is the first task after the frame that paints the answer, which waits for whatever else
    the click sent before that frame. Single runs of 30 clicks vary by about +-0.15 in the ratio:
    compare runs made one after another. What the traces showed, and what was tried to shorten
    Check: docs/performance.md."""
    import lab as harness
    from playwright.sync_api import sync_playwright

    reason = harness.browser_unavailable_reason()
    if reason:
        return [f"Browser: skipped ({reason})"]
    work = Path(tempfile.mkdtemp(prefix="powkit-bench-lab-"))
    server = harness.start_lab(work)
    try:
        harness.write_notebook(
            server.root / "bench-click.ipynb", CLICK_BARE, CLICK_QUIZ, CLICK_SAME_HTML
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=harness.chromium_path(), headless=True, args=harness.CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab = harness.LabPage(lab=server, page=page)
            tab.open_notebook("bench-click.ipynb")
            tab.run_all()
            check_selector = "button.powkit-check, .powkit-check button"
            nxt = page.locator("button.powkit-next, .powkit-next button").first
            verdict = page.locator(
                ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
            )
            buttons = {
                "bare": "button.bare-button",
                "quiz": check_selector,
                "same": "button.same-button",
            }
            times: dict[str, list[float]] = {name: [] for name in buttons}
            for i in range(1, clicks + 1):
                page.wait_for_function(
                    f"() => {{ const b = document.querySelector('{check_selector}');"
                    " return b && !b.disabled; }"
                )
                page.locator(".powkit-option input:not([disabled])").first.check()
                # Every click starts from a page and kernel at rest (the choice has reached the
                # kernel, the page is redrawn), and the bare button takes turns going first: the
                # click right after choosing an option was found slower, whichever button it was.
                # The same-HTML button copies the quiz's feedback, so it always follows Check.
                order = ["bare", "quiz", "same"] if i % 2 else ["quiz", "same", "bare"]
                for which in order:
                    page.wait_for_timeout(settle_ms)
                    times[which].append(page.evaluate(_TIMED_CLICK_JS, [buttons[which], which, i]))
                page.locator("button.same-clear").click()
                page.locator(".same-out .powkit-articles").wait_for(state="detached")
                nxt.click()
                verdict.first.wait_for(state="detached")
            browser.close()
    finally:
        harness.stop_lab(server)
    b, q, same = (statistics.median(times[name]) for name in ("bare", "quiz", "same"))
    return [
        f"Browser: click to painted feedback in JupyterLab, median of {clicks} clicks each, "
        "in one notebook, taking turns to go first",
        f"  bare ipywidgets Button -> HTML        {b:>8.1f} ms",
        f"  Quiz 'Check' -> feedback + articles   {q:>8.1f} ms   ({q / b:.2f}x bare; target <= 1.2x)",
        f"  bare Button -> the same feedback HTML {same:>8.1f} ms   ({same / b:.2f}x bare: drawing "
        "that HTML, without the quiz's other work)",
    ]


#: The notebook a lesson's time to first interaction is compared with: it imports the four
#: libraries the lessons build on and shows one bare widget, nothing of the kit.
FIRST_WIDGET_BASELINE = (
    "import numpy\nimport pandas\nimport matplotlib.pyplot\nimport ipywidgets\n"
    "ipywidgets.Button(description='Ready')"
)
#: A control a learner can operate, drawn by a widget in an output area (hidden ones excluded).
_FIRST_CONTROL_JS = """() => {
    const nb = window.jupyterapp.shell.currentWidget;
    if (!nb || !nb.node) return false;
    const found = nb.node.querySelectorAll(
        '.jp-OutputArea-output :is(button, input, select, textarea):not([disabled])');
    return Array.from(found).some(el => el.closest('.jupyter-widgets') && el.checkVisibility());
}"""
_KERNEL_IDLE_JS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    return !!(w && w.sessionContext && w.sessionContext.session &&
              w.sessionContext.session.kernel &&
              w.sessionContext.session.kernel.status === 'idle');
}"""
#: Every cell run: read from the cells' models, not their ``[*]`` prompts, which JupyterLab leaves
#: out of the page for cells far from the view (as tests/lab.py's ``run_all`` does).
_ALL_CELLS_DONE_JS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    if (!w || !w.content || !w.content.model || !w.sessionContext.session) return false;
    if (w.sessionContext.session.kernel.status !== 'idle') return false;
    return !Array.from(w.content.model.cells)
        .some(c => c.type === 'code' && c.executionState === 'running');
}"""


def _first_interaction(page, relpath: str, has_widget: bool) -> tuple[float, float | None, float]:
    """Open one notebook in the running JupyterLab, Run All, and time (from the open command):
    the kernel ready, the first widget control drawn, and every cell done. Then shut it down."""
    start = time.perf_counter()
    page.evaluate(
        "p => { window.jupyterapp.commands.execute('docmanager:open', {path: p}); }", relpath
    )
    page.wait_for_function(
        "p => { const w = window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.context && w.context.path === p); }",
        arg=relpath,
        timeout=120_000,
        polling=20,
    )
    page.wait_for_function(_KERNEL_IDLE_JS, timeout=120_000, polling=20)
    kernel = time.perf_counter() - start
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    widget = None
    if has_widget:
        page.wait_for_function(_FIRST_CONTROL_JS, timeout=300_000, polling=20)
        widget = time.perf_counter() - start
    page.wait_for_function(_ALL_CELLS_DONE_JS, timeout=300_000, polling=20)
    done = time.perf_counter() - start
    page.evaluate(
        """async () => {
            const w = window.jupyterapp.shell.currentWidget;
            await w.sessionContext.shutdown();
            w.dispose();
        }"""
    )
    return kernel, widget, done


def _shows_a_widget(path: Path) -> bool:
    """Whether a lesson displays an ipywidget (a lesson of HTML only has no first widget)."""
    names = (
        "Quiz",
        "Scenario",
        "StatusTree",
        "FindTheRule",
        "ConventionBrowser",
        "Explorer",
        "Annotator",
        "widgets.",
    )
    nb = nbformat.read(path, as_version=4)
    return any(
        any(name in cell.source for name in names) for cell in nb.cells if cell.cell_type == "code"
    )


def bench_first_interaction(runs: int = 3, lessons: list[str] | None = None) -> list[str]:
    """Time to first interaction in JupyterLab, per lesson, beside a notebook of imports only.

    The clock starts when the notebook is opened in an already loaded JupyterLab (as a learner
    double-clicks it) and Run All is pressed as soon as the kernel is ready. A widget drawn while
    later cells still run does not answer yet (its clicks queue behind them), so the figure that
    counts is 'usable': the first widget drawn *and* every cell done.
    """
    import lab as harness
    from playwright.sync_api import sync_playwright

    reason = harness.browser_unavailable_reason()
    if reason:
        return [f"Time to first interaction: skipped ({reason})"]
    work = Path(tempfile.mkdtemp(prefix="powkit-bench-ttfi-"))
    server = harness.start_lab(work)
    harness.write_notebook(server.root / "baseline-imports.ipynb", FIRST_WIDGET_BASELINE)
    targets = [("baseline (imports + one Button)", "baseline-imports.ipynb", True)]
    for path in _lesson_paths(lessons):
        targets.append((path.name, f"notebooks/{path.name}", _shows_a_widget(path)))
    results: dict[str, list[tuple[float, float | None, float]]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=harness.chromium_path(), headless=True, args=harness.CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{server.base_url}/lab?reset&token={server.token}")
            page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
            page.wait_for_selector(".jp-LauncherCard, .jp-Launcher", timeout=120_000)
            # One untimed round first: the browser's and the server's first-use costs.
            _first_interaction(page, targets[0][1], True)
            for _ in range(runs):
                for name, relpath, has_widget in targets:
                    results.setdefault(name, []).append(
                        _first_interaction(page, relpath, has_widget)
                    )
            browser.close()
    finally:
        harness.stop_lab(server)

    def usable(rows):
        return statistics.median(max(w or 0.0, d) for _, w, d in rows)

    base = usable(results[targets[0][0]])
    lines = [
        f"Time to first interaction in JupyterLab: median of {runs}, seconds from opening the "
        "notebook (Run All as soon as the kernel is ready)",
        f"{'notebook':<38}{'kernel':>8}{'widget':>8}{'usable':>8}{'x base':>8}"
        "  (usable = first widget drawn and every cell done)",
    ]
    for name, _, has_widget in targets:
        rows = results[name]
        kernel = statistics.median(k for k, _, _ in rows)
        widget = f"{statistics.median(w for _, w, _ in rows):>8.2f}" if has_widget else f"{'-':>8}"
        use = usable(rows)
        note = "" if has_widget else "  (no widget: every cell done)"
        lines.append(f"{name:<38}{kernel:>8.2f}{widget}{use:>8.2f}{use / base:>8.2f}{note}")
    return lines


#: Every section, in the order a full run prints them (the slow notebook runs last).
SECTIONS = {
    "search": bench_search,
    "data": bench_data,
    "charts": bench_charts,
    "banks": bench_banks,
    "browser": bench_browser,
    "interaction": bench_first_interaction,
    "notebooks": bench_notebooks,
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="executions per notebook")
    parser.add_argument("--only", choices=sorted(SECTIONS), default=None)
    parser.add_argument(
        "--lessons",
        default=None,
        help="comma-separated lesson numbers for the notebooks and interaction sections (07,08)",
    )
    args = parser.parse_args()
    lessons = [x.strip() for x in args.lessons.split(",") if x.strip()] if args.lessons else None
    for name in [args.only] if args.only else list(SECTIONS):
        print()
        section = SECTIONS[name]
        if name in ("notebooks", "interaction"):
            print("\n".join(section(args.runs, lessons)), flush=True)
        else:
            print("\n".join(section()), flush=True)


if __name__ == "__main__":
    main()
