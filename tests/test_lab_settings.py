"""The kit's JupyterLab settings file: where it goes, that JupyterLab reads it there, that a
learner's own ``overrides.json`` is left alone, and that the environment check and
``powkit lab-settings`` tell the truth about it (docs/accessibility.md).

Every test points JupyterLab's application folder at a temporary one (``$JUPYTERLAB_DIR``, or
``--app-dir``), so nothing is written into the test environment.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

from powkit import course, lab_settings
from powkit.cli import main

REPO = Path(__file__).resolve().parent.parent
PLUGIN = lab_settings.PLUGIN
#: A learner's own overrides.json that changes something else: it must stay as it is, and the
#: kit's settings must still apply.
THEIRS = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}


@pytest.fixture
def app_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "lab-app"
    monkeypatch.setenv("JUPYTERLAB_DIR", str(folder))
    return folder.resolve()


def _shortcuts(settings: dict) -> list[dict]:
    return settings[PLUGIN]["shortcuts"]


def test_the_shipped_file_is_the_one_the_wheel_installs_into_overrides_d():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    data_files = project["tool"]["setuptools"]["data-files"]
    assert data_files == {
        "share/jupyter/lab/settings/overrides.d": ["data/jupyterlab/overrides.d/powkit.json"]
    }
    assert (
        lab_settings.shipped_path() == REPO / "data" / "jupyterlab" / "overrides.d" / "powkit.json"
    )
    assert _shortcuts(lab_settings.shipped_settings())


def test_the_application_folder_is_the_one_jupyterlab_uses(monkeypatch, tmp_path):
    from jupyterlab.commands import get_app_dir

    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    assert lab_settings.app_dir() == Path(get_app_dir())
    monkeypatch.setenv("JUPYTERLAB_DIR", str(tmp_path / "elsewhere"))
    assert lab_settings.app_dir() == Path(get_app_dir())


@pytest.mark.parametrize(
    "theirs",
    [
        None,
        THEIRS,
        {PLUGIN: {"shortcuts": [{"command": "x:y", "keys": ["Q"], "selector": "body"}]}},
    ],
    ids=["no own file", "own file, other settings", "own file, own shortcuts"],
)
def test_the_merge_is_jupyterlab_servers(tmp_path, theirs):
    """The check reads the settings folder as jupyterlab_server does: overrides.d/ in name
    order, then the person's overrides.json, lists replaced whole."""
    from jupyterlab_server.settings_utils import _get_overrides

    settings = tmp_path / "settings"
    (settings / "overrides.d").mkdir(parents=True)
    (settings / "overrides.d" / "another-package.json").write_text(
        json.dumps({"@jupyterlab/notebook-extension:tracker": {"windowingMode": "defer"}})
    )
    (settings / "overrides.d" / "powkit.json").write_text(
        lab_settings.shipped_path().read_text(encoding="utf-8")
    )
    if theirs is not None:
        (settings / "overrides.json").write_text(json.dumps(theirs))
    ours, _ = lab_settings.effective_overrides(settings)
    servers, error = _get_overrides(str(settings))
    assert not error
    for plugin in ours:
        assert ours[plugin] == servers[plugin], plugin


def test_install_writes_only_the_kits_file_and_leaves_the_learners_own(app_dir):
    own = app_dir / "settings" / "overrides.json"
    own.parent.mkdir(parents=True)
    own.write_text(json.dumps(THEIRS, indent=1))
    before = own.read_bytes()
    assert not lab_settings.status().active

    path = lab_settings.install()

    assert path == app_dir / "settings" / "overrides.d" / "powkit.json"
    assert json.loads(path.read_text()) == lab_settings.shipped_settings()
    assert own.read_bytes() == before
    found = lab_settings.status()
    assert found.active and found.path == path, found
    # both apply: the learner's theme and the kit's shortcuts
    merged, _ = lab_settings.effective_overrides(app_dir / "settings")
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert _shortcuts(merged) == _shortcuts(lab_settings.shipped_settings())

    assert lab_settings.remove() == path
    assert not path.exists() and own.read_bytes() == before


def test_status_says_when_the_learners_own_shortcuts_replace_the_kits(app_dir):
    lab_settings.install()
    own = app_dir / "settings" / "overrides.json"
    own.write_text(
        json.dumps({PLUGIN: {"shortcuts": [{"command": "x:y", "keys": ["Q"], "selector": "body"}]}})
    )
    found = lab_settings.status()
    assert not found.active
    assert str(own) in found.detail and "replaces the kit's list" in found.detail


def test_status_says_when_the_installed_file_is_an_older_version(app_dir):
    path = lab_settings.install()
    older = lab_settings.shipped_settings()
    _shortcuts(older).pop()
    path.write_text(json.dumps(older))
    found = lab_settings.status()
    assert not found.active and "run  powkit lab-settings  again" in found.detail


def test_without_jupyterlab_here_the_kit_says_it_cannot_tell(monkeypatch):
    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    monkeypatch.setattr(lab_settings, "_jupyterlab_package", lambda: None)
    assert lab_settings.app_dir() is None
    found = lab_settings.status()
    assert not found.active and "--app-dir" in found.detail
    with pytest.raises(FileNotFoundError, match="--app-dir"):
        lab_settings.install()
    # and 00-start-here's environment check says nothing it cannot know
    assert not [c for c in course.environment_checks() if c.what == course.LAB_SETTINGS_CHECK]


def test_the_command_installs_checks_and_removes(app_dir, capsys, tmp_path):
    assert main(["lab-settings", "--check"]) == 1
    assert "NOT ACTIVE" in capsys.readouterr().out
    assert main(["lab-settings"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {app_dir / 'settings' / 'overrides.d' / 'powkit.json'}" in out
    assert "open it again" in out
    assert main(["lab-settings", "--check"]) == 0
    assert main(["lab-settings", "--remove"]) == 0
    assert main(["lab-settings", "--check"]) == 1
    # another environment's JupyterLab, named by its application folder
    other = tmp_path / "other-lab"
    assert main(["lab-settings", "--app-dir", str(other)]) == 0
    assert (other / "settings" / "overrides.d" / "powkit.json").is_file()
    assert main(["lab-settings", "--check", "--app-dir", str(other)]) == 0


def test_the_environment_check_says_whether_the_settings_are_active(app_dir):
    def line():
        (found,) = [c for c in course.environment_checks() if c.what == course.LAB_SETTINGS_CHECK]
        return found

    missing = line()
    assert not missing.ok and missing.problem == "WARNING"
    assert "powkit lab-settings" in missing.detail
    lab_settings.install()
    assert line().ok
    report = course.environment_report()
    assert f"OK: {course.LAB_SETTINGS_CHECK}" in str(report)


def test_a_running_jupyterlab_reads_the_kits_file_from_overrides_d(tmp_path):
    """A real JupyterLab server whose application settings folder holds the kit's file (as the
    browser harness sets it up for every browser test) and a learner's own overrides.json: the
    settings it serves carry both."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import lab as harness

    server = harness.start_lab(tmp_path, folders=(), own_overrides=THEIRS)
    try:
        assert (tmp_path / "app-settings" / "overrides.d" / "powkit.json").is_file()
        served = {}
        for plugin in (PLUGIN, "@jupyterlab/apputils-extension:themes"):
            url = f"{server.base_url}/lab/api/settings/{plugin}?token={server.token}"
            with urllib.request.urlopen(url, timeout=30) as answer:
                served[plugin] = json.load(answer)["schema"]["properties"]
    finally:
        harness.stop_lab(server)
    assert served["@jupyterlab/apputils-extension:themes"]["theme"]["default"] == "JupyterLab Dark"
    default = served[PLUGIN]["shortcuts"]["default"]
    for entry in _shortcuts(lab_settings.shipped_settings()):
        assert entry in default, entry
