"""The student image: what repo2docker (and so Zero to JupyterHub and mybinder.org) builds from
``binder/``, checked offline.

repo2docker's ``--no-build`` prints the Dockerfile it would build without needing Docker or the
network. From it and from the files it names, these tests check the image a class gets: the
pinned Python, the kit installed from the repository's root (with its data, not editable), the
student set of packages with no instructor or test tools, the students' Jupyter configuration,
and a build context without environments, caches, built sites or answers.

repo2docker comes from ``tests/requirements-hub.txt``; without it these tests skip with a reason
on a user's machine and fail under CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from availability import skip_or_fail
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from workers import checkout_lock

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
#: What students must not get: instructor and test tools (and the linters).
INSTRUCTOR_AND_TEST_TOOLS = {"nbgrader", "pytest", "playwright", "hypothesis", "ruff", "mypy"}
#: What every lesson needs in the image.
STUDENT_NEEDS = {"jupyterlab", "ipywidgets", "pandas", "matplotlib", "pyyaml", "nbgitpuller"}


def _need(module: str, why: str) -> None:
    if importlib.util.find_spec(module) is None:
        skip_or_fail(why, f"it needs {module} (pip install -r tests/requirements-hub.txt)")


# --------------------------------------------------------------------------- package sets


def _project_requirements(root: Path, extras: set[str]) -> list[tuple[Requirement, set[str]]]:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [(Requirement(r), set()) for r in project.get("dependencies", [])]
    declared = project.get("optional-dependencies", {})
    for extra in sorted(extras):
        reqs += [(Requirement(r), set()) for r in declared.get(extra, [])]
    return reqs


def _requirements_file(path: Path, root: Path) -> list[tuple[Requirement, set[str]]]:
    """The requirements of a pip requirements file, with ``.``/``-e .[extras]`` read from
    ``root``'s pyproject.toml, as pip run in ``root`` would read them."""
    found = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-e ", "--editable ")):
            line = line.split(None, 1)[1].strip()
        if line.startswith("."):
            match = re.fullmatch(r"\.(?:\[([\w,\s-]+)\])?", line)
            assert match, f"{path.name}: cannot read local requirement {line!r}"
            extras = {e.strip() for e in (match.group(1) or "").split(",") if e.strip()}
            found += _project_requirements(root, extras)
            continue
        if line.startswith(("-r ", "--requirement ")):  # pip reads it relative to this file
            found += _requirements_file(path.parent / line.split(None, 1)[1].strip(), root)
            continue
        assert not line.startswith("-"), f"{path.name}: option {line!r} not understood here"
        found.append((Requirement(line), set()))
    return found


def closure(requirements: list[tuple[Requirement, set[str]]]) -> set[str]:
    """Every distribution these requirements pull in, walking the metadata of the packages
    installed in this environment (offline). A requirement not installed here stays a leaf."""
    seen: set[str] = set()
    queue = [(req, set(req.extras)) for req, _ in requirements]
    while queue:
        req, extras = queue.pop()
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        key = f"{name}[{','.join(sorted(extras))}]"
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        for spec in dist.requires or []:
            sub = Requirement(spec)
            if sub.marker is None:
                queue.append((sub, set(sub.extras)))
                continue
            if any(sub.marker.evaluate({"extra": e}) for e in extras | {""}):
                queue.append((Requirement(str(sub).split(";")[0]), set(sub.extras)))
    return {key.split("[")[0] for key in seen}


def _conda_lock_names(lock: Path) -> set[str]:
    names = set()
    for line in lock.read_text().splitlines():
        if line.startswith("https://"):
            filename = line.split("#")[0].rsplit("/", 1)[1]
            names.add(canonicalize_name(filename.rsplit("-", 2)[0]))
    return names


# --------------------------------------------------------------------------- repo2docker


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> str:
    """The Dockerfile repo2docker would build from a clean copy of the repository."""
    _need("repo2docker", "checking what repo2docker builds")
    copy = tmp_path_factory.mktemp("r2d") / "powkit"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True
    ).stdout.split(b"\0")
    for rel in filter(None, (t.decode() for t in tracked)):
        src, dest = REPO / rel, copy / rel
        if not src.exists() and not src.is_symlink():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dest.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dest)
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(copy)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def test_python_is_the_one_runtime_txt_pins(dockerfile):
    pinned = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", pinned), pinned
    version = pinned.split("-", 1)[1]
    assert f"Building conda environment for python={version}" in dockerfile
    assert "Python version unspecified" not in dockerfile


def test_image_installs_binder_requirements_and_nothing_else(dockerfile):
    pip_lines = [ln for ln in dockerfile.splitlines() if "/bin/pip install" in ln]
    assert pip_lines == [
        'RUN ${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"'
    ], pip_lines
    # ... after the whole repository is in place, from its root, so "." is the kit
    copy_at = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    assert copy_at < dockerfile.index(pip_lines[0])
    assert "WORKDIR ${REPO_DIR}" in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile


def test_the_kit_is_installed_as_a_package_not_editable():
    lines = [
        ln.strip()
        for ln in (BINDER / "requirements.txt").read_text().splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    local = [ln for ln in lines if ln.lstrip("-e ").startswith(".")]
    assert local and all(ln.startswith(".") for ln in local), (
        "install the kit with '.', not '-e .': a hub mounts each student's home over the "
        "image's copy of the repository, and an editable install would point into it"
    )


def test_student_set_has_no_instructor_or_test_tools(dockerfile):
    _need("nbgitpuller", "resolving the student set")
    version = (BINDER / "runtime.txt").read_text().strip().split("-", 1)[1]
    lock = (
        Path(importlib.util.find_spec("repo2docker").origin).parent
        / "buildpacks"
        / "conda"
        / f"environment.py-{version}-linux-64.lock"
    )
    assert lock.is_file(), lock
    # the lock repo2docker copies into the image (its build-context names escape - and .)
    assert lock.name.replace("-", "-2d").replace(".", "-2e") in dockerfile
    base = _conda_lock_names(lock)
    pip_layer = closure(_requirements_file(BINDER / "requirements.txt", REPO))
    students = base | pip_layer
    assert not students & INSTRUCTOR_AND_TEST_TOOLS, sorted(students & INSTRUCTOR_AND_TEST_TOOLS)
    assert students >= STUDENT_NEEDS, sorted(STUDENT_NEEDS - students)
    # The same walk over the developer's set does find the tools: the check is not blind.
    developers = closure(_requirements_file(REPO / "requirements.txt", REPO))
    assert {"nbgrader", "pytest"} <= developers


def test_students_jupyter_config_is_valid_json_with_known_keys():
    files = sorted((BINDER / "jupyter-config").rglob("*.json"))
    names = {p.relative_to(BINDER / "jupyter-config").as_posix() for p in files}
    assert names == {
        "jupyter_server_config.json",
        "jupyter_server_config.d/powkit-student.json",
        "labconfig/page_config.json",
        "labconfig/default_setting_overrides.json",
    }
    for path in files:
        assert isinstance(json.loads(path.read_text()), dict), path


def test_postbuild_merges_the_config_and_jupyter_reads_it(tmp_path):
    _need("jupyter_server", "running binder/postBuild")
    prefix = tmp_path / "prefix"
    existing = prefix / "etc" / "jupyter" / "labconfig" / "page_config.json"
    existing.parent.mkdir(parents=True)
    existing.write_text(json.dumps({"disabledExtensions": {"some-image-choice": True}}))
    env = {
        **os.environ,
        "NB_PYTHON_PREFIX": str(prefix),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    run = subprocess.run(
        ["bash", str(BINDER / "postBuild")], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    merged = json.loads(existing.read_text())
    assert merged["disabledExtensions"] == {
        "some-image-choice": True,
        "@jupyterlab/extensionmanager-extension": True,
    }
    # Read the result the way a Jupyter server decides which extensions to load, with the
    # prefix first on the config path and, as in the image, jupyter-lsp's own file enabling it
    # in the same folder.
    confd = prefix / "etc" / "jupyter" / "jupyter_server_config.d"
    (confd / "jupyter_lsp.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"jupyter_lsp": True}}})
    )
    env["JUPYTER_CONFIG_PATH"] = str(prefix / "etc" / "jupyter")
    probe = (
        "import json\n"
        "from jupyter_server.serverapp import ServerApp\n"
        "from jupyter_server.extension.config import ExtensionConfigManager\n"
        "paths = ServerApp().config_file_paths\n"
        "print(json.dumps(ExtensionConfigManager(read_config_path=paths)"
        ".get_jpserver_extensions()))"
    )
    listed = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    extensions = json.loads(listed.stdout.strip().splitlines()[-1])
    assert extensions.get("jupyter_lsp") is False, extensions
    assert extensions.get("nbgitpuller") is True, extensions


# --------------------------------------------------------------------------- the build context


def _context(root: Path) -> set[str]:
    """The files repo2docker copies into the image: it reads binder/.dockerignore when binder/
    exists (the root .dockerignore only through the link), patterns as docker reads them."""
    _need("docker", "reading .dockerignore as repo2docker does")
    from docker.utils.build import exclude_paths

    ignore = root / "binder" / ".dockerignore"
    patterns = [
        ln.strip()
        for ln in ignore.read_text().splitlines()
        if ln.strip() and not ln.strip().startswith("#")
    ]
    return set(exclude_paths(str(root), patterns))


def test_binder_dockerignore_is_the_root_one():
    link = BINDER / ".dockerignore"
    assert link.is_symlink() and os.readlink(link) == "../.dockerignore"


def test_build_context_leaves_out_environments_caches_sites_and_answers(tmp_path, tmp_path_factory):
    root = tmp_path / "repo"
    with checkout_lock(tmp_path_factory):  # not while a wheel build writes into it
        shutil.copytree(REPO, root, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    junk = [
        ".venv/bin/python",
        ".git/HEAD",
        "powkit/__pycache__/quiz.cpython-311.pyc",
        "notebooks/.ipynb_checkpoints/00-start-here-checkpoint.ipynb",
        ".pytest_cache/v/cache/junk",
        ".hypothesis/examples/x",
        "powkit.egg-info/PKG-INFO",
        "build/lib/powkit/quiz.py",
        "dist/powkit-0.1.0-py3-none-any.whl",
        "_site/index.html",
        "screenshots/lesson.png",
    ]
    for rel in junk:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")
    context = _context(root)
    leaked = [rel for rel in junk if rel in context]
    assert leaked == [], leaked
    assert not any(p.startswith(("solutions/", "instructor/", "tests/")) for p in context)
    for needed in (
        "pyproject.toml",
        "README.md",
        "powkit/quiz.py",
        "data/gc3.json",
        "notebooks/00-start-here.ipynb",
        "exercises/01-classify-under-article-4.ipynb",
        "binder/requirements.txt",
        "binder/postBuild",
    ):
        assert needed in context, needed
