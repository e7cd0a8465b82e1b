"""The JupyterLite site in a real (headless) browser, the way a learner meets it.

``build-site --offline`` output is served by a plain static file server on 127.0.0.1 (what an
instructor's web server does), and Chromium opens it. Every request the browser makes, from the
page, the service worker or the kernel's web worker, passes through :meth:`SiteBrowser.guard`:
a request to any host but 127.0.0.1 is recorded and refused, and the tests fail on it. A fake
CDN can be mounted for the default (CDN) site: requests to the CDN are answered from verified
local files, so the CDN build is exercised without the internet.

One change is made to the built site for testing: ``exposeAppInBrowser`` in
``jupyter-lite.json``, so that the test can ask JupyterLab (``window.jupyterapp``) whether the
kernel is idle, as the JupyterLab harness does (``lab.py``).
"""

from __future__ import annotations

import functools
import http.server
import json
import socketserver
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

ALLOWED_HOSTS = ("127.0.0.1",)


def site_unavailable_reason() -> str | None:
    """Why the site cannot be built and opened here, in words; None when it can."""
    import importlib.util
    import shutil

    import lab as harness

    from powkit import site_assets

    reason = harness.browser_unavailable_reason()
    if reason:
        return reason
    if importlib.util.find_spec("jupyterlite_core") is None:
        return "the site tools are not installed (pip install -e '.[site]')"
    cache = site_assets.default_cache_dir()
    if (
        shutil.which("npm") is None
        and not (cache / f"pyodide-{site_assets.PYODIDE_VERSION}.tgz").exists()
    ):
        return "npm is not installed, and the offline site needs it to fetch Pyodide once"
    return None


def site_or_skip() -> None:
    """Skip with the reason on a user's machine; fail under CI."""
    from availability import skip_or_fail

    skip_or_fail("site tests", site_unavailable_reason())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def log_message(self, format, *args):
        pass


@dataclass
class StaticServer:
    """A static file server on 127.0.0.1 (a random port), like any web host."""

    root: Path
    server: socketserver.ThreadingTCPServer
    thread: threading.Thread
    #: what built the site (powkit.site.SiteReport), when a test built it
    report: object = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(root: Path) -> StaticServer:
    handler = functools.partial(_QuietHandler, directory=str(root))
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return StaticServer(root=root, server=server, thread=thread)


def expose_app(site: Path) -> None:
    """Let the test see ``window.jupyterapp`` (the one change made to a built site)."""
    path = site / "jupyter-lite.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["jupyter-config-data"]["exposeAppInBrowser"] = "true"
    path.write_text(json.dumps(config, indent=1), encoding="utf-8")


@dataclass
class SiteBrowser:
    """One browser profile on the site: every request watched, foreign hosts refused."""

    context: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    fake_hosts: dict[str, Callable[[str], tuple[bytes, str] | None]] = field(default_factory=dict)

    def install(self) -> None:
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route("**/*", self.guard)

    def guard(self, route) -> None:
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname in ALLOWED_HOSTS:
            route.continue_()
            return
        fake = self.fake_hosts.get(parts.hostname or "")
        answer = fake(parts.path) if fake else None
        if answer is not None:
            body, content_type = answer
            route.fulfill(
                status=200,
                body=body,
                headers={"Content-Type": content_type, "Access-Control-Allow-Origin": "*"},
            )
            return
        self.foreign.append(url)
        route.abort("blockedbyclient")

    def foreign_requests(self) -> list[str]:
        """Requests that went (or tried to go) to a host other than 127.0.0.1 and no fake."""
        seen = [
            url
            for url in self.requests
            if urllib.parse.urlsplit(url).scheme not in ("data", "blob")
            and urllib.parse.urlsplit(url).hostname not in ALLOWED_HOSTS
            and urllib.parse.urlsplit(url).hostname not in self.fake_hosts
        ]
        return sorted(set(self.foreign) | set(seen))


@dataclass
class SitePage:
    """A browser tab on the site, with the few actions a learner takes."""

    page: object
    base_url: str
    console: list[str] = field(default_factory=list)

    def open_notebook(self, relpath: str, timeout_ms: int = 300_000) -> float:
        """Open a notebook; wait until its kernel is idle. Returns the seconds that took."""
        started = time.monotonic()
        self.page.goto(f"{self.base_url}/lab/index.html?path={relpath}")
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=timeout_ms)
        self.page.wait_for_selector(".jp-Notebook", timeout=timeout_ms)
        self.wait_idle(timeout_ms)
        return time.monotonic() - started

    def come_back(self, relpath: str, timeout_ms: int = 300_000) -> float:
        """Leave and come back by the lesson's link, as a learner returning later does (a plain
        reload lands on JupyterLite's launcher: the link's ``?path=`` is gone from the address).
        Returns the seconds until the kernel is ready again."""
        self.page.goto("about:blank")
        return self.open_notebook(relpath, timeout_ms)

    def wait_idle(self, timeout_ms: int = 300_000) -> None:
        self.page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                return w && w.sessionContext && w.sessionContext.session &&
                       w.sessionContext.session.kernel &&
                       w.sessionContext.session.kernel.status === 'idle';
            }""",
            timeout=timeout_ms,
            polling=250,
        )

    def run_all(self, timeout_ms: int = 240_000) -> float:
        """Run every cell (Run > Run All Cells) and wait until all have run. Returns seconds."""
        started = time.monotonic()
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.wait_all_run(timeout_ms)
        return time.monotonic() - started

    def wait_all_run(self, timeout_ms: int = 240_000) -> None:
        """Wait until no cell is queued or running and the kernel is idle."""
        self.page.wait_for_timeout(300)  # let Run All queue its cells
        self.page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                if (!w || !w.content) return false;
                const busy = w.sessionContext.session.kernel.status !== 'idle';
                // every cell, drawn or not (JupyterLab draws only the cells near the view)
                const pending = w.content.widgets.some(
                    c => c.model.type === 'code' && c.promptNode &&
                         c.promptNode.textContent.includes('*'));
                return !busy && !pending;
            }""",
            timeout=timeout_ms,
            polling=250,
        )

    def show_last(self, selector: str) -> None:
        """Scroll the notebook to the last cell holding ``selector``: JupyterLab draws only the
        cells near the view (windowing), so a learner scrolls there first too."""
        found = self.page.evaluate(
            """(selector) => {
                const notebook = window.jupyterapp.shell.currentWidget.content;
                const cells = notebook.widgets;
                for (let i = cells.length - 1; i >= 0; i--) {
                    if (cells[i].node.querySelector(selector)) {
                        notebook.activeCellIndex = i;
                        notebook.scrollToItem(i, 'center');
                        return i;
                    }
                }
                return -1;
            }""",
            selector,
        )
        if found < 0:
            raise AssertionError(f"no cell shows {selector}")
        self.page.locator(selector).last.wait_for(state="visible", timeout=30_000)

    def errors(self) -> list[str]:
        """Tracebacks and warnings shown in the notebook's outputs."""
        return self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()

    def python(self, code: str, timeout_ms: int = 60_000) -> str:
        """Run code in the open notebook's kernel (as a learner's scratch cell would) and
        return what it printed."""
        return self.page.evaluate(
            """async (code) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                let out = '';
                const future = kernel.requestExecute({code, store_history: false});
                future.onIOPub = (msg) => {
                    if (msg.header.msg_type === 'stream') out += msg.content.text;
                    if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' +
                        msg.content.evalue;
                };
                await future.done;
                return out;
            }""",
            code,
        )
