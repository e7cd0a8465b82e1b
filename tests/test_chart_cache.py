"""The chart cache: a stored chart comes back exactly, a changed input or drawing code misses,
and a damaged or foreign file is never trusted."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from powkit import chart_cache
from powkit.chart_cache import FORMAT, CachedChart, ChartCache, chart_key, frame_digest

PNG = b"\x89PNG\r\n\x1a\n" + b"picture bytes"


def _chart(png: bytes | None = PNG, title: str = "Title") -> CachedChart:
    return CachedChart(title, "Alt text stating 1,234 figures.", ("Source A",), ("rua-001",), png)


def _frame(value: int = 1, path: str = "data/x.csv") -> pd.DataFrame:
    df = pd.DataFrame(
        {"id": ["a", "b"], "value": [value, 2], "date": pd.to_datetime(["2022-03-16"] * 2)}
    )
    df.attrs["path"] = path
    return df


def test_round_trip(tmp_path):
    cache = ChartCache(tmp_path)
    assert cache.get("k1") is None
    assert cache.put("k1", _chart())
    assert cache.get("k1") == _chart()


def test_described_but_not_drawn_has_no_picture(tmp_path):
    cache = ChartCache(tmp_path)
    cache.put("k1", _chart(png=None))
    got = cache.get("k1")
    assert got is not None and got.png is None and got.alt_text == _chart().alt_text


def test_a_table_comes_back_as_stored(tmp_path):
    cache = ChartCache(tmp_path)
    table = (("Part", "Articles"), (("I", "11"), ("II", "5")))
    cache.put("k1", dataclasses.replace(_chart(), table=table))
    assert cache.get("k1").table == table


@pytest.mark.parametrize(
    "damage",
    [
        lambda meta, png: meta.write_text("{not json", encoding="utf-8"),
        lambda meta, png: meta.write_text("[1, 2]", encoding="utf-8"),
        lambda meta, png: meta.write_text(
            meta.read_text().replace(f'"format": {FORMAT}', '"format": 99'), encoding="utf-8"
        ),
        lambda meta, png: meta.write_text(
            meta.read_text().replace('"key": "k1"', '"key": "other"'), encoding="utf-8"
        ),
        lambda meta, png: meta.write_text(
            meta.read_text().replace('["Source A"]', '"Source A"'), encoding="utf-8"
        ),
        lambda meta, png: meta.write_text(
            meta.read_text().replace('"title": "Title"', '"title": 3'), encoding="utf-8"
        ),
        lambda meta, png: meta.write_text(
            meta.read_text().replace('"table": null', '"table": [["Year"], [[1999]]]'),
            encoding="utf-8",
        ),
    ],
)
def test_damaged_description_is_a_miss(tmp_path, damage):
    cache = ChartCache(tmp_path)
    cache.put("k1", _chart())
    damage(tmp_path / "k1.json", tmp_path / "k1.png")
    assert cache.get("k1") is None


def test_picture_that_does_not_match_its_digest_is_not_used(tmp_path):
    cache = ChartCache(tmp_path)
    cache.put("k1", _chart())
    (tmp_path / "k1.png").write_bytes(PNG + b"tampered")
    got = cache.get("k1")
    assert got is not None and got.png is None  # drawn again, never shown as is
    (tmp_path / "k1.png").write_bytes(b"GIF89a")
    assert cache.get("k1").png is None


def test_a_damaged_entry_is_replaced_by_the_next_put(tmp_path):
    cache = ChartCache(tmp_path)
    (tmp_path / "k1.json").write_text("garbage", encoding="utf-8")
    cache.put("k1", _chart())
    assert cache.get("k1") == _chart()


def test_folder_keeps_the_most_recently_used(tmp_path):
    cache = ChartCache(tmp_path, max_entries=3)
    for n in range(3):
        cache.put(f"k{n}", _chart(title=f"T{n}"))
        os.utime(tmp_path / f"k{n}.json", (1000 + n, 1000 + n))
    assert cache.get("k0") is not None  # used now: the newest
    cache.put("k3", _chart(title="T3"))
    kept = sorted(p.stem for p in tmp_path.glob("*.json"))
    assert kept == ["k0", "k2", "k3"]
    assert not (tmp_path / "k1.png").exists()


def test_unwritable_folder_only_means_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ChartCache(blocker / "charts")
    assert cache.put("k1", _chart()) is False
    assert cache.get("k1") is None


def test_clear(tmp_path):
    cache = ChartCache(tmp_path)
    cache.put("k1", _chart())
    cache.put("k2", _chart(png=None))
    assert cache.clear() == 2
    assert list(tmp_path.iterdir()) == []


def test_frame_digest_follows_content_and_origin():
    assert frame_digest(_frame()) == frame_digest(_frame())
    assert frame_digest(_frame()) != frame_digest(_frame(value=5))
    assert frame_digest(_frame()) != frame_digest(_frame(path="instructor/x.csv"))
    assert frame_digest(_frame()) != frame_digest(_frame().rename(columns={"value": "n"}))
    assert frame_digest(_frame()) != frame_digest(_frame().astype({"value": "float64"}))


def test_frame_digest_of_unhashable_cells():
    df = pd.DataFrame({"ids": [["a", "b"], ["c"]]})
    other = pd.DataFrame({"ids": [["a", "b"], ["d"]]})
    assert frame_digest(df) != frame_digest(other)


def test_key_follows_name_arguments_code_and_settings(tmp_path, monkeypatch):
    import matplotlib

    code = tmp_path / "drawing.py"
    code.write_text("def draw(): pass\n")
    monkeypatch.setattr(chart_cache, "_CODE_DIGESTS", {})
    key = chart_key("returned_over_time", [_frame()], [code])
    assert key == chart_key("returned_over_time", [_frame()], [code])
    assert key != chart_key("captures_over_time", [_frame()], [code])
    assert key != chart_key("returned_over_time", [_frame(value=9)], [code])
    assert key != chart_key("returned_over_time", [_frame(), "GCIII"], [code])
    with matplotlib.rc_context({"font.size": 23}):
        assert key != chart_key("returned_over_time", [_frame()], [code])
    with matplotlib.rc_context({"interactive": not matplotlib.rcParams["interactive"]}):
        assert key == chart_key("returned_over_time", [_frame()], [code])
    code.write_text("def draw(): return 1\n")
    monkeypatch.setattr(chart_cache, "_CODE_DIGESTS", {})  # a new session reads the code again
    assert key != chart_key("returned_over_time", [_frame()], [code])


def test_default_cache_lives_in_powkit_home_and_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path))
    monkeypatch.delenv("POWKIT_CHART_CACHE", raising=False)
    assert chart_cache.default_cache().folder == tmp_path / "cache" / "charts"
    for off in ("off", "0", "OFF"):
        monkeypatch.setenv("POWKIT_CHART_CACHE", off)
        assert chart_cache.default_cache() is None


def test_files_are_json_and_png_only(tmp_path):
    cache = ChartCache(tmp_path)
    cache.put("k1", _chart())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1.json", "k1.png"]
    meta = json.loads((tmp_path / "k1.json").read_text(encoding="utf-8"))
    assert meta["png_sha256"] == hashlib.sha256(PNG).hexdigest()


def test_key_is_the_same_before_and_after_matplotlib_is_imported(tmp_path):
    """A lesson whose charts are all cached never imports matplotlib: its keys must be those a
    session that did import it (and changed nothing) computes."""
    code = tmp_path / "drawing.py"
    code.write_text("def draw(): pass\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from powkit.chart_cache import chart_key\n"
        f"code = [Path({str(code)!r})]\n"
        "before = chart_key('c', ['x'], code)\n"
        "assert 'matplotlib' not in sys.modules, 'the key imported matplotlib'\n"
        "import matplotlib.pyplot\n"
        "after = chart_key('c', ['x'], code)\n"
        "matplotlib.rcParams['lines.linewidth'] = 9\n"
        "changed = chart_key('c', ['x'], code)\n"
        "print(before == after, after != changed)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_in_the_browser_the_cache_stays_off_the_learners_drive(tmp_path, monkeypatch):
    from powkit import progress

    monkeypatch.setattr(progress, "in_browser", lambda: True)
    monkeypatch.setattr(progress, "BROWSER_DRIVE", tmp_path / "drive")
    (tmp_path / "drive").mkdir()
    monkeypatch.delenv("POWKIT_HOME", raising=False)
    monkeypatch.delenv("POWKIT_CHART_CACHE", raising=False)
    folder = chart_cache.default_cache().folder
    assert tmp_path / "drive" not in folder.parents


# --------------------------------------------------------------------------- charts through the cache


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path))
    monkeypatch.delenv("POWKIT_CHART_CACHE", raising=False)
    return tmp_path


def _entries(home) -> int:
    return len(list((home / "cache" / "charts").glob("*.json")))


def test_a_chart_drawn_before_comes_back_the_same_without_drawing(home):
    from powkit import charts, data

    figs = data.load_figures()
    first = charts.returned_over_time(figs)
    picture = first.png()
    assert _entries(home) == 1
    again = charts.returned_over_time(figs)
    assert again._figure is None  # nothing built, nothing drawn
    assert (again.title, again.alt_text, again.sources, again.ids) == (
        first.title,
        first.alt_text,
        first.sources,
        first.ids,
    )
    assert again.png() == picture
    html = charts.chart_html(again)
    assert charts.describe(first).split(".")[0] in html and "Text description" in html
    # asked for, the figure is built again from the same rows, by the same code
    assert again.figure.get_suptitle() == first.figure.get_suptitle() == first.title
    assert len(again.figure.axes) == len(first.figure.axes)


def test_changed_rows_are_drawn_anew(home):
    from powkit import charts, data

    figs = data.load_figures()
    before = charts.misleading_chart(figs)
    before.png()
    changed = figs.copy()
    row = changed.index[changed["id"] == before.ids[-1]][0]  # a row the chart draws
    changed.loc[row, "value"] = int(changed.loc[row, "value"]) * 2
    after = charts.misleading_chart(changed)
    assert after._figure is not None  # a miss: drawn from the changed rows
    assert after.png() != before.png()
    assert _entries(home) == 2
    assert charts.misleading_chart(figs).png() == before.png()  # the first is still there


def test_a_figure_changed_by_hand_is_drawn_again_and_not_stored(home):
    from powkit import charts, data

    figs = data.load_figures()
    chart = charts.misleading_chart(figs)
    stored = chart.png()
    chart.figure.axes[0].set_title("My own title")  # as a student might
    mine = chart.png()
    assert mine != stored
    assert charts.misleading_chart(figs).png() == stored  # the cache kept the original


def test_cache_off_draws_every_time(home, monkeypatch):
    from powkit import charts, data

    monkeypatch.setenv("POWKIT_CHART_CACHE", "off")
    chart = charts.misleading_chart(data.load_figures())
    assert chart.png().startswith(b"\x89PNG")
    assert not (home / "cache").exists()


def test_explorer_from_the_cache_shows_the_same_picture_and_description(home):
    from powkit import charts, data

    figs = data.load_figures()
    first = charts.ChartExplorer(figs)
    second = charts.ChartExplorer(figs)
    assert second.figure._figure is None  # served from the cache
    assert second.image.value == first.image.value  # the same picture, the same alt text
    assert second.caption.value == first.caption.value and second.points == first.points
    second.side.value = "russia"  # a new filter is drawn as before
    assert second.points == len(second.selection) < first.points


def test_a_lesson_served_from_the_cache_never_imports_matplotlib(home):
    """Lessons 07 and 08 run without matplotlib once their charts were drawn once."""
    script = (
        "import sys\n"
        "from powkit import charts, data\n"
        "figs = data.load_figures()\n"
        "for chart in (charts.returned_over_time(figs), charts.repatriation_timelines()):\n"
        "    assert charts.chart_html(chart).count('data:image/png;base64,') == 1\n"
        "charts.ChartExplorer(figs)\n"
        "print(sorted(m for m in sys.modules if m.startswith('matplotlib')))\n"
    )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    cold = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert cold.returncode == 0, cold.stderr
    assert "matplotlib.figure" in cold.stdout
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip() == "[]"
