"""Building the browser copy of the course: what goes in, what is refused, what is verified.

These run without a browser or network. The browser tests (``test_site_browser.py``) build a
real site and run it in Chromium.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from powkit import site, site_assets
from powkit.site_assets import Lock, VerificationError, WheelFile

REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- what goes in


def test_the_site_carries_every_lesson_and_exercise_of_the_table_of_contents():
    from powkit.course import table_of_contents

    toc = table_of_contents()
    files = site.student_notebooks(REPO)
    assert files == [e.file for e in toc["lessons"] + toc["exercises"]]
    assert any(f.startswith("notebooks/") for f in files)
    assert any(f.startswith("exercises/") for f in files)
    # and nothing an instructor keeps to themselves
    assert not any(f.startswith(("solutions/", "instructor/")) for f in files)


def test_a_table_of_contents_listing_solutions_is_refused(monkeypatch, tmp_path):
    from powkit import course

    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01-x.ipynb").write_text("{}")
    entry = course.Lesson("solutions/01-x.ipynb", "X", "1 minute")
    monkeypatch.setattr(course, "table_of_contents", lambda: {"lessons": [entry], "exercises": []})
    with pytest.raises(site.SiteBuildError, match="instructor files"):
        site.student_notebooks(tmp_path)


def test_a_listed_notebook_that_is_missing_is_named(monkeypatch, tmp_path):
    from powkit import course

    entry = course.Lesson("notebooks/77-missing.ipynb", "X", "1 minute")
    monkeypatch.setattr(course, "table_of_contents", lambda: {"lessons": [entry], "exercises": []})
    with pytest.raises(site.SiteBuildError, match="77-missing"):
        site.student_notebooks(tmp_path)


def test_notebooks_get_the_pyodide_kernel_and_no_outputs():
    raw = json.loads((REPO / "notebooks" / "00-start-here.ipynb").read_text(encoding="utf-8"))
    raw["cells"].append(
        {
            "cell_type": "code",
            "execution_count": 7,
            "metadata": {},
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "old"}],
            "source": "1",
        }
    )
    out = site.site_notebook(raw)
    assert out["metadata"]["kernelspec"] == {
        "name": "python",
        "display_name": "Python (Pyodide)",
        "language": "python",
    }
    code = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    # the lesson's own text is untouched, and the original is not modified
    assert [c["source"] for c in out["cells"]] == [c["source"] for c in raw["cells"]]
    assert raw["metadata"]["kernelspec"]["name"] == "python3"


def test_the_course_root_is_found_from_the_checkout(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert site.course_root() == REPO  # an editable install points at this checkout
    assert site.course_root(REPO) == REPO
    with pytest.raises(site.SiteBuildError, match=r"pyproject\.toml"):
        site.course_root(tmp_path)


def test_the_output_folder_is_emptied_only_if_it_is_a_previous_site(tmp_path):
    out = tmp_path / "out"
    site._prepare_out(out)
    assert out.is_dir()
    (out / "jupyter-lite.json").write_text("{}")
    (out / "stale.txt").write_text("from an earlier build")
    site._prepare_out(out)
    assert list(out.iterdir()) == []  # always from clean
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.docx").write_text("do not delete")
    with pytest.raises(site.SiteBuildError, match="not empty"):
        site._prepare_out(precious)
    assert (precious / "chapter1.docx").exists()


def test_missing_build_tools_are_named_with_the_install_command(monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version

    def fake(dist):
        if dist == "jupyterlite-core":
            raise importlib.metadata.PackageNotFoundError(dist)
        if dist == "jupyterlite-pyodide-kernel":
            return "0.8.6"
        return real(dist)

    monkeypatch.setattr(importlib.metadata, "version", fake)
    with pytest.raises(site.SiteBuildError) as error:
        site._check_build_tools()
    message = str(error.value)
    assert "jupyterlite-core is not installed" in message
    assert "jupyterlite-pyodide-kernel is 0.8.6, the site needs 0.6.1" in message
    assert ".[site]" in message


def test_the_command_reports_a_build_error_without_a_traceback(monkeypatch, capsys, tmp_path):
    from powkit.cli import main

    def refuse(*args, **kwargs):
        raise site.SiteBuildError("cannot build the site: reason given")

    monkeypatch.setattr(site, "build_site", refuse)
    assert main(["build-site", str(tmp_path / "out"), "--offline"]) == 2
    assert "powkit build-site: cannot build the site: reason given" in capsys.readouterr().err


# --------------------------------------------------------------------------- the lockfile


def _lock(tmp_path: Path, files: dict[str, bytes], depends: dict[str, list[str]]) -> Lock:
    packages = {}
    for name, data in files.items():
        key = name.split("-")[0]
        packages[key] = {
            "name": key,
            "version": "1.0",
            "file_name": name,
            "install_dir": "site",
            "sha256": hashlib.sha256(data).hexdigest(),
            "package_type": "package",
            "imports": [key],
            "depends": depends.get(key, []),
            "unvendored_tests": False,
        }
    path = tmp_path / "pyodide-lock.json"
    path.write_text(json.dumps({"info": {"version": "0.27.7"}, "packages": packages}))
    return Lock.read(path)


def test_closure_follows_dependencies_once_each(tmp_path):
    lock = _lock(
        tmp_path,
        {f"{n}-1.0-py3-none-any.whl": n.encode() for n in ("a", "b", "c", "d", "unused")},
        {"a": ["b", "c"], "b": ["c", "d"], "c": ["a"]},
    )
    assert sorted(lock.closure(["a"])) == ["a", "b", "c", "d"]
    with pytest.raises(site_assets.SiteAssetError, match="not in the Pyodide"):
        lock.closure(["nosuch"])


def _source_wheel(tmp_path: Path, members: dict[str, bytes]) -> Path:
    path = tmp_path / "sources" / site_assets.WHEEL_SOURCE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(site_assets.WHEEL_SOURCE_PREFIX + name, data)
    return path


def test_wheels_are_taken_only_if_they_match_the_official_lockfile(tmp_path, monkeypatch):
    files = {"a-1.0-py3-none-any.whl": b"AAA", "b-1.0-py3-none-any.whl": b"BBB"}
    lock = _lock(tmp_path, files, {})
    source = _source_wheel(tmp_path, {**files, "extra-9-py3-none-any.whl": b"not in the lock"})
    monkeypatch.setattr(site_assets, "WHEEL_SOURCE_SHA256", site_assets.sha256_file(source))
    got = site_assets.fetch_verified_wheels(tmp_path, lock, ["a"])
    assert got["a"].read_bytes() == b"AAA"
    assert not (
        tmp_path / f"wheels-{site_assets.PYODIDE_VERSION}" / "extra-9-py3-none-any.whl"
    ).exists()


def test_one_tampered_file_stops_the_build_even_if_this_site_does_not_need_it(
    tmp_path, monkeypatch
):
    files = {"a-1.0-py3-none-any.whl": b"AAA", "b-1.0-py3-none-any.whl": b"BBB"}
    lock = _lock(tmp_path, files, {})
    source = _source_wheel(tmp_path, {**files, "b-1.0-py3-none-any.whl": b"tampered"})
    monkeypatch.setattr(site_assets, "WHEEL_SOURCE_SHA256", site_assets.sha256_file(source))
    with pytest.raises(VerificationError, match=r"b-1\.0-py3-none-any\.whl has sha256"):
        site_assets.fetch_verified_wheels(tmp_path, lock, ["a"])


def test_a_wheel_source_with_the_wrong_digest_is_not_used(tmp_path, monkeypatch):
    files = {"a-1.0-py3-none-any.whl": b"AAA"}
    lock = _lock(tmp_path, files, {})
    _source_wheel(tmp_path, files)  # its digest is not the pinned one
    downloads = []

    def fake_download(requirement, sha256, dest, *, binary=True):
        downloads.append((requirement, sha256))
        raise VerificationError("pip download: no file with that sha256")

    monkeypatch.setattr(site_assets, "_pip_download", fake_download)
    with pytest.raises(VerificationError):
        site_assets.fetch_verified_wheels(tmp_path, lock, ["a"])
    assert downloads == [(site_assets.WHEEL_SOURCE, site_assets.WHEEL_SOURCE_SHA256)]


def test_a_cached_npm_tarball_with_another_digest_is_refused(tmp_path):
    tarball = tmp_path / f"pyodide-{site_assets.PYODIDE_VERSION}.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        data = b"{}"
        info = tarfile.TarInfo("package/pyodide-lock.json")
        info.size = len(data)
        import io

        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(VerificationError, match="expected"):
        site_assets.fetch_core(tmp_path)


# --------------------------------------------------------------------------- wheels we make


def test_write_wheel_makes_a_wheel_pip_would_accept(tmp_path):
    path = site_assets.write_wheel(
        tmp_path, "demo-pkg", "1.2", {"demo_pkg/__init__.py": b"X = 1\n"}, "a demo", ["numpy"]
    )
    assert path.name == "demo_pkg-1.2-py3-none-any.whl"
    with zipfile.ZipFile(path) as archive:
        record = archive.read("demo_pkg-1.2.dist-info/RECORD").decode()
        for line in record.strip().splitlines():
            name, digest, size = line.rsplit(",", 2)
            if not digest:
                continue
            data = archive.read(name)
            import base64

            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            assert digest == "sha256=" + expected.decode() and int(size) == len(data)
    wheel = WheelFile.inspect(path)
    assert (wheel.name, wheel.version, wheel.imports, wheel.requires) == (
        "demo-pkg",
        "1.2",
        ["demo_pkg"],
        ["numpy"],
    )
    entry = wheel.lock_entry({"numpy": {}})
    assert entry["depends"] == ["numpy"] and entry["sha256"] == site_assets.sha256_file(path)
    assert wheel.lock_entry({})["depends"] == []  # a requirement Pyodide cannot meet is dropped


def test_requirements_of_extras_are_not_dependencies(tmp_path):
    path = tmp_path / "x-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x/__init__.py", "")
        archive.writestr(
            "x-1.0.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: x\nVersion: 1.0\n"
            "Requires-Dist: comm>=0.1.3\nRequires-Dist: IPython (>=6)\n"
            'Requires-Dist: pytest; extra == "test"\n\nlong description\nRequires-Dist: no\n',
        )
    assert WheelFile.inspect(path).requires == ["comm", "ipython"]


def test_the_pure_pyyaml_wheel_holds_only_pyyaml_and_its_licence(tmp_path, monkeypatch):
    sdist = tmp_path / "sources" / "pyyaml-6.0.2.tar.gz"
    sdist.parent.mkdir()
    with tarfile.open(sdist, "w:gz") as archive:
        import io

        for name, data in {
            "pyyaml-6.0.2/lib/yaml/__init__.py": b"__version__ = '6.0.2'\n",
            "pyyaml-6.0.2/lib/yaml/loader.py": b"",
            "pyyaml-6.0.2/lib/_yaml/__init__.py": b"",
            "pyyaml-6.0.2/yaml/_yaml.pyx": b"cython",
            "pyyaml-6.0.2/setup.py": b"",
            "pyyaml-6.0.2/LICENSE": b"MIT",
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    monkeypatch.setattr(site_assets, "_pip_download", lambda *a, **k: sdist)
    wheel = site_assets.pure_pyyaml_wheel(tmp_path)
    assert wheel.name == "pyyaml-6.0.2-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"yaml/__init__.py", "yaml/loader.py", "_yaml/__init__.py"} <= names
    assert "pyyaml-6.0.2.dist-info/LICENSE" in names
    assert not any(n.endswith((".pyx", "setup.py")) for n in names)


def test_the_cdn_site_points_its_wheels_at_the_sites_own_pypi_folder(tmp_path):
    wheel = site_assets.write_wheel(tmp_path / "w", "powkit", "0.1.0", {"powkit/__init__.py": b""})
    preload, settings = site._cdn_pyodide(tmp_path / "lite", [WheelFile.inspect(wheel)])
    assert settings["pyodideUrl"] == site.CDN_URL + "pyodide.js"
    assert settings["disablePyPIFallback"] is True
    packages = settings["loadPyodideOptions"]["packages"]
    assert "../../../../pypi/powkit-0.1.0-py3-none-any.whl" in packages
    assert {"numpy", "pandas", "matplotlib", "ipython"} <= set(packages)
    assert (tmp_path / "lite" / "pypi" / wheel.name).is_file()
    assert "powkit" in preload
