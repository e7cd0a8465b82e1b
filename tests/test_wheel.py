"""The kit as a package: a wheel installed outside the checkout finds its data and runs.

A learner's kit may be an installed wheel (a JupyterLite site, a hub image, ``pip install``),
with no ``data/`` folder next to it. So the test builds the wheel from this checkout, installs
it into a fresh virtual environment in a temporary folder, and runs the commands and a quiz load
from another folder. Offline-friendly: the new environment borrows the test environment's
third-party packages through a path file, but powkit itself comes only from the wheel (the test
asserts where it was imported from).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest
from workers import checkout_lock

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.wheel


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    with checkout_lock(tmp_path_factory):  # pip writes build/ into the checkout
        build = _run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(out),
                str(REPO),
            ],
            cwd=out,
        )
    assert build.returncode == 0, build.stdout + build.stderr
    (found,) = out.glob("powkit-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh venv with the wheel installed; returns its python and a clean environment."""
    root = tmp_path_factory.mktemp("wheel-env")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=root
        ).stdout.strip()
    )
    # Borrow the third-party packages (pandas, ipywidgets ...) of the test environment; the
    # editable powkit of the test environment is a finder hook that a plain path entry does not
    # load, so powkit can only come from the wheel.
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POWKIT_DATA")}
    env["POWKIT_HOME"] = str(root / "home")
    install = _run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        cwd=root,
        env=env,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python, env


def test_wheel_holds_the_data_and_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "powkit/content/gc3.json",
        "powkit/content/toc.yaml",
        "powkit/content/trees/status.yaml",
        "powkit/content/ru-ua-pow-figures.csv",
        "powkit/content/quizzes/status.yaml",
        "powkit/content/scenarios/press-officer.yaml",
        "powkit/content/case/kyiv-2022-03-16.yaml",
        "powkit/content/topics.yaml",
        "powkit/assets/bank.schema.json",
        "powkit/exercise_checks/01-classify-under-article-4.checks.yaml",
    ):
        assert expected in names, f"{wheel.name} lacks {expected}"
    assert not [n for n in names if n.startswith(("data/", "tests/", "notebooks/"))]
    assert not [n for n in names if n.endswith(".ipynb")], "solutions must not ship"


def test_installed_wheel_works_from_another_folder(installed, tmp_path):
    python, env = installed
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    where = _run(
        [
            str(python),
            "-c",
            "import powkit, powkit.content as c; print(powkit.__file__); print(c.__file__)",
        ],
        cwd=elsewhere,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert str(REPO) not in line and "site-packages" in line, where.stdout

    console = Path(python).parent / "powkit"
    cite = _run([str(console), "cite", "GCIII 13(2)"], cwd=elsewhere, env=env)
    assert cite.returncode == 0, cite.stderr
    assert "public curiosity" in cite.stdout

    validate = _run([str(console), "validate"], cwd=elsewhere, env=env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "OK" in validate.stdout

    quiz = _run(
        [
            str(python),
            "-c",
            "from powkit.quiz import Quiz; q = Quiz('public-curiosity', seed=1); "
            "print(len(q.questions)); "
            "from powkit import course; print(len(course.lessons())); "
            "print(all(c.ok for c in course.environment_checks() if 'Widgets shown' not in c.what)); "
            "from powkit.grading import check; print(check('ex1_q1', lambda g: all(g.values())).passed)",
        ],
        cwd=elsewhere,
        env=env,
    )
    assert quiz.returncode == 0, quiz.stderr
    questions, lessons, healthy, checked = quiz.stdout.split()
    assert int(questions) > 0 and int(lessons) >= 10 and healthy == "True", quiz.stdout
    assert checked == "True", "exercise checks must work without solutions/"


def test_the_wheel_installs_the_jupyterlab_settings_where_jupyterlab_reads_them(wheel, installed):
    """Not over a learner's own overrides.json: in overrides.d/, one file per package, which the
    environment's JupyterLab server reads and merges (docs/accessibility.md)."""
    names = zipfile.ZipFile(wheel).namelist()
    target = "share/jupyter/lab/settings/overrides.d/powkit.json"
    assert [n for n in names if n.endswith(".data/data/" + target)], names[-5:]
    assert not [n for n in names if n.endswith("settings/overrides.json")]
    python, env = installed
    env = {k: v for k, v in env.items() if k != "JUPYTERLAB_DIR"}
    probe = _run(
        [
            str(python),
            "-c",
            "import json, sys\n"
            "from jupyterlab.commands import get_app_dir\n"
            "from jupyterlab_server.settings_utils import _get_overrides\n"
            "from powkit import course, lab_settings\n"
            "found = lab_settings.status()\n"
            "merged, error = _get_overrides(get_app_dir() + '/settings')\n"
            "ours = lab_settings.shipped_settings()[lab_settings.PLUGIN]['shortcuts']\n"
            "served = merged.get(lab_settings.PLUGIN, {}).get('shortcuts', [])\n"
            "line = [c for c in course.environment_checks() if c.what == course.LAB_SETTINGS_CHECK]\n"
            "print(json.dumps({'prefix': sys.prefix, 'app_dir': get_app_dir(),\n"
            "    'active': found.active, 'path': str(found.path), 'error': str(error),\n"
            "    'read': all(e in served for e in ours), 'check': [c.ok for c in line]}))",
        ],
        cwd=installed[0].parent,
        env=env,
    )
    assert probe.returncode == 0, probe.stderr
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["app_dir"] == str(Path(seen["prefix"]) / "share" / "jupyter" / "lab"), seen
    assert seen["path"] == str(Path(seen["app_dir"]) / "settings" / "overrides.d" / "powkit.json")
    assert seen["active"] and seen["read"] and not seen["error"], seen
    assert seen["check"] == [True], "00-start-here must say the settings are in place"


def test_python_m_powkit_works_in_the_course_folder_beside_an_installed_kit(installed):
    """The README's learner route installs the kit as a package, and people then type
    ``python -m powkit ...`` in the course's folder, where Python imports the checkout's
    ``powkit/`` first: its data must still be found (the checkout's own ``data/``)."""
    python, env = installed
    for args, expected in (
        (["cite", "GCIII 13(2)"], "public curiosity"),
        (["validate"], "OK"),
    ):
        run = _run([str(python), "-m", "powkit", *args], cwd=REPO, env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert expected in run.stdout, run.stdout
    checks = _run(
        [
            str(python),
            "-c",
            "from powkit.grading import check; print(check('ex1_q1', lambda g: all(g.values())).passed)",
        ],
        cwd=REPO,
        env=env,
    )
    assert checks.returncode == 0 and checks.stdout.strip() == "True", checks.stderr


def _third_party_imports() -> set[str]:
    found = set()
    for path in (REPO / "powkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "powkit"}


def test_every_runtime_import_is_a_declared_dependency():
    """A wheel installed on its own must not miss a package the kit imports."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = {
        re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0].lower()
        for dep in declared["project"]["dependencies"]
    }
    module_to_dist = {"yaml": "pyyaml", "IPython": "ipython"}
    missing = {m for m in _third_party_imports() if module_to_dist.get(m, m).lower() not in names}
    assert not missing, f"imported by powkit but not in [project] dependencies: {missing}"
