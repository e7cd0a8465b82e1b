"""Rendered charts kept on disk, so that a lesson run again does not draw the same chart again.

Why: drawing a chart with matplotlib (layout, text, PNG encoding) takes longer than everything
else a lesson does, and a lesson draws the same charts from the same rows every time it runs.
A chart is therefore stored once drawn, with the words that go with it (title, text
description, sources, row ids), under a key made of:

- the chart's name and arguments, the rows it is drawn from (their content, column names, types
  and the file they came from), and
- everything else that decides the picture: the source of the modules that draw it, the versions
  of matplotlib, numpy and pandas, and matplotlib's settings.

Change any of these (a corrected figure in the dataset, an edited chart function, another
matplotlib) and the key changes, so a stale picture is never shown.

The folder is ``$POWKIT_HOME/cache/charts`` (``~/.powkit/cache/charts``; in the browser, the
kernel's temporary folder); ``POWKIT_CHART_CACHE=off`` turns the cache off. It holds JSON and PNG
files only: nothing in it is ever run, a file that does not check out (truncated, edited, another
format) is ignored and replaced, and a folder that cannot be written (a read-only home) only
means charts are drawn each time. The least recently used entries are dropped when the folder
holds more than :data:`MAX_ENTRIES` charts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

__all__ = ["MAX_ENTRIES", "CachedChart", "ChartCache", "chart_key", "default_cache", "frame_digest"]

#: Bump when the layout of the files changes.
FORMAT = 2
#: How many charts the folder keeps; the least recently used go first.
MAX_ENTRIES = 64
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: matplotlib settings that say where a figure is shown, not how it looks.
_IRRELEVANT_RC = ("backend", "backend_fallback", "interactive", "webagg.", "toolbar", "keymap.")


#: A chart's figures as a table: the column headings, then the rows of cell texts.
TableData = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class CachedChart:
    """What the cache gives back: the picture and the words that describe it."""

    title: str
    alt_text: str
    sources: tuple[str, ...]
    ids: tuple[str, ...]
    png: bytes | None
    table: TableData | None = None


def frame_digest(df) -> str:
    """A digest of a table's content, column names, types and attributes (such as its path)."""
    import pandas as pd

    h = hashlib.sha256()
    h.update(json.dumps([str(c) for c in df.columns]).encode())
    h.update(json.dumps([str(t) for t in df.dtypes]).encode())
    h.update(json.dumps(df.attrs, sort_keys=True, default=str).encode())
    try:
        h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    except TypeError:  # a cell holding something unhashable (a list): hash its text instead
        h.update(df.to_json(orient="split", date_format="iso", default_handler=str).encode())
    return h.hexdigest()


def _version(dist: str, module: str) -> str:
    imported = sys.modules.get(module)
    if imported is not None and isinstance(getattr(imported, "__version__", None), str):
        return imported.__version__
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "absent"


#: Digest of the drawing code and library versions, per set of code files (read once a session).
_CODE_DIGESTS: dict[tuple[Path, ...], str] = {}
#: matplotlib's settings as its files give them, per folder (read once a session).
_DEFAULT_SETTINGS: dict[str, tuple[str, dict[str, str]]] = {}


def _rc_files() -> list[Path]:
    """Every file matplotlib may read its settings from, besides its own defaults (which its
    version covers): as ``matplotlib.matplotlib_fname`` looks for them, without importing it."""
    candidates = [Path.cwd() / "matplotlibrc"]
    explicit = os.environ.get("MATPLOTLIBRC")
    if explicit:
        candidates += [Path(explicit), Path(explicit) / "matplotlibrc"]
    config = os.environ.get("MPLCONFIGDIR")
    if config:
        candidates.append(Path(config) / "matplotlibrc")
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    candidates.append(Path(xdg) / "matplotlib" / "matplotlibrc")
    return candidates


def _settings() -> str:
    """Digest of the matplotlib settings a chart drawn now would use.

    Computed without importing matplotlib when nothing has imported it yet (a lesson whose charts
    all come from the cache never needs it): the settings are then those of its files. Once it is
    imported, any setting changed since (a style, a backend's own settings) is added, so that a
    chart drawn under other settings is another entry.
    """
    h = hashlib.sha256()
    for path in _rc_files():
        h.update(str(path).encode())
        try:
            h.update(path.read_bytes() if path.is_file() else b"-")
        except OSError:
            h.update(b"?")
    files = h.hexdigest()
    mpl = sys.modules.get("matplotlib")
    if mpl is None or not hasattr(mpl, "rcParams"):
        return files

    def relevant(params) -> dict[str, str]:
        return {k: str(v) for k, v in params.items() if not k.startswith(_IRRELEVANT_RC)}

    cached = _DEFAULT_SETTINGS.get(str(Path.cwd()))
    if cached is None or cached[0] != files:
        cached = _DEFAULT_SETTINGS[str(Path.cwd())] = (files, relevant(mpl.rc_params()))
    defaults = cached[1]
    changed = {k: v for k, v in relevant(mpl.rcParams).items() if defaults.get(k) != v}
    return files + (json.dumps(changed, sort_keys=True) if changed else "")


def _environment(code_files: Iterable[Path]) -> str:
    """Digest of what decides a picture besides its arguments: drawing code, versions, settings."""
    files = tuple(sorted(Path(f) for f in code_files))
    code = _CODE_DIGESTS.get(files)
    if code is None:
        h = hashlib.sha256(f"powkit-chart-cache {FORMAT}".encode())
        for path in files:
            h.update(path.name.encode())
            h.update(path.read_bytes())
        for dist, module in (
            ("matplotlib", "matplotlib"),
            ("numpy", "numpy"),
            ("pandas", "pandas"),
            ("pillow", "PIL"),
        ):
            h.update(f"{dist}={_version(dist, module)};".encode())
        code = _CODE_DIGESTS[files] = h.hexdigest()
    return hashlib.sha256((code + _settings()).encode()).hexdigest()


def chart_key(name: str, arguments: Iterable[object], code_files: Iterable[Path]) -> str:
    """The key of one chart: its name, its arguments (tables by content) and the environment."""
    h = hashlib.sha256(name.encode())
    for value in arguments:
        if hasattr(value, "columns") and hasattr(value, "dtypes"):
            h.update(b"frame:" + frame_digest(value).encode())
        else:
            h.update(b"value:" + repr(value).encode())
    h.update(_environment(code_files).encode())
    return h.hexdigest()[:40]


def _str_tuple(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


class ChartCache:
    """A folder of drawn charts: ``KEY.json`` (the words and the picture's digest), ``KEY.png``."""

    def __init__(self, folder: Path, max_entries: int = MAX_ENTRIES):
        self.folder = Path(folder)
        self.max_entries = max_entries

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.json", self.folder / f"{key}.png"

    def get(self, key: str) -> CachedChart | None:
        """The chart stored under ``key`` (its ``png`` None if it was described but not drawn
        yet), or None if there is none or what is there does not check out."""
        meta_path, png_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("key") != key:
            return None
        title, alt = meta.get("title"), meta.get("alt_text")
        sources, ids = _str_tuple(meta.get("sources")), _str_tuple(meta.get("ids"))
        if not isinstance(title, str) or not isinstance(alt, str) or sources is None or ids is None:
            return None
        png = None
        digest = meta.get("png_sha256")
        if isinstance(digest, str):
            try:
                data = png_path.read_bytes()
            except OSError:
                data = b""
            if data.startswith(_PNG_SIGNATURE) and hashlib.sha256(data).hexdigest() == digest:
                png = data
        try:
            table = _table_data(meta.get("table"))
        except ValueError:
            return None
        with contextlib.suppress(OSError):
            os.utime(meta_path)  # recently used: pruned last
        return CachedChart(title, alt, sources, ids, png, table)

    def put(self, key: str, chart: CachedChart) -> bool:
        """Store a chart (with or without its picture); False if the folder cannot be written."""
        meta = {
            "format": FORMAT,
            "key": key,
            "title": chart.title,
            "alt_text": chart.alt_text,
            "sources": list(chart.sources),
            "ids": list(chart.ids),
            "table": None
            if chart.table is None
            else [list(chart.table[0]), [list(row) for row in chart.table[1]]],
        }
        meta_path, png_path = self._paths(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if chart.png is not None:
                meta["png_sha256"] = hashlib.sha256(chart.png).hexdigest()
                _write_atomic(png_path, chart.png)
            _write_atomic(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            self._prune()
        except OSError:
            return False
        return True

    def _prune(self) -> None:
        entries = []
        for path in self.folder.glob("*.json"):
            try:
                entries.append((path.stat().st_mtime, path))
            except OSError:
                continue
        entries.sort()
        for _, path in entries[: max(0, len(entries) - self.max_entries)]:
            for stale in (path, path.with_suffix(".png")):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def clear(self) -> int:
        """Remove every stored chart; return how many there were."""
        count = 0
        for path in list(self.folder.glob("*.json")) + list(self.folder.glob("*.png")):
            try:
                path.unlink()
                count += path.suffix == ".json"
            except OSError:
                pass
        return count


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: no reader sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def default_cache() -> ChartCache | None:
    """The learner's chart cache, or None when ``POWKIT_CHART_CACHE`` is ``off`` (or ``0``).

    In the browser (the JupyterLite site) the home folder is the learner's visible drive, so the
    cache goes to the kernel's own temporary folder instead: it lasts as long as the kernel.
    """
    if os.environ.get("POWKIT_CHART_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    from powkit import progress

    if progress.in_browser() and not os.environ.get("POWKIT_HOME"):
        return ChartCache(Path(tempfile.gettempdir()) / "powkit-chart-cache")
    return ChartCache(progress.default_home() / "cache" / "charts")


def _table_data(value: object) -> TableData | None:
    """A stored table back as tuples (None if there was none); ValueError if it does not
    check out."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("not a table")
    headers, rows = _str_tuple(value[0]), value[1]
    if headers is None or not isinstance(rows, list):
        raise ValueError("not a table")
    cells = []
    for row in rows:
        cell_texts = _str_tuple(row)
        if cell_texts is None:
            raise ValueError("not a table row")
        cells.append(cell_texts)
    return headers, tuple(cells)
