"""Benchmarks: how long the lessons take to run and how much memory their kernels use,
compared with a baseline notebook measured in the same run.

The baseline only imports pandas, matplotlib and ipywidgets: a lesson cannot be cheaper than its
imports, so the ratio says what the kit itself adds. Timing belongs here, never in the tests.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py --runs 3        # fewer repetitions
    python benchmarks/run.py --only search   # one section: notebooks, search, data, charts, banks, browser
"""

from __future__ import annotations

import argparse
import os
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
MEMORY_PROBE = (
    "import resource as _r, sys as _s\n"
    "print('POWKIT_MAXRSS_KB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"
)
SEARCH_QUERIES = [
    "public curiosity", "repatriation", "interrogation", "capture card", "torture", "insults",
    "reprisal", "relief", "labour", "escape", "grave breaches", "information bureau",
    "identity card", "chaplains", "canteen", "women", "correspondence", "death", "medical", "penal",
]


def _execute(nb: nbformat.NotebookNode, cwd: Path) -> tuple[float, int]:
    """Run a notebook in a fresh kernel; return (seconds, peak kernel RSS in KiB)."""
    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_PROBE))
    start = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    seconds = time.perf_counter() - start
    rss = 0
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith("POWKIT_MAXRSS_KB"):
                rss = int(line.split()[1])
    return seconds, rss


def bench_notebooks(runs: int) -> list[str]:
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["POWKIT_HOME"] = tempfile.mkdtemp(prefix="powkit-bench-")
    baseline = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_SOURCE)])
    targets = [("baseline (imports only)", baseline, REPO / "notebooks")]
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        targets.append((path.name, nbformat.read(path, as_version=4), path.parent))
    results = {}
    # Interleave runs so that a slow moment of the machine hits every notebook alike.
    for _ in range(runs):
        for name, nb, cwd in targets:
            results.setdefault(name, []).append(_execute(nb, cwd))
    base_t = statistics.median(t for t, _ in results[targets[0][0]])
    base_m = max(m for _, m in results[targets[0][0]])
    lines = [
        f"Notebooks: median of {runs} headless executions, fresh kernel each",
        f"{'notebook':<38}{'median s':>10}{'x base':>8}{'peak MiB':>10}{'x base':>8}  target <=1.2x time, <=1.15x memory",
    ]
    for name, _, _ in targets:
        times = [t for t, _ in results[name]]
        mem = max(m for _, m in results[name])
        t_ratio, m_ratio = statistics.median(times) / base_t, mem / base_m
        flag = "" if name.startswith("baseline") or (t_ratio <= 1.2 and m_ratio <= 1.15) else "  over target"
        lines.append(f"{name:<38}{statistics.median(times):>10.2f}{t_ratio:>8.2f}{mem / 1024:>10.1f}{m_ratio:>8.2f}{flag}")
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


SECTIONS = {"notebooks": None, "search": bench_search}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(SECTIONS) + sorted(EXTRA), default=None)
    args = parser.parse_args()
    chosen = [args.only] if args.only else ["search", *EXTRA, "notebooks"]
    for name in chosen:
        print()
        if name == "notebooks":
            lines = bench_notebooks(args.runs)
        elif name in EXTRA:
            lines = EXTRA[name]()
        else:
            lines = SECTIONS[name]()
        print("\n".join(lines))


#: Further sections (data, charts, banks, browser) register here.
EXTRA: dict = {}

if __name__ == "__main__":
    main()
