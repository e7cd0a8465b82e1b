"""The kit's sourced datasets of reported captures, exchanges and repatriations.

Why a module for two small CSV files: the charts are projected in class, and a chart is only as
trustworthy as the rows behind it. So every row is checked when it is loaded, and a bad file
stops with an error that names the file, the line and the column, and says how to fix it,
instead of drawing a wrong picture quietly. Nothing here fills a gap: a figure that no source
gives stays missing (``<NA>``).

Two datasets live in ``data/``:

``ru-ua-pow-figures.csv``
    one row per figure reported about prisoners of war in the Russia-Ukraine war since 2022:
    who gave it (``claimant``, ``claimant_type``), whose soldiers it counts (``soldiers_of``),
    the number (``value``) and what it counts (``counts``), with its source. Exchanges often
    return civilians too, whom GCIII does not cover: ``civilians`` and ``civilians_in_value``
    record how many the source names and whether ``value`` includes them.
``historical-repatriations.csv``
    one row per past conflict: when hostilities ended, when repatriation of prisoners started
    and finished (GCIII 118 asks for release "without delay" after active hostilities end).

Line numbers in errors count the header as line 1, so the first data row is line 2; that is
the number an editor shows.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from powkit.markup import HTMLView, plain_list, source_item
from powkit.resources import data_file, display_path
from powkit.validation import Problem, Source, ValidationError

__all__ = [
    "CASE_DATE",
    "CIVILIANS_IN_VALUE",
    "CLAIMANT_TYPES",
    "DATE_PRECISIONS",
    "EVENT_TYPES",
    "FIGURES_FILE",
    "FIGURE_COLUMNS",
    "FIGURE_OPTIONAL_COLUMNS",
    "REPATRIATIONS_FILE",
    "REPATRIATION_COLUMNS",
    "SIDES",
    "SOLDIERS_OF",
    "DataError",
    "case_rows",
    "exchange_rows",
    "exchanges",
    "figure_html",
    "figures_path",
    "further_reading_html",
    "load_figures",
    "load_repatriations",
    "publishers",
    "repatriation_durations",
    "repatriations_path",
    "returned_totals",
    "show_figures",
    "show_further_reading",
    "sources",
]

FIGURES_FILE = "ru-ua-pow-figures.csv"
REPATRIATIONS_FILE = "historical-repatriations.csv"

FIGURE_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "event_type",
    "claimant",
    "claimant_type",
    "soldiers_of",
    "value",
    "counts",
    "civilians",
    "civilians_in_value",
    "source_title",
    "publisher",
    "url",
    "published",
    "note",
)
#: Columns a figures file may leave out (an instructor's older file still loads; they read as
#: empty). The shipped file has them.
FIGURE_OPTIONAL_COLUMNS: tuple[str, ...] = ("civilians", "civilians_in_value")
REPATRIATION_COLUMNS: tuple[str, ...] = (
    "id",
    "conflict",
    "detaining_context",
    "prisoners_held",
    "hostilities_ended",
    "repatriation_started",
    "repatriation_completed",
    "date_precision",
    "source_title",
    "publisher",
    "url",
    "published",
    "note",
)

#: What kind of report a figure comes from.
EVENT_TYPES: tuple[str, ...] = (
    "capture_claim",
    "prisoner_exchange",
    "holding_estimate",
    "report_finding",
)
#: Who gives the figure: a party to the conflict (a claim), an independent body, or the media.
CLAIMANT_TYPES: tuple[str, ...] = ("party_claim", "independent", "media")
#: The two sides whose soldiers are exchanged.
SIDES: tuple[str, ...] = ("russia", "ukraine")
#: Whose soldiers a figure counts: one side, or both together (e.g. a mediator's total).
SOLDIERS_OF: tuple[str, ...] = (*SIDES, "both")
#: Whether an exchange row's ``value`` includes the civilians named in ``civilians``: ``yes``
#: (the source gives one total, civilians included) or ``no`` (``value`` counts servicemen
#: only and the civilians came home alongside them).
CIVILIANS_IN_VALUE: tuple[str, ...] = ("yes", "no")
#: How precisely the dates of a historical repatriation are known.
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year")

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
_ISO_YEAR = re.compile(r"^\d{4}$")
_WHOLE = re.compile(r"^\d+$")
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


class DataError(ValidationError):
    """Dataset rows or a header that break the rules; each problem says where and how to fix.

    Made from one cell (``DataError(path, line, column, message)``) or from the problems of a
    whole file. ``path``, ``line`` and ``column`` (of the first problem) are kept as attributes
    so that tests and tools can point at the cell without parsing the message.
    """

    def __init__(
        self,
        path: Path | str | list[Problem],
        line: int = 0,
        column: str | None = None,
        message: str = "",
    ):
        if isinstance(path, list):
            problems = path
        else:
            problems = [Problem(str(path), f"line {line}", column or "", message)]
        super().__init__(problems)
        first = self.problems[0]
        self.path = first.path
        self.line = int(first.item.removeprefix("line ") or 0)
        self.column = first.field or None


class _Collect:
    """Runs cell checks, keeping every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def __call__(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except DataError as error:
            self.problems.extend(error.problems)
            return None

    def add(self, error: DataError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems)


# --------------------------------------------------------------------------- paths


def figures_path() -> Path:
    """The shipped Russia-Ukraine figures file (``$POWKIT_DATA`` overrides the folder)."""
    return data_file(FIGURES_FILE)


def repatriations_path() -> Path:
    """The shipped historical repatriations file (``$POWKIT_DATA`` overrides the folder)."""
    return data_file(REPATRIATIONS_FILE)


def _display_path(path: Path) -> str:
    """The path as a reader would type it (``data/ru-ua-pow-figures.csv``)."""
    return display_path(path)


# --------------------------------------------------------------------------- cell checks


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


def _read_rows(
    path: Path, columns: Sequence[str], optional: Sequence[str] = ()
) -> tuple[str, list[_Row]]:
    """Read the CSV with the csv module so that each row keeps the line it starts on.

    Columns in ``optional`` may be missing from the header; their cells then read as empty.
    """
    shown = _display_path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{shown}: dataset not found; it ships in the repository's data/ folder "
            f"(or set POWKIT_DATA to the folder that holds it)"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            shown, 1, None, f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
        ) from None
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise DataError(
            shown, 1, None, "empty file; the first line must be the header: " + ",".join(columns)
        )
    reader = csv.reader(lines, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataError(shown, 1, None, f"unreadable header ({exc})") from None
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise DataError(shown, 1, name, "column appears twice in the header; keep one")
        seen.add(name)
    missing = [c for c in columns if c not in seen and c not in optional]
    if missing:
        raise DataError(
            shown,
            1,
            missing[0],
            f"required column missing from the header (missing: {', '.join(missing)}); "
            f"the header must contain: "
            f"{','.join(c for c in columns if c not in optional)}",
        )
    rows: list[_Row] = []
    previous_end = 1
    while True:
        start = previous_end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(
                shown, start, None, f"malformed CSV ({exc}); check the quotes"
            ) from None
        previous_end = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue  # a blank line is not a row
        if len(record) != len(header):
            raise DataError(
                shown,
                start,
                None,
                f"{len(record)} fields but the header has {len(header)}; a comma inside a "
                f"value needs the whole value in double quotes",
            )
        cells = {h: cell.strip() for h, cell in zip(header, record)}
        for name in optional:
            cells.setdefault(name, "")
        rows.append(_Row(start, cells))
    if not rows:
        raise DataError(shown, 2, None, "no data rows after the header")
    return shown, rows


def _required(shown: str, row: _Row, column: str) -> str:
    value = row.cells[column]
    if not value:
        raise DataError(shown, row.line, column, "empty, but every row needs a value here")
    return value


def _day(shown: str, row: _Row, column: str, *, required: bool = True) -> date | None:
    value = row.cells[column]
    if not value:
        if required:
            raise DataError(
                shown, row.line, column, "empty, but every row needs a date here (YYYY-MM-DD)"
            )
        return None
    if not _ISO_DAY.match(value):
        raise DataError(
            shown, row.line, column, f"{value!r} is not a date written YYYY-MM-DD (e.g. 2022-03-16)"
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DataError(shown, row.line, column, f"{value!r} is not a real calendar date") from None


def _period(shown: str, row: _Row, column: str, precision: str) -> date | None:
    """A historical date: YYYY-MM-DD always; YYYY-MM or YYYY when the row's precision allows."""
    value = row.cells[column]
    if not value:
        return None
    try:
        if _ISO_DAY.match(value):
            return date.fromisoformat(value)
        if _ISO_MONTH.match(value) and precision in ("month", "year"):
            return date.fromisoformat(value + "-01")
        if _ISO_YEAR.match(value) and precision == "year":
            return date(int(value), 1, 1)
    except ValueError:
        raise DataError(shown, row.line, column, f"{value!r} is not a real calendar date") from None
    allowed = {
        "day": "YYYY-MM-DD",
        "month": "YYYY-MM-DD or YYYY-MM",
        "year": "YYYY-MM-DD, YYYY-MM or YYYY",
    }[precision]
    raise DataError(
        shown,
        row.line,
        column,
        f"{value!r} is not a date written {allowed} (date_precision is {precision!r})",
    )


def _whole(shown: str, row: _Row, column: str, *, required: bool = True) -> int | None:
    value = row.cells[column]
    if not value:
        if required:
            raise DataError(
                shown,
                row.line,
                column,
                "empty; give the number the source states, or leave the row out",
            )
        return None
    if not _WHOLE.match(value):
        raise DataError(
            shown,
            row.line,
            column,
            f"{value!r} is not a non-negative whole number (write digits only, "
            f"e.g. 1000, without separators or words)",
        )
    return int(value)


def _choice(
    shown: str, row: _Row, column: str, allowed: Sequence[str], *, required: bool = True
) -> str | None:
    value = row.cells[column]
    if not value and not required:
        return None
    if value not in allowed:
        shown_value = repr(value) if value else "empty"
        raise DataError(
            shown, row.line, column, f"{shown_value} is not one of: {', '.join(allowed)}"
        )
    return value


def _url(shown: str, row: _Row, column: str = "url") -> str:
    value = _required(shown, row, column)
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
        raise DataError(
            shown,
            row.line,
            column,
            f"{value!r} is not a web address; give the source's full http(s):// URL",
        )
    return value


def _check_unique(shown: str, rows: list[_Row], columns: Sequence[str], cells: _Collect) -> None:
    """No two rows may say the same thing, and no two rows may share an id."""
    content = [c for c in columns if c != "id"]
    first_seen: dict[tuple[str, ...], int] = {}
    for row in rows:
        key = tuple(row.cells[c] for c in content)
        if key in first_seen:
            cells.add(
                DataError(
                    shown,
                    row.line,
                    None,
                    f"duplicate row: same content as line {first_seen[key]} "
                    f"(every column but id is equal); delete one of them",
                )
            )
        first_seen[key] = row.line
    ids: dict[str, int] = {}
    for row in rows:
        ident = row.cells["id"]
        if ident in ids:
            cells.add(
                DataError(
                    shown,
                    row.line,
                    "id",
                    f"{ident!r} is already used on line {ids[ident]}; ids must be unique",
                )
            )
        ids[ident] = row.line


def _civilians(
    shown: str, row: _Row, event_type: str | None, value: int | None
) -> tuple[int | None, str | None]:
    """Check the two civilian cells of a figures row; return (civilians, civilians_in_value).

    Why two cells: sources word exchanges in two ways. Kyiv often gives one total "of whom N are
    civilians"; Moscow often gives "N servicemen, and also M civilians". Storing the number the
    source gives, and whether ``value`` includes it, keeps both readings without arithmetic.
    """
    count = _whole(shown, row, "civilians", required=False)
    included = _choice(shown, row, "civilians_in_value", CIVILIANS_IN_VALUE, required=False)
    if event_type != "prisoner_exchange":
        for column, cell in (("civilians", count), ("civilians_in_value", included)):
            if cell is not None:
                raise DataError(
                    shown,
                    row.line,
                    column,
                    f"filled on a {event_type} row; only prisoner_exchange rows record "
                    f"civilians returned, so leave it empty",
                )
        return None, None
    if count is not None and included is None:
        raise DataError(
            shown,
            row.line,
            "civilians_in_value",
            f"empty, but civilians is {count}; say whether value includes them: yes (one "
            f"total, civilians included) or no (value counts servicemen only)",
        )
    if included == "no" and count is None:
        raise DataError(
            shown,
            row.line,
            "civilians",
            "empty, but civilians_in_value is 'no'; give the number of civilians the source "
            "names, or leave both cells empty",
        )
    if included == "yes" and count is not None and value is not None and count > value:
        raise DataError(
            shown,
            row.line,
            "civilians",
            f"{count} civilians cannot be part of a value of {value}; if they came home on "
            f"top of value, write no in civilians_in_value",
        )
    return count, included


# --------------------------------------------------------------------------- loaders


class _LineNumbers(dict):
    """Row id -> line in the file. Read-only in practice, so copies share it: pandas deep-copies
    ``attrs`` on every operation, and copying this table row by row cost more than the charts."""

    def __deepcopy__(self, memo: dict) -> _LineNumbers:
        return self


def _frame(
    records: list[dict],
    columns: Sequence[str],
    dates: Iterable[str],
    ints: Iterable[str],
    categories: dict[str, Sequence[str] | None],
    path: Path,
    lines: list[int],
) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=list(columns))
    for col in dates:
        df[col] = pd.to_datetime(df[col])
    for col in ints:
        df[col] = pd.array(df[col].tolist(), dtype="Int64")
    for col, allowed in categories.items():
        cats = list(allowed) if allowed is not None else sorted(df[col].dropna().unique())
        df[col] = pd.Categorical(df[col], categories=cats)
    for col in columns:
        if col not in dates and col not in ints and col not in categories:
            df[col] = df[col].astype("string")
    df.attrs["path"] = str(path)
    df.attrs["lines"] = _LineNumbers(zip(df["id"].tolist(), lines))
    return df


def load_figures(path: Path | str | None = None) -> pd.DataFrame:
    """Load and check the Russia-Ukraine figures; one row per reported figure.

    Dtypes: ``date`` and ``published`` are datetime64, ``value`` is Int64, ``event_type``,
    ``claimant_type``, ``soldiers_of`` and ``counts`` are categorical, the rest are strings.
    ``soldiers_of`` is ``both`` for a figure that counts both sides together.

    Raises :class:`DataError` listing every broken cell (file, line, column, what to fix).
    """
    p = Path(path) if path is not None else figures_path()
    shown, rows = _read_rows(p, FIGURE_COLUMNS, FIGURE_OPTIONAL_COLUMNS)
    cells = _Collect()
    records = []
    for row in rows:
        rec: dict = {c: row.cells[c] for c in FIGURE_COLUMNS}
        cells(_required, shown, row, "id")
        rec["date"] = cells(_day, shown, row, "date")
        event_type = cells(_choice, shown, row, "event_type", EVENT_TYPES)
        cells(_required, shown, row, "claimant")
        cells(_choice, shown, row, "claimant_type", CLAIMANT_TYPES)
        cells(_choice, shown, row, "soldiers_of", SOLDIERS_OF)
        rec["value"] = cells(_whole, shown, row, "value")
        counts = cells(_required, shown, row, "counts")
        if counts is not None and not _SNAKE.match(counts):
            cells.add(
                DataError(
                    shown,
                    row.line,
                    "counts",
                    f"{counts!r} is not a snake_case label "
                    f"(e.g. returned_in_exchange, cumulative_claimed_captures)",
                )
            )
        civilians = cells(_civilians, shown, row, event_type, rec["value"])
        rec["civilians"], rec["civilians_in_value"] = civilians or (None, None)
        cells(_required, shown, row, "source_title")
        cells(_required, shown, row, "publisher")
        cells(_url, shown, row)
        rec["published"] = cells(_day, shown, row, "published")
        if rec["published"] and rec["date"] and rec["published"] < rec["date"]:
            cells.add(
                DataError(
                    shown,
                    row.line,
                    "published",
                    f"{row.cells['published']} is before the date the figure refers to "
                    f"({row.cells['date']}); a source cannot report a later figure",
                )
            )
        rec["note"] = row.cells["note"] or None
        records.append(rec)
    _check_unique(shown, rows, FIGURE_COLUMNS, cells)
    cells.raise_if_any()
    return _frame(
        records,
        FIGURE_COLUMNS,
        dates=("date", "published"),
        ints=("value", "civilians"),
        categories={
            "event_type": EVENT_TYPES,
            "claimant_type": CLAIMANT_TYPES,
            "soldiers_of": SOLDIERS_OF,
            "counts": None,
            "civilians_in_value": CIVILIANS_IN_VALUE,
        },
        path=p,
        lines=[r.line for r in rows],
    )


def load_repatriations(path: Path | str | None = None) -> pd.DataFrame:
    """Load and check the historical repatriations; one row per conflict (or detaining context).

    Dates may be empty where no source gives them; with ``date_precision`` month or year they
    may be written YYYY-MM or YYYY and are stored as the first day of that period.
    ``prisoners_held`` is Int64 (``<NA>`` when unknown), ``date_precision`` is categorical.
    """
    p = Path(path) if path is not None else repatriations_path()
    shown, rows = _read_rows(p, REPATRIATION_COLUMNS)
    cells = _Collect()
    records = []
    for row in rows:
        rec: dict = {c: row.cells[c] or None for c in REPATRIATION_COLUMNS}
        cells(_required, shown, row, "id")
        cells(_required, shown, row, "conflict")
        precision = cells(_choice, shown, row, "date_precision", DATE_PRECISIONS)
        rec["prisoners_held"] = cells(_whole, shown, row, "prisoners_held", required=False)
        for col in ("hostilities_ended", "repatriation_started", "repatriation_completed"):
            rec[col] = cells(_period, shown, row, col, precision) if precision else None
        start, end = rec["repatriation_started"], rec["repatriation_completed"]
        if start and end and end < start:
            cells.add(
                DataError(
                    shown,
                    row.line,
                    "repatriation_completed",
                    f"{row.cells['repatriation_completed']} is before "
                    f"repatriation_started ({row.cells['repatriation_started']})",
                )
            )
        cells(_required, shown, row, "source_title")
        cells(_required, shown, row, "publisher")
        cells(_url, shown, row)
        rec["published"] = cells(_day, shown, row, "published")
        records.append(rec)
    _check_unique(shown, rows, REPATRIATION_COLUMNS, cells)
    cells.raise_if_any()
    return _frame(
        records,
        REPATRIATION_COLUMNS,
        dates=("hostilities_ended", "repatriation_started", "repatriation_completed", "published"),
        ints=("prisoners_held",),
        categories={"date_precision": DATE_PRECISIONS},
        path=p,
        lines=[r.line for r in rows],
    )


# --------------------------------------------------------------------------- helpers for lessons

#: The date of the lesson's case: Ukraine's claim, reported in mid-March 2022, of about 600
#: Russian service members captured.
CASE_DATE = pd.Timestamp("2022-03-16")


def case_rows(df: pd.DataFrame, days: int = 7) -> pd.DataFrame:
    """Capture claims dated within ``days`` of the case date (so lessons need not hard-code ids)."""
    near = (df["date"] - CASE_DATE).abs() <= pd.Timedelta(days=days)
    return df[near & (df["event_type"] == "capture_claim")]


def _claimant_side(claimant: str) -> str | None:
    """'Ukraine: ...' -> 'ukraine'; a claimant that does not name a side first -> None."""
    low = claimant.strip().lower()
    for side in SIDES:
        if low.startswith(side):
            return side
    return None


def _rank(row: pd.Series) -> int:
    """Which count of a side's returnees to prefer when sources differ.

    A government counts its own returning people by name, so its figure comes first; then an
    independent body, then the media, then the other party's count. Ties keep file order.
    """
    own = _claimant_side(row["claimant"]) == row["soldiers_of"]
    if row["claimant_type"] == "party_claim" and own:
        return 0
    return {"independent": 1, "media": 2}.get(row["claimant_type"], 3)


def exchange_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The per-exchange, per-side rows: prisoner_exchange rows counting ``returned_in_exchange``."""
    mask = (
        (df["event_type"] == "prisoner_exchange")
        & (df["counts"] == "returned_in_exchange")
        & df["soldiers_of"].isin(SIDES)
    )
    return df[mask.fillna(False)]


def exchanges(df: pd.DataFrame) -> pd.DataFrame:
    """One row per exchange date, pairing what each side received.

    Columns: ``date``, ``to_ukraine``, ``to_russia`` (Int64; ``<NA>`` where no source gives the
    count: a gap, not a zero), ``ukraine_id``/``russia_id`` (the row each count comes from),
    ``disputed`` (sources give different counts for that side and day), ``alternatives``
    (the other counts, with their ids) and ``claims_only`` (every chosen count is a party's
    claim). When sources differ, the receiving side's own count is chosen (see ``_rank``);
    the other counts are kept in ``alternatives`` so that the dispute stays visible.

    ``civilians_to_ukraine``/``civilians_to_russia`` (Int64) give the civilians the chosen
    source names for that side (``<NA>`` where it names none), and ``civilians_in_count`` is
    true when a chosen count includes civilians: GCIII covers only the prisoners of war among
    the people returned.
    """
    rows = exchange_rows(df)
    columns = [
        "date",
        "to_ukraine",
        "to_russia",
        "ukraine_id",
        "russia_id",
        "disputed",
        "alternatives",
        "claims_only",
        "civilians_to_ukraine",
        "civilians_to_russia",
        "civilians_in_count",
    ]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    # Plain Python over the few hundred rows: a pandas group-by here took a tenth of a second.
    # Days in date order, and the sides of a day in the column's own order (as a group-by
    # sorts them); within a side, the preferred count first, ties in file order.
    sides = rows["soldiers_of"]
    side_order = (
        {str(c): n for n, c in enumerate(sides.cat.categories)}
        if isinstance(sides.dtype, pd.CategoricalDtype)
        else {s: n for n, s in enumerate(sorted(set(sides.astype(str))))}
    )
    groups: dict[tuple, list[tuple[int, int, dict]]] = {}
    for order, row in enumerate(rows.to_dict("records")):
        side = str(row["soldiers_of"])
        groups.setdefault((row["date"], side_order[side], side), []).append(
            (_rank(row), order, row)
        )
    out: dict[pd.Timestamp, dict] = {}
    for (day, _, side), members in sorted(groups.items(), key=lambda item: item[0][:2]):
        members.sort(key=lambda member: member[:2])
        chosen = members[0][2]
        others = [member[2] for member in members[1:]]
        entry = out.setdefault(
            day,
            {
                "date": day,
                "to_ukraine": pd.NA,
                "to_russia": pd.NA,
                "ukraine_id": pd.NA,
                "russia_id": pd.NA,
                "disputed": False,
                "alternatives": "",
                "claims_only": True,
                "civilians_to_ukraine": pd.NA,
                "civilians_to_russia": pd.NA,
                "civilians_in_count": False,
            },
        )
        entry[f"to_{side}"] = int(chosen["value"])
        civilians = chosen.get("civilians", pd.NA)
        if not pd.isna(civilians):
            entry[f"civilians_to_{side}"] = int(civilians)
        if str(chosen.get("civilians_in_value", "")) == "yes":
            entry["civilians_in_count"] = True
        entry[f"{side}_id"] = chosen["id"]
        entry["claims_only"] = entry["claims_only"] and chosen["claimant_type"] == "party_claim"
        differing = [o for o in others if o["value"] != chosen["value"]]
        if differing:
            entry["disputed"] = True
        alt = [f"{side}: {int(o['value'])} ({o['id']}, {o['claimant']})" for o in differing]
        entry["alternatives"] = "; ".join(filter(None, [entry["alternatives"], *alt]))
    result = pd.DataFrame(list(out.values()), columns=columns)
    result["date"] = pd.to_datetime(result["date"])
    for col in ("to_ukraine", "to_russia", "civilians_to_ukraine", "civilians_to_russia"):
        result[col] = pd.array(result[col].tolist(), dtype="Int64")
    for col in ("ukraine_id", "russia_id", "alternatives"):
        result[col] = result[col].astype("string")
    for col in ("disputed", "claims_only", "civilians_in_count"):
        result[col] = result[col].astype(bool)
    return result.sort_values("date", ignore_index=True)


def returned_totals(df: pd.DataFrame) -> pd.DataFrame:
    """Per side: what the listed exchanges add up to, next to the latest announced total.

    The two numbers differ on purpose: the dataset lists only the exchanges a source could be
    found for, while governments announce totals over all exchanges. The sum is therefore a
    lower bound, never the total. Index: side; columns: ``exchanges_listed``,
    ``sum_of_listed``, ``first_exchange``, ``last_exchange``, ``announced_total``,
    ``announced_on``, ``announced_by``, ``announced_id``.
    """
    pairs = exchanges(df)
    announced = df[(df["counts"] == "cumulative_returned").fillna(False)]
    records = []
    for side in SIDES:
        col = f"to_{side}"
        got = pairs[pairs[col].notna()] if not pairs.empty else pairs
        latest = announced[(announced["soldiers_of"] == side).fillna(False)]
        latest = latest.sort_values(["date", "published"]).tail(1)
        records.append(
            {
                "side": side,
                "exchanges_listed": len(got),
                "sum_of_listed": int(got[col].sum()) if len(got) else 0,
                "first_exchange": got["date"].min() if len(got) else pd.NaT,
                "last_exchange": got["date"].max() if len(got) else pd.NaT,
                "announced_total": int(latest["value"].iloc[0]) if len(latest) else pd.NA,
                "announced_on": latest["date"].iloc[0] if len(latest) else pd.NaT,
                "announced_by": latest["claimant"].iloc[0] if len(latest) else pd.NA,
                "announced_id": latest["id"].iloc[0] if len(latest) else pd.NA,
            }
        )
    out = pd.DataFrame(records).set_index("side")
    out["exchanges_listed"] = out["exchanges_listed"].astype("Int64")
    out["sum_of_listed"] = out["sum_of_listed"].astype("Int64")
    out["announced_total"] = pd.array(out["announced_total"].tolist(), dtype="Int64")
    return out


def repatriation_durations(df: pd.DataFrame) -> pd.DataFrame:
    """Days from the end of hostilities to the last repatriation, where both dates are known.

    Rows missing either date are left out (a gap stays a gap). Adds ``days_to_complete`` and
    ``days_to_start`` (negative when repatriation began before hostilities ended, as with
    exchanges of sick and wounded during a war).
    """
    known = df[df["hostilities_ended"].notna() & df["repatriation_completed"].notna()].copy()
    known["days_to_complete"] = (
        known["repatriation_completed"] - known["hostilities_ended"]
    ).dt.days
    known["days_to_start"] = (known["repatriation_started"] - known["hostilities_ended"]).dt.days
    known["days_to_start"] = known["days_to_start"].astype("Int64")
    known["days_to_complete"] = known["days_to_complete"].astype("Int64")
    return known


def sources(df: pd.DataFrame) -> pd.DataFrame:
    """The distinct sources behind a frame: title, publisher, URL and date, oldest first."""
    cols = ["source_title", "publisher", "url", "published"]
    return (
        df[cols]
        .drop_duplicates(subset=["url"])
        .sort_values(["published", "publisher"])
        .reset_index(drop=True)
    )


def publishers(df: pd.DataFrame) -> list[str]:
    """The distinct publishers behind a frame, in order of first appearance (for a source line)."""
    return list(dict.fromkeys(str(p) for p in df["publisher"].dropna()))


# --------------------------------------------------------------------------- HTML for notebooks

_CLAIM_WORDS = {
    "party_claim": "claim by a party to the conflict",
    "independent": "independent report",
    "media": "media report or estimate",
}


def _fmt_day(value) -> str:
    if pd.isna(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def _civilian_words(row: pd.Series) -> str:
    """', including 6 civilians' / ', and 20 civilians besides' / '' for one figures row."""
    count = row.get("civilians", pd.NA)
    included = row.get("civilians_in_value", pd.NA)
    if pd.isna(included):
        return ""
    if str(included) == "no":
        return f", and {int(count):,} civilians besides"
    if pd.isna(count):
        return ", including civilians (number not given)"
    return f", including {int(count):,} civilians"


def figure_html(df: pd.DataFrame, *ids: str) -> str:
    """The named rows as sentences a reader can check: who said what, when, and where.

    Every piece of text is HTML-escaped: the dataset is data, not markup.
    """
    known = set(df["id"])
    wrong = [i for i in ids if i not in known]
    if wrong:
        raise KeyError(
            f"no row with id {', '.join(wrong)} in {df.attrs.get('path', 'the data')}; "
            f"ids look like {df['id'].iloc[0]}"
        )
    chosen = df[df["id"].isin(ids)] if ids else df
    items = []
    for _, r in chosen.iterrows():
        whose = str(r["soldiers_of"])
        if whose == "both":
            side = " (both sides together)"
        elif str(r["event_type"]) == "prisoner_exchange":
            side = f" (returned to {whose.title()})"
        else:
            side = f" ({whose.title()}'s soldiers)"
        side += _civilian_words(r)
        items.append(
            "<li><b>{claimant}</b> ({kind}): <b>{value:,}</b>{side}, counted as "
            "<code>{counts}</code>, figure dated {day}. <i>{title}</i>, {pub}, {published}, "
            '<a href="{url}" target="_blank" rel="noopener noreferrer">{url_text}</a>'
            " [{ident}]{note}</li>".format(
                claimant=html.escape(str(r["claimant"])),
                kind=html.escape(_CLAIM_WORDS[str(r["claimant_type"])]),
                value=int(r["value"]),
                side=html.escape(side),
                counts=html.escape(str(r["counts"])),
                day=_fmt_day(r["date"]),
                title=html.escape(str(r["source_title"])),
                pub=html.escape(str(r["publisher"])),
                published=_fmt_day(r["published"]),
                url=html.escape(str(r["url"]), quote=True),
                url_text=html.escape(str(r["url"])),
                ident=html.escape(str(r["id"])),
                note=("<br><small>Note: " + html.escape(str(r["note"])) + "</small>")
                if not pd.isna(r["note"])
                else "",
            )
        )
    return '<ul class="powkit-figures">' + "".join(items) + "</ul>"


def _row_sources(table: pd.DataFrame) -> list[Source]:
    return [
        Source(
            title=str(r.source_title),
            publisher=str(r.publisher),
            url=str(r.url),
            date=_fmt_day(r.published),
        )
        for r in table.itertuples()
    ]


def further_reading_html(*frames: pd.DataFrame) -> str:
    """A list of every source behind the given frames, with publisher, date and URL."""
    table = pd.concat([sources(f) for f in frames]).drop_duplicates(subset=["url"])
    table = table.sort_values(["published", "publisher"])
    return plain_list(
        (source_item(s) for s in _row_sources(table)), cls="powkit-reading", ordered=True
    )


def show_figures(*ids: str, df: pd.DataFrame | None = None) -> HTMLView:
    """The named rows of the figures dataset (all rows if none named), as sentences a reader
    can check; shows itself in a notebook, prints as text."""
    frame = df if df is not None else load_figures()
    chosen = frame[frame["id"].isin(ids)] if ids else frame
    text = "\n".join(
        f"{r.claimant} ({_CLAIM_WORDS[str(r.claimant_type)]}): {int(r.value):,} "
        f"({r.soldiers_of}), counted as {r.counts}, figure dated {_fmt_day(r.date)}. "
        f"{r.source_title}, {r.publisher}, {_fmt_day(r.published)}, {r.url} [{r.id}]"
        for r in chosen.itertuples()
    )
    return HTMLView(figure_html(frame, *ids), text)


def show_further_reading() -> HTMLView:
    """Every source of both datasets, oldest first; shows itself in a notebook."""
    frames = [load_figures()]
    if repatriations_path().exists():
        frames.append(load_repatriations())
    table = pd.concat([sources(f) for f in frames]).drop_duplicates(subset=["url"])
    table = table.sort_values(["published", "publisher"])
    text = "\n".join(f"{s.title}, {s.publisher}, {s.date}. {s.url}" for s in _row_sources(table))
    return HTMLView(further_reading_html(*frames), text)
