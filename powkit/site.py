"""The course as a static website that runs Python in the browser (JupyterLite + Pyodide).

Why: most law students cannot make a virtual environment. ``powkit build-site OUT/`` turns the
course into a folder of static files that any web server can host (GitHub Pages, a university
server, ``python -m http.server``); a learner opens a link and the lessons run in the browser.

What goes in: every lesson and exercise the course's table of contents lists (student
versions only; never ``solutions/`` or ``instructor/``), with their kernel set to JupyterLite's
``python``; powkit itself as a wheel built from the checkout (its data inside); the
pure-Python packages the lessons need that Pyodide lacks (ipywidgets, PyYAML's pure code...).

Two kinds of site:

- **CDN** (the default): Pyodide and its compiled packages (numpy, pandas, matplotlib) load
  from the jsDelivr CDN at run time, as a stock JupyterLite site does. Small to host; learners
  need the internet.
- **Offline** (``--offline``): everything is in the folder, verified (see
  :mod:`powkit.site_assets`), and the kernel never falls back to PyPI. Works on a closed network.

Either way the packages the lessons import are loaded while the kernel starts (no ``%pip``
cell), and in an offline site matplotlib's font list is built at build time, so the first
chart does not pay for it. The build always starts from an empty output folder (an incremental
JupyterLite rebuild was seen to drop settings).

Learners' answers are saved by :mod:`powkit.progress` in the browser's own storage (JupyterLite's
``/drive``); see ``docs/site.md``.
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from powkit import site_assets
from powkit.site_assets import Lock, SiteAssetError, WheelFile, canonical_name

__all__ = [
    "BUILD_REQUIREMENTS",
    "SiteBuildError",
    "SiteReport",
    "build_site",
    "course_root",
    "prefetch",
    "student_notebooks",
]

#: The JupyterLite pair that runs every lesson (Pyodide 0.27: Python 3.12, pandas 2.2,
#: matplotlib 3.8). Newer pairs expect a Pyodide with no compiled wheels to be had.
BUILD_REQUIREMENTS = {
    "jupyterlite-core": "0.6.4",
    "jupyterlite-pyodide-kernel": "0.6.1",
}
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
CDN_URL = f"https://cdn.jsdelivr.net/pyodide/v{site_assets.PYODIDE_VERSION}/full/"
#: JupyterLite's Pyodide kernel is called ``python``; lessons ask for ``python3``.
SITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
#: Packages of the Pyodide distribution the kernel itself needs (it would install them one by one
#: with piplite otherwise), beside what powkit needs.
KERNEL_PACKAGES = ("micropip", "ssl", "sqlite3", "jedi", "ipython")
#: Pure-Python wheels from PyPI the lessons need, pinned with their SHA-256. The widgets' browser
#: side is taken from the same jupyterlab_widgets wheel: 3.0.15 is the release built for the
#: JupyterLab 4.4 inside JupyterLite 0.6.4 (later ones ask for 4.4.6 or 4.6), with ipywidgets
#: 8.1.7, its partner release.
PYPI_WHEELS = {
    "ipywidgets": ("8.1.7", "764f2602d25471c213919b8a1997df04bef869251db4ca8efba1b76b1bd9f7bb"),
    "jupyterlab_widgets": (
        "3.0.15",
        "d59023d7d7ef71400d51e6fee9a88867f6e65e10a4201605d2d7f3e8f012a31c",
    ),
    "comm": ("0.2.2", "e6fb86cb70ff661ee8c9c14e7d36d6de3b4066f1441be4063df9c5009f0a64d3"),
}
#: The kernel's own wheels (inside jupyterlite-pyodide-kernel), preloaded in an offline site.
KERNEL_WHEELS = ("piplite", "pyodide_kernel", "ipykernel", "widgetsnbextension")
#: What the lessons import from the CDN's Pyodide distribution (beside the kernel's own needs).
CDN_PACKAGES = ("numpy", "pandas", "matplotlib", "traitlets")
#: The site's ``pypi/`` folder, as seen from the kernel's web worker script (see _cdn_pyodide).
CDN_WHEEL_PREFIX = "../../../../pypi/"
#: The wheel that carries what an offline site prebuilds (matplotlib's font list, bytecode).
PREBUILT_PACKAGE = "powkit-site-prebuilt"


class SiteBuildError(RuntimeError):
    """The site cannot be built; the message says what is missing and what to do."""


@dataclass
class SiteReport:
    """What a build produced, for the command line and the tests."""

    out: Path
    offline: bool
    notebooks: list[str]
    wheels: list[str]
    preload: list[str]
    size_bytes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        mode = "offline (self-contained)" if self.offline else f"CDN ({CDN_URL})"
        lines = [
            (
                f"Built {self.out} in {self.seconds:.0f} s: {len(self.notebooks)} notebooks, "
                f"{self.size_bytes / 1e6:.1f} MB on disk, Pyodide from {mode}."
            ),
            f"Preloaded when a kernel starts: {', '.join(self.preload)}.",
            *self.notes,
            (
                f"Try it: python -m http.server --directory {self.out} 8000   "
                "then open http://127.0.0.1:8000/"
            ),
        ]
        return "\n".join(lines)


# --------------------------------------------------------------------------- inputs


def _check_build_tools() -> None:
    problems = []
    for dist, wanted in BUILD_REQUIREMENTS.items():
        try:
            found = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{dist} is not installed")
            continue
        if found != wanted:
            problems.append(f"{dist} is {found}, the site needs {wanted}")
    for dist in ("jupyter-server",):
        try:
            importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{dist} is not installed")
    if problems:
        raise SiteBuildError(
            "cannot build the site: "
            + "; ".join(problems)
            + '. Install the site tools with:  pip install -e ".[site]"'
        )


def course_root(explicit: str | Path | None = None) -> Path:
    """The folder holding the course (``pyproject.toml``, ``notebooks/``, ``exercises/``).

    ``explicit`` if given; else the current folder, else the checkout an editable install of
    powkit comes from.
    """
    from powkit.resources import shipped_dir

    if explicit is not None:
        candidates = [Path(explicit)]
    else:
        candidates = [Path.cwd()]
        with contextlib.suppress(FileNotFoundError):
            candidates.append(shipped_dir().parent)
    for candidate in candidates:
        if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
            return candidate.resolve()
    raise SiteBuildError(
        "cannot find the course: run the command in the folder that holds pyproject.toml and "
        f"notebooks/ (looked in {', '.join(str(c) for c in candidates)}), or pass --source"
    )


def student_notebooks(root: str | Path) -> list[str]:
    """The notebooks learners get, as paths relative to ``root``: the table of contents'
    lessons and exercises, in order. ``solutions/`` and ``instructor/`` are never included."""
    from powkit.course import table_of_contents

    root = Path(root)
    toc = table_of_contents()
    files = [entry.file for entry in toc["lessons"] + toc["exercises"]]
    forbidden = [f for f in files if f.split("/", 1)[0] in ("solutions", "instructor")]
    if forbidden:
        raise SiteBuildError(
            f"the table of contents lists instructor files ({', '.join(forbidden)}); "
            "a site for learners must not carry them"
        )
    missing = [f for f in files if not (root / f).is_file()]
    if missing:
        raise SiteBuildError(
            f"the table of contents lists notebooks that are not in {root}: {', '.join(missing)}"
        )
    return files


def site_notebook(raw: dict) -> dict:
    """A lesson as the site serves it: the Pyodide kernel, and no outputs from anyone's run."""
    notebook = json.loads(json.dumps(raw))  # a deep copy
    metadata = notebook.setdefault("metadata", {})
    metadata["kernelspec"] = dict(SITE_KERNELSPEC)
    language = metadata.setdefault("language_info", {})
    language["name"] = "python"
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return notebook


def _copy_notebooks(root: Path, files: list[str], content: Path) -> None:
    for relpath in files:
        raw = json.loads((root / relpath).read_text(encoding="utf-8"))
        target = content / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(site_notebook(raw), indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- wheels


def _powkit_wheel(root: Path, dest: Path) -> Path:
    """powkit built from the checkout, with its data (``data/`` mapped into the wheel)."""
    before = set(dest.glob("powkit-*.whl"))
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "-w",
                str(dest),
                str(root),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise SiteBuildError(f"cannot run pip to build powkit's wheel: {error}") from None
    if result.returncode != 0:
        raise SiteBuildError(f"building powkit's wheel failed:\n{result.stderr[-2000:]}")
    built = sorted(set(dest.glob("powkit-*.whl")) - before) or sorted(dest.glob("powkit-*.whl"))
    if not built:
        raise SiteBuildError(f"pip built no powkit wheel in {dest}")
    return built[-1]


def _kernel_wheels() -> dict[str, Path]:
    """The wheels jupyterlite-pyodide-kernel ships for the kernel itself, by name."""
    folder = _extension_dir(KERNEL_EXTENSION) / "static" / "pypi"
    found: dict[str, Path] = {}
    for path in sorted(folder.glob("*.whl")):
        name = canonical_name(path.name.split("-", 1)[0])
        found[name] = path  # sorted: the newest widgetsnbextension shim (4.0.999) wins
    missing = [n for n in KERNEL_WHEELS if canonical_name(n) not in found]
    if missing:
        raise SiteBuildError(f"{folder} lacks the kernel's wheels {', '.join(missing)}")
    return {canonical_name(n): found[canonical_name(n)] for n in KERNEL_WHEELS}


def _extension_dir(name: str) -> Path:
    """A JupyterLab extension installed in the build environment (its folder)."""
    for base in (Path(sys.prefix), Path(sys.base_prefix)):
        folder = base / "share" / "jupyter" / "labextensions" / name
        if (folder / "package.json").is_file():
            return folder
    raise SiteBuildError(
        f"the JupyterLab extension {name} is not installed in this environment "
        '(pip install -e ".[site]")'
    )


def _pure_wheels(root: Path, staging: Path, cache: Path, log: Callable[[str], None]) -> list[Path]:
    """powkit, PyYAML's pure code and the widgets' Python side, as wheels."""
    log("building powkit's wheel from the checkout")
    wheels = [_powkit_wheel(root, staging / "wheels")]
    wheels.append(site_assets.pure_pyyaml_wheel(cache))
    for dist, (version, sha256) in PYPI_WHEELS.items():
        wheels.append(site_assets.fetch_pinned_wheel(cache, dist, version, sha256))
    return wheels


# --------------------------------------------------------------------------- Pyodide


def _official_preload(lock: Lock, extras: list[WheelFile]) -> list[str]:
    """Lockfile packages to preload: what the kernel and the extra wheels depend on."""
    wanted = set(KERNEL_PACKAGES)
    for wheel in extras:
        wanted.update(r for r in wheel.requires if r in lock.packages)
    return lock.closure(sorted(wanted))


def _prebuilt_cache_wheel(
    pyodide_dir: Path, staging: Path, packages: list[str], log: Callable[[str], None]
) -> Path | None:
    """What Python would otherwise compute in every learner's browser, computed once here.

    Run in Pyodide under Node.js, with the very runtime and packages the site ships:

    - **matplotlib's font list.** Pyodide 0.27.7's matplotlib 3.8.4 ships a
      ``matplotlib/fontlist.json`` written by another matplotlib version (``_version`` 390;
      3.8.4 expects 330), so every browser rebuilds it at the first chart and keeps it only in
      memory. It depends only on the fonts inside matplotlib's wheel.
    - **Bytecode** for every module the kernel and the lessons import. Pyodide's wheels carry
      source only, and compiling pandas, matplotlib and IPython in WebAssembly takes longer than
      loading them. The ``.pyc`` files are "unchecked-hash" ones (PEP 552), written by the same
      Python (3.12.7) from the very files installed, so Python uses them without re-reading
      the source.

    The result is one wheel that depends on every package of the site, so Pyodide installs it
    last and its files land beside (or replace the stale font list of) the packages'.
    """
    node = shutil.which("node")
    if node is None:
        log(
            "Node.js not found: the site will compute matplotlib's font list and bytecode in the browser"
        )
        return None
    log("prebuilding matplotlib's font list and bytecode in Pyodide (Node.js)")
    out = staging / "prebuilt"
    out.mkdir(parents=True, exist_ok=True)
    script = staging / "prebuild.cjs"
    script.write_text(_PREBUILD_JS, encoding="utf-8")
    result = subprocess.run(
        [node, str(script), str(pyodide_dir) + "/", str(out), json.dumps(packages)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    files = {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
    if result.returncode != 0 or "matplotlib/fontlist.json" not in files:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-10:])
        raise SiteBuildError(f"prebuilding in Pyodide under Node.js failed:\n{tail}")
    return site_assets.write_wheel(
        staging / "wheels",
        PREBUILT_PACKAGE,
        site_assets.PYODIDE_VERSION,
        files,
        "matplotlib's font list and Python bytecode, prebuilt for a powkit site",
        requires=packages,
    )


#: Modules to import under Node.js before writing bytecode: what the kernel and lessons use.
PREBUILD_IMPORTS = (
    "IPython",
    "pyodide_kernel",
    "matplotlib_inline.backend_inline",
    "matplotlib.pyplot",
    "matplotlib.dates",
    "pandas",
    "ipywidgets",
    "yaml",
    "powkit",
)

#: Node.js: load the site's Pyodide and packages, import what lessons import, keep the caches.
_PREBUILD_JS = r"""
const path = require("path");
const fs = require("fs");
const [indexURL, outDir, packagesJson] = process.argv.slice(2);
(async () => {
  const { loadPyodide } = require(path.join(indexURL, "pyodide.js"));
  const pyodide = await loadPyodide({ indexURL, env: { MPLBACKEND: "agg" } });
  await pyodide.loadPackage(JSON.parse(packagesJson), { messageCallback: () => {} });
  pyodide.globals.set("IMPORTS", pyodide.toPy(IMPORTS_PLACEHOLDER));
  const written = pyodide.runPython(`
import importlib, importlib.util, json, pathlib, pkgutil, py_compile, sys
import matplotlib.font_manager as fm
font_list = pathlib.Path(fm.__file__).parent / "fontlist.json"
assert json.loads(font_list.read_text())["_version"] == fm.FontManager.__version__, "not rebuilt"
for name in IMPORTS:
    try:
        module = importlib.import_module(name)
    except Exception as error:  # e.g. a module that needs a browser page
        print("not imported:", name, error)
        continue
    if name == "powkit":  # every module of the kit, whichever a lesson uses
        for info in pkgutil.walk_packages(module.__path__, "powkit."):
            try:
                importlib.import_module(info.name)
            except Exception as error:
                print("not imported:", info.name, error)
site = "/lib/python3.12/site-packages/"
out = [str(font_list)]
for module in list(sys.modules.values()):
    source = getattr(module, "__file__", None) or ""
    if source.startswith(site) and source.endswith(".py"):
        target = importlib.util.cache_from_source(source)
        py_compile.compile(source, target, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        out.append(target)
json.dumps(sorted(set(out)))
`);
  for (const file of JSON.parse(written)) {
    const rel = file.replace("/lib/python3.12/site-packages/", "");
    const dest = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, pyodide.FS.readFile(file));
  }
})().catch((error) => { console.error(error); process.exit(1); });
""".replace("IMPORTS_PLACEHOLDER", json.dumps(list(PREBUILD_IMPORTS)))


def _offline_pyodide(
    lite_dir: Path, staging: Path, cache: Path, extras: list[WheelFile], log: Callable[[str], None]
) -> tuple[list[str], dict]:
    """Assemble ``static/pyodide`` (runtime, verified wheels, our wheels, our lockfile)."""
    log(f"fetching and verifying Pyodide {site_assets.PYODIDE_VERSION}")
    core = site_assets.fetch_core(cache)
    official = Lock.read(core / "pyodide-lock.json")
    # Our pure-Python PyYAML replaces the compiled one, which no registry carries.
    ours = {canonical_name(w.name) for w in extras}
    official.packages = {k: v for k, v in official.packages.items() if k not in ours}
    keys = _official_preload(official, extras)
    verified = site_assets.fetch_verified_wheels(cache, official, keys)

    target = lite_dir / "static" / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    for name in site_assets.CORE_FILES:
        if name != "pyodide-lock.json":
            shutil.copy2(core / name, target / name)
    for path in verified.values():
        shutil.copy2(path, target / path.name)
    lock = official.subset(keys)

    def add(wheels: list[WheelFile]) -> None:
        known = {**lock.packages, **{canonical_name(w.name): {} for w in wheels}}
        for wheel in wheels:
            shutil.copy2(wheel.path, target / wheel.path.name)
            lock.packages[canonical_name(wheel.name)] = wheel.lock_entry(known)
        lock.write(target / "pyodide-lock.json")

    add(extras)
    prebuilt = _prebuilt_cache_wheel(target, staging, sorted(lock.packages), log)
    if prebuilt is not None:
        # installed for its files, never because of an import (it holds no module of its own)
        add([WheelFile.inspect(prebuilt, imports=[])])
    preload = sorted(lock.packages)
    settings = {
        "pyodideUrl": "./static/pyodide/pyodide.js",
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": preload},
    }
    return preload, settings


def _cdn_pyodide(lite_dir: Path, extras: list[WheelFile]) -> tuple[list[str], dict]:
    """Settings for a site whose Pyodide comes from the CDN; our wheels are served by the site.

    The CDN's packages are preloaded by name (Pyodide resolves their dependencies from the
    CDN's lockfile); the site's own wheels by address. Pyodide fetches an address from the
    kernel's web worker, whose script JupyterLite puts in
    ``extensions/@jupyterlite/pyodide-kernel-extension/static/``, so ``../../../../pypi/`` is
    the site's ``pypi/`` folder wherever the site is hosted (checked after the build).
    """
    wheel_dir = lite_dir / "pypi"
    wheel_dir.mkdir(parents=True, exist_ok=True)
    urls = []
    for wheel in extras:
        shutil.copy2(wheel.path, wheel_dir / wheel.path.name)
        urls.append(f"{CDN_WHEEL_PREFIX}{wheel.path.name}")
    official = sorted({*KERNEL_PACKAGES, *CDN_PACKAGES})
    settings = {
        "pyodideUrl": f"{CDN_URL}pyodide.js",
        "disablePyPIFallback": True,
        "loadPyodideOptions": {"packages": official + urls},
    }
    return official + [canonical_name(w.name) for w in extras], settings


# --------------------------------------------------------------------------- the build


def _prepare_out(out: Path) -> None:
    """Empty the output folder, but only if it is empty or a previous site (never anything else)."""
    if out.exists():
        if not out.is_dir():
            raise SiteBuildError(f"{out} exists and is not a folder")
        entries = list(out.iterdir())
        if entries and not (out / "jupyter-lite.json").exists():
            raise SiteBuildError(
                f"{out} is not empty and does not hold a previous site; "
                "choose a new folder (the build empties it first)"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)


def _lite_config(settings: dict) -> dict:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "powkit: the law of prisoners of war",
            "litePluginSettings": {KERNEL_PLUGIN: settings},
        },
    }


def _run_jupyterlite(
    lite_dir: Path, content: Path, out: Path, widgets_wheel: Path, log: Callable[[str], None]
) -> None:
    config = {
        "LiteBuildConfig": {
            # only the kernel and the widgets: nothing else installed here (nbgrader's menus...)
            "ignore_sys_prefix": True,
            "federated_extensions": [str(_extension_dir(KERNEL_EXTENSION)), str(widgets_wheel)],
            "no_sourcemaps": True,
        }
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1))
    command = [
        sys.executable,
        "-m",
        "jupyterlite_core",
        "build",
        "--lite-dir",
        str(lite_dir),
        "--contents",
        str(content),
        "--output-dir",
        str(out),
    ]
    log("running jupyter lite build")
    env = dict(os.environ)
    env.pop("JUPYTERLITE_PYODIDE_URL", None)
    result = subprocess.run(
        command, cwd=lite_dir, capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise SiteBuildError(f"jupyter lite build failed:\n{tail}")


def _lab_settings(lite_dir: Path) -> None:
    """The kit's JupyterLab settings (widgets keep the arrow and letter keys; see
    :mod:`powkit.lab_settings`), as ``overrides.json`` in the site's source folder: JupyterLite's
    build copies it and merges it into ``jupyter-lite.json`` (``settingsOverrides``), which the
    site's JupyterLab reads as defaults, as a server reads ``overrides.d/``."""
    from powkit.lab_settings import shipped_path

    shutil.copy2(shipped_path(), lite_dir / "overrides.json")


def _check_output(out: Path, settings: dict, offline: bool) -> None:
    """The built configuration says what we asked (a rebuild once dropped ``pyodideUrl``)."""
    from powkit.lab_settings import shipped_settings

    config = json.loads((out / "jupyter-lite.json").read_text(encoding="utf-8"))
    overrides = config["jupyter-config-data"].get("settingsOverrides", {})
    for plugin, values in shipped_settings().items():
        if overrides.get(plugin) != values:
            raise SiteBuildError(
                f"{out}/jupyter-lite.json: settingsOverrides lacks the kit's settings for {plugin}"
            )
    got = config["jupyter-config-data"]["litePluginSettings"][KERNEL_PLUGIN]
    for key in ("pyodideUrl", "disablePyPIFallback", "loadPyodideOptions"):
        if got.get(key) != settings[key]:
            raise SiteBuildError(
                f"{out}/jupyter-lite.json: {key} is {got.get(key)!r}, not {settings[key]!r}"
            )
    if offline:
        for name in ("pyodide.js", "pyodide.asm.wasm", "pyodide-lock.json"):
            if not (out / "static" / "pyodide" / name).is_file():
                raise SiteBuildError(f"{out}/static/pyodide/{name} is missing")
    worker_dir = out / "extensions" / KERNEL_EXTENSION / "static"
    if not worker_dir.is_dir():
        raise SiteBuildError(f"{out}/extensions/{KERNEL_EXTENSION} is missing")
    for entry in settings["loadPyodideOptions"]["packages"]:
        if entry.startswith(CDN_WHEEL_PREFIX) and not (worker_dir / entry).resolve().is_file():
            raise SiteBuildError(f"{out}: the kernel would not find {entry} (from {worker_dir})")


def _landing_page(out: Path, files: list[str], offline: bool) -> None:
    """A plain page at the site's root: what this is, where answers are kept, the lessons."""
    from powkit.course import table_of_contents

    toc = table_of_contents()
    titles = {e.file: (e.title, e.minutes) for e in toc["lessons"] + toc["exercises"]}

    def item(relpath: str) -> str:
        title, minutes = titles.get(relpath, (relpath, ""))
        link = f"lab/index.html?path={relpath}"
        return (
            f'<li><a href="{html.escape(link)}">{html.escape(title)}</a>'
            f" <span class='time'>– {html.escape(minutes)}</span></li>"
        )

    lessons = "".join(item(f) for f in files if f.startswith("notebooks/"))
    exercises = "".join(item(f) for f in files if f.startswith("exercises/"))
    network = (
        "Everything this course needs is on this website: it works without the internet."
        if offline
        else "The first visit downloads Python for your browser (about 40 MB) from a public "
        "server (jsDelivr); later visits use your browser's cache."
    )
    (out / "index.html").write_text(
        _LANDING.format(
            title="The law of prisoners of war: the course in your browser",
            network=html.escape(network),
            lessons=lessons,
            exercises=exercises,
        ),
        encoding="utf-8",
    )


_LANDING = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<!-- JupyterLite's pages read this block when they load; the root keeps it, with no redirect. -->
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{{}}</script>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
        line-height: 1.5; color: #1a1a1a; background: #fff; }}
 a {{ color: #0b57a4; }}
 a:focus {{ outline: 3px solid #0b57a4; outline-offset: 2px; }}
 .start {{ display: inline-block; padding: .6rem 1rem; background: #0b57a4; color: #fff;
          text-decoration: none; border-radius: 4px; font-weight: 600; }}
 .time {{ color: #4a4a4a; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>Lessons on the Third Geneva Convention of 1949 that run in this browser tab: no installation,
no account. Python runs inside your browser; nothing you type is sent anywhere.</p>
<p><a class="start" href="lab/index.html?path=notebooks/00-start-here.ipynb">Start the course</a>
</p>
<h2>Your answers stay in this browser</h2>
<p>Quiz answers and the notebooks you edit are saved in this browser's storage for this website,
on this computer. They are not on a server: another browser or computer will not see them, and
clearing this site's data in your browser deletes them. To keep a copy, download your notebooks
(right-click a file, then <em>Download</em>) and export your quiz answers as
<code>00-start-here</code> shows.</p>
<p>{network}</p>
<h2>Lessons</h2>
<!-- numbered from 0, as the lessons' files are (00-start-here ... 11-...) and as lessons cite
     each other ("lesson 02") -->
<ol start="0">{lessons}</ol>
<h2>Exercises</h2>
<ol>{exercises}</ol>
</main>
</body>
</html>
"""


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def prefetch(
    cache: str | Path | None = None, log: Callable[[str], None] = lambda message: None
) -> Path:
    """Download and verify what an offline build needs, into the cache; build nothing.

    For CI, and for an instructor preparing a machine that will build without the internet.
    """
    _check_build_tools()
    cache_dir = Path(cache).expanduser() if cache else site_assets.default_cache_dir()
    try:
        log(f"fetching and verifying Pyodide {site_assets.PYODIDE_VERSION} into {cache_dir}")
        core = site_assets.fetch_core(cache_dir)
        lock = Lock.read(core / "pyodide-lock.json")
        site_assets.fetch_verified_wheels(
            cache_dir, lock, lock.closure([*KERNEL_PACKAGES, *CDN_PACKAGES])
        )
        site_assets.pure_pyyaml_wheel(cache_dir)
        for dist, (version, sha256) in PYPI_WHEELS.items():
            site_assets.fetch_pinned_wheel(cache_dir, dist, version, sha256)
    except SiteAssetError as error:
        raise SiteBuildError(str(error)) from None
    return cache_dir


def build_site(
    out: str | Path,
    *,
    offline: bool = False,
    source: str | Path | None = None,
    cache: str | Path | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> SiteReport:
    """Build the course as a JupyterLite site in ``out`` (emptied first); return what was built."""
    started = time.monotonic()
    _check_build_tools()
    root = course_root(source)
    files = student_notebooks(root)
    cache_dir = Path(cache).expanduser() if cache else site_assets.default_cache_dir()
    out = Path(out).expanduser().resolve()
    _prepare_out(out)
    with tempfile.TemporaryDirectory(prefix="powkit-site-") as tmp:
        staging = Path(tmp)
        lite_dir, content = staging / "lite", staging / "content"
        lite_dir.mkdir()
        _copy_notebooks(root, files, content)
        try:
            wheels = _pure_wheels(root, staging, cache_dir, log)
            extras = [WheelFile.inspect(p) for p in wheels]
            if offline:
                kernel = [WheelFile.inspect(p) for p in _kernel_wheels().values()]
                preload, settings = _offline_pyodide(
                    lite_dir, staging, cache_dir, extras + kernel, log
                )
            else:
                preload, settings = _cdn_pyodide(lite_dir, extras)
        except SiteAssetError as error:
            raise SiteBuildError(str(error)) from None
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(_lite_config(settings), indent=1))
        _lab_settings(lite_dir)
        widgets_wheel = next(p for p in wheels if p.name.startswith("jupyterlab_widgets-"))
        _run_jupyterlite(lite_dir, content, out, widgets_wheel, log)
    _check_output(out, settings, offline)
    _landing_page(out, files, offline)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve the files as they are
    report = SiteReport(
        out=out,
        offline=offline,
        notebooks=files,
        wheels=[p.name for p in wheels],
        preload=preload,
        size_bytes=_size(out),
        seconds=time.monotonic() - started,
    )
    return report
