"""A real JupyterLab in a real (headless) browser, for testing widgets the way students use them.

The server serves a temporary copy of ``notebooks/`` so that running cells in the browser never
writes outputs into the repository. Chromium is Debian's (``/usr/bin/chromium``), driven by
Playwright's Python package with ``executable_path``: nothing is downloaded at test time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def chromium_path() -> str | None:
    """Debian's Chromium, or the one named by $POWKIT_CHROMIUM; None if there is none."""
    explicit = os.environ.get("POWKIT_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), None)


def browser_unavailable_reason() -> str | None:
    """Why browser tests cannot run here, in words; None when they can."""
    if chromium_path() is None:
        return "Chromium not found at /usr/bin/chromium (install it with: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_notebook(path: Path, *sources: str) -> Path:
    """Write a notebook of code cells (markdown if a source starts with '#md'), with a kernelspec."""
    cells = []
    for src in sources:
        if src.startswith("#md\n"):
            cells.append(nbformat.v4.new_markdown_cell(src[4:]))
        else:
            cells.append(nbformat.v4.new_code_cell(src))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@dataclass
class Lab:
    """A running JupyterLab server: its root folder, address and token."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, relpath: str) -> str:
        return f"{self.base_url}/lab/tree/{relpath}?reset&token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_lab(
    workdir: Path,
    folders: tuple[str, ...] = ("notebooks",),
    settings: dict[str, dict] | None = None,
    own_overrides: dict[str, dict] | None = None,
) -> Lab:
    """Start JupyterLab on 127.0.0.1 with a random port and token; wait until it answers.

    ``folders`` are copied from the repository into the served root; ``settings`` maps a plugin
    id ("@jupyterlab/notebook-extension:tracker") to the user settings it starts with;
    ``own_overrides`` is a learner's own ``overrides.json`` in the application settings folder.
    """
    root = workdir / "root"
    root.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        shutil.copytree(REPO / folder, root / folder)
    # No news pop-up and no update check: they cover the page and need the internet.
    wanted = {
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        }
    }
    wanted.update(settings or {})
    for plugin_id, values in wanted.items():
        package, plugin = plugin_id.split(":")
        path = workdir / "settings" / package / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    # The kit's own JupyterLab settings, where and as an installed kit has them: the file in the
    # application settings folder's overrides.d/ (the arrow and letter keys pressed on a control
    # in an output go to the control; docs/accessibility.md). A folder of the test's own, so
    # that the settings of the machine's JupyterLab do not leak in.
    app_settings = workdir / "app-settings"
    (app_settings / "overrides.d").mkdir(parents=True, exist_ok=True)
    shutil.copy2(
        REPO / "data" / "jupyterlab" / "overrides.d" / "powkit.json",
        app_settings / "overrides.d" / "powkit.json",
    )
    if own_overrides is not None:
        (app_settings / "overrides.json").write_text(json.dumps(own_overrides))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        {
            "JUPYTERLAB_SETTINGS_DIR": str(workdir / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"),
            "JUPYTER_RUNTIME_DIR": str(workdir / "runtime"),
            "POWKIT_HOME": str(workdir / "powkit-home"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
    )
    log_path = workdir / "jupyterlab.log"
    log = open(log_path, "w")  # noqa: SIM115 - open for the server's lifetime
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.app_settings_dir={app_settings}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=root,
    )
    lab = Lab(root=root, port=port, token=token, process=process, log_path=log_path)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(f"{lab.base_url}/api/status?token={token}", timeout=2):
                return lab
        except OSError:
            time.sleep(0.3)
    stop_lab(lab)
    raise RuntimeError(f"JupyterLab did not answer within 90 s:\n{lab.log_tail()}")


def stop_lab(lab: Lab) -> None:
    lab.process.terminate()
    try:
        lab.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        lab.process.kill()


@dataclass
class LabPage:
    """One browser tab on the lab, with the few actions a student takes."""

    lab: Lab
    page: object
    console: list = field(default_factory=list)

    def open_notebook(self, relpath: str, timeout_ms: int = 60_000) -> None:
        """Open a notebook and wait until its kernel is ready."""
        self.page.goto(self.lab.url(relpath))
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms)
        self.page.wait_for_selector(".jp-Notebook", timeout=timeout_ms)
        self._dismiss_dialogs()
        self.page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                return w && w.sessionContext && w.sessionContext.session &&
                       w.sessionContext.session.kernel &&
                       w.sessionContext.session.kernel.status === 'idle';
            }""",
            timeout=timeout_ms,
        )

    def _dismiss_dialogs(self) -> None:
        # A "Select Kernel" dialog blocks clicks if a notebook lacks kernelspec metadata;
        # accept the default kernel rather than fail obscurely.
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():
            accept = self.page.locator(".jp-Dialog .jp-mod-accept")
            if accept.count():
                accept.first.click()

    def run_all(self, timeout_ms: int = 120_000) -> None:
        """Run every cell, as Run > Run All Cells does, and wait until the kernel is idle."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.wait_for_function(
            # The cells' models, not their prompts: JupyterLab leaves cells outside the view
            # out of the page, and the kernel is briefly idle between two cells.
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                if (!w || !w.content || !w.content.model) return false;
                const busy = w.sessionContext.session.kernel.status !== 'idle';
                const cells = Array.from(w.content.model.cells);
                const pending = cells.some(c => c.type === 'code' && c.executionState === 'running');
                return !busy && !pending;
            }""",
            timeout=timeout_ms,
            polling=250,
        )

    def wait_for_text(self, text: str, timeout_ms: int = 30_000) -> None:
        self.page.get_by_text(text).first.wait_for(timeout=timeout_ms)

    def errors(self) -> list[str]:
        """Tracebacks shown in the notebook's outputs."""
        return self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()


def open_cells(lab: Lab, chromium, relpath: str, cells, viewport=None, device_scale_factor=1):
    """Write ``cells`` as a notebook, open it in a new browser context and run every cell
    (no error output allowed). Returns (context, LabPage); the caller closes the context."""
    write_notebook(lab.root / relpath, *cells)
    context = chromium.new_context(
        viewport=viewport or {"width": 1280, "height": 900},
        device_scale_factor=device_scale_factor,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    lab_page = LabPage(lab=lab, page=page)
    lab_page.open_notebook(relpath, timeout_ms=120_000)
    lab_page.run_all(timeout_ms=180_000)
    assert lab_page.errors() == []
    return context, lab_page
