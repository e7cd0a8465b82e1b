"""What one student's Jupyter server costs: the student image against an environment with
everything installed.

On a class JupyterHub every student runs a server of their own, so its memory and start-up CPU,
multiplied by the class, decide the machine an instructor needs (``docs/instructors.md``). The
kit controls part of that cost: what the student image installs (``binder/requirements.txt``:
no nbgrader, whose server extensions every server would load) and which extensions it enables
(``binder/jupyter-config/``, merged into the image by ``binder/postBuild``).

This script starts JupyterLab on 127.0.0.1 as a hub's single-user server starts, asks for what a
browser asks for on opening it, and reports the server's resident memory and the CPU seconds it
used, for each environment given, as installed and with ``binder/jupyter-config`` applied
(through ``JUPYTER_CONFIG_PATH``, as the hub smoke test does). Ratios are to the first row,
measured in the same run, rounds interleaved.

    python benchmarks/student_server.py                                  # this interpreter
    python benchmarks/student_server.py --python DEV/bin/python --python STUDENT/bin/python

Timing and memory belong here, never in the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STUDENT_CONFIG = REPO / "binder" / "jupyter-config"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _get(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def measure(python: str, student_config: bool, workdir: Path) -> dict:
    """Start one server, load /lab and the lesson list, and read its cost."""
    config = workdir / "config"
    config.mkdir(parents=True)
    root = workdir / "root"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(workdir / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
    }
    env.pop("JUPYTER_CONFIG_PATH", None)
    if student_config:
        env["JUPYTER_CONFIG_PATH"] = str(STUDENT_CONFIG)
    log_path = workdir / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                python,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.allow_root=True",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited:\n{log_path.read_text()[-2000:]}")
            try:
                _get(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() - started > 120:
                    raise RuntimeError("server did not answer within 120 s") from None
                time.sleep(0.2)
        ready = time.monotonic() - started
        # What a browser asks for on opening JupyterLab: the page, its settings and the files.
        _get(f"{base}/lab?token={token}")
        _get(f"{base}/lab/api/settings?token={token}")
        _get(f"{base}/api/contents/notebooks?token={token}")
        served = time.monotonic() - started
        cpu = _cpu_seconds(process.pid)
        time.sleep(2)
        rss = _rss_mib(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    loaded = sorted(
        set(re.findall(r"([\w.]+) \| extension was successfully loaded", log_path.read_text()))
    )
    return {"ready_s": ready, "served_s": served, "cpu_s": cpu, "rss_mib": rss, "loaded": loaded}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        action="append",
        help="an environment's interpreter (repeatable; default: the one running this)",
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    configs = [
        (f"{Path(py).parent.parent.name}{' + student config' if student else ''}", py, student)
        for py in (args.python or [sys.executable])
        for student in (False, True)
    ]
    results: dict[str, list[dict]] = {name: [] for name, _, _ in configs}
    with tempfile.TemporaryDirectory(prefix="powkit-bench-server-") as tmp:
        for run in range(args.runs + 1):  # the first round warms the disk cache, not counted
            for index, (name, python, student) in enumerate(configs):
                figures = measure(python, student, Path(tmp) / f"{run}-{index}")
                if run:
                    results[name].append(figures)
    base = results[configs[0][0]]
    base_rss = statistics.median(r["rss_mib"] for r in base)
    base_cpu = statistics.median(r["cpu_s"] for r in base)
    print(f"{args.runs} runs each after one warm-up round; medians")
    print(
        f"{'environment':<28} {'RSS MiB':>8} {'ratio':>6} {'CPU s':>6} {'ratio':>6} "
        f"{'ready s':>8}  server extensions loaded"
    )
    for name, _, _ in configs:
        rows = results[name]
        rss = statistics.median(r["rss_mib"] for r in rows)
        cpu = statistics.median(r["cpu_s"] for r in rows)
        ready = statistics.median(r["served_s"] for r in rows)
        print(
            f"{name:<28} {rss:>8.0f} {rss / base_rss:>6.2f} {cpu:>6.2f} {cpu / base_cpu:>6.2f} "
            f"{ready:>8.2f}  {', '.join(rows[-1]['loaded'])}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
