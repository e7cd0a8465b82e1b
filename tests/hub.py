"""A real JupyterHub on 127.0.0.1, set up the way an instructor's test hub is, for the smoke test.

- the dummy authenticator (any user name, any password) and the simple local process spawner
  (each user's server runs as the same OS user, with its own home folder under a temporary
  directory: the hub's users need not exist on the machine);
- configurable-http-proxy from npm in front, as on every JupyterHub;
- each student's server started with the students' Jupyter configuration of the image
  (``binder/jupyter-config``, through ``JUPYTER_CONFIG_PATH``), so the test also proves that
  configuration works;
- every port chosen free at start; everything the hub starts is stopped at the end.

The proxy is found through ``$POWKIT_CHP`` or on ``PATH`` (``npm install -g
configurable-http-proxy``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from lab import _free_port

REPO = Path(__file__).resolve().parent.parent
STUDENT_CONFIG = REPO / "binder" / "jupyter-config"


def proxy_path() -> str | None:
    """configurable-http-proxy: ``$POWKIT_CHP`` if set, else the one on ``PATH``."""
    explicit = os.environ.get("POWKIT_CHP")
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("configurable-http-proxy")


def hub_unavailable_reason() -> str | None:
    """Why a hub cannot be started here, in words; None when it can."""
    for module, package in (("jupyterhub", "jupyterhub"), ("nbgitpuller", "nbgitpuller")):
        if importlib.util.find_spec(module) is None:
            return f"{package} is not installed (pip install -r tests/requirements-hub.txt)"
    if proxy_path() is None:
        return (
            "configurable-http-proxy not found (npm install -g configurable-http-proxy, or set "
            "POWKIT_CHP to its path)"
        )
    if shutil.which("node") is None:
        return "Node.js is not installed (configurable-http-proxy runs on it)"
    if shutil.which("git") is None:
        return "git is not installed (nbgitpuller runs it)"
    return None


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd``; its output, stripped (fails the test on an error)."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def instructor_repo(path: Path) -> Path:
    """A git repository with one commit on ``main``: an instructor's own, for the student branch."""
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Instructor")
    git(path, "config", "user.email", "instructor@example.invalid")
    (path / "README.md").write_text("the instructor's own repository\n")
    git(path, "add", "README.md")
    git(path, "commit", "-q", "-m", "start")
    return path


@dataclass
class Hub:
    """A running hub: its address, its users' homes, its log."""

    url: str
    homes: Path
    workdir: Path
    process: subprocess.Popen
    log_path: Path

    def home(self, user: str) -> Path:
        return self.homes / user

    def log_tail(self, lines: int = 60) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


CONFIG = """\
import sys
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = {bind_url!r}
c.JupyterHub.hub_bind_url = {hub_bind_url!r}
c.JupyterHub.db_url = {db_url!r}
c.JupyterHub.cookie_secret_file = {cookie_file!r}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home_template!r}
# Same process group as the hub, so that nothing outlives the test.
c.SimpleLocalProcessSpawner.popen_kwargs = {{"start_new_session": False}}
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    "--ServerApp.allow_root=True",
    "--LabApp.expose_app_in_browser=True",
]
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": {student_config!r}}}
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = {proxy_api!r}
c.ConfigurableHTTPProxy.pid_file = {proxy_pid!r}
"""


def start_hub(workdir: Path) -> Hub:
    """Start JupyterHub (and its proxy) on free ports of 127.0.0.1; wait until it answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    homes = workdir / "home"
    homes.mkdir()
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    config = workdir / "jupyterhub_config.py"
    config.write_text(
        CONFIG.format(
            bind_url=f"http://127.0.0.1:{port}",
            hub_bind_url=f"http://127.0.0.1:{hub_port}",
            db_url=f"sqlite:///{workdir / 'jupyterhub.sqlite'}",
            cookie_file=str(workdir / "cookie_secret"),
            home_template=str(homes / "{username}"),
            python=sys.executable,
            student_config=str(STUDENT_CONFIG),
            proxy=proxy_path(),
            proxy_api=f"http://127.0.0.1:{api_port}",
            proxy_pid=str(workdir / "proxy.pid"),
        )
    )
    env = dict(os.environ)
    env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(32)
    for leak in ("POWKIT_HOME", "POWKIT_DATA", "JUPYTER_CONFIG_DIR", "JUPYTER_CONFIG_PATH"):
        env.pop(leak, None)  # each student's own home decides, as on a real hub
    log_path = workdir / "jupyterhub.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    hub = Hub(
        url=f"http://127.0.0.1:{port}",
        homes=homes,
        workdir=workdir,
        process=process,
        log_path=log_path,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2):
                return hub
        except OSError:
            time.sleep(0.3)
    stop_hub(hub)
    raise RuntimeError(f"JupyterHub did not answer within 90 s:\n{hub.log_tail()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def stop_hub(hub: Hub) -> None:
    """Stop the hub; it stops the users' servers and the proxy. Whatever is left of the
    processes it started (its own process group, the proxy by its pid file) is then killed."""
    proxy_pid = None
    with contextlib.suppress(OSError, ValueError):
        proxy_pid = int((hub.workdir / "proxy.pid").read_text().strip())
    hub.process.send_signal(signal.SIGTERM)
    try:
        hub.process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        hub.process.kill()
        hub.process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(hub.process.pid, signal.SIGKILL)
    if proxy_pid and _alive(proxy_pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(proxy_pid, signal.SIGKILL)
