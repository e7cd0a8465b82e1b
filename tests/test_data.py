"""powkit.data: the datasets load with proper dtypes, and every rule rejects a broken file.

Each broken example is a small valid file with one cell (or line) spoiled, written into tmp_path,
and the test checks that the error names the file, the line and the column. The fixture rows
are obviously fictional (example.org, "Fixture ..."): they are test data, not facts.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from powkit import data
from powkit.data import DataError

FIG_HEADER = list(data.FIGURE_COLUMNS)
REP_HEADER = list(data.REPATRIATION_COLUMNS)


def fig_row(i: int, **changes: str) -> dict[str, str]:
    row = {
        "id": f"fx-{i:03d}",
        "date": f"2022-0{1 + i % 8}-1{i % 9}",
        "event_type": "prisoner_exchange",
        "claimant": "Fixture side A",
        "claimant_type": "party_claim",
        "soldiers_of": "ukraine" if i % 2 else "russia",
        "value": str(10 * i),
        "counts": "returned_in_exchange",
        "source_title": f"Fixture report {i}",
        "publisher": "Fixture Press",
        "url": f"https://example.org/report/{i}",
        "published": "2022-12-31",
        "note": "",
    }
    row.update(changes)
    return row


def rep_row(i: int, **changes: str) -> dict[str, str]:
    row = {
        "id": f"fr-{i:02d}",
        "conflict": f"Fixture war {i}",
        "detaining_context": "side A",
        "prisoners_held": str(100 * i),
        "hostilities_ended": "2000-01-10",
        "repatriation_started": "2000-02-01",
        "repatriation_completed": "2000-06-30",
        "date_precision": "day",
        "source_title": f"Fixture history {i}",
        "publisher": "Fixture Journal",
        "url": f"https://example.org/history/{i}",
        "published": "2001-01-01",
        "note": "",
    }
    row.update(changes)
    return row


def write_csv(path, header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return str(path)


def figures_file(tmp_path, *rows, header=FIG_HEADER, name="figures.csv"):
    rows = rows or tuple(fig_row(i) for i in range(1, 5))
    return write_csv(tmp_path / name, header, rows)


def repatriations_file(tmp_path, *rows, header=REP_HEADER):
    rows = rows or tuple(rep_row(i) for i in range(1, 4))
    return write_csv(tmp_path / "repatriations.csv", header, rows)


def broken_figures(tmp_path, line: int, **changes: str) -> str:
    """Four valid rows, with the row on `line` (2 = first data row) changed."""
    rows = [fig_row(i) for i in range(1, 5)]
    rows[line - 2] = fig_row(line - 1, **changes)
    return figures_file(tmp_path, *rows)


def assert_error(excinfo, path: str, line: int, column: str | None, *words: str) -> None:
    err = excinfo.value
    message = str(err)
    assert err.path == path and err.line == line and err.column == column, message
    prefix = f"{path}: line {line}" + (f": {column}" if column else "")
    assert message.startswith(prefix + ": "), message
    for word in words:
        assert word in message, message


# --------------------------------------------------------------------------- valid files


def test_valid_figures_load_with_proper_dtypes(tmp_path):
    df = data.load_figures(figures_file(tmp_path))
    assert list(df.columns) == FIG_HEADER
    assert len(df) == 4
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert pd.api.types.is_datetime64_any_dtype(df["published"])
    assert str(df["value"].dtype) == "Int64"
    for col in ("event_type", "claimant_type", "soldiers_of", "counts"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert list(df["event_type"].cat.categories) == list(data.EVENT_TYPES)
    assert list(df["claimant_type"].cat.categories) == list(data.CLAIMANT_TYPES)
    assert df["note"].isna().all()  # an empty note is missing, not ""
    assert df.attrs["lines"] == {"fx-001": 2, "fx-002": 3, "fx-003": 4, "fx-004": 5}


def test_line_numbers_count_physical_lines_of_multiline_notes(tmp_path):
    rows = [fig_row(1, note="first line\nsecond line"), fig_row(2), fig_row(3, value="-3")]
    path = figures_file(tmp_path, *rows)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, "value")


def test_valid_repatriations_load_with_proper_dtypes(tmp_path):
    rows = [
        rep_row(1),
        rep_row(2, prisoners_held="", repatriation_completed=""),
        rep_row(
            3,
            date_precision="month",
            hostilities_ended="1990-06",
            repatriation_started="",
            repatriation_completed="1995-03",
        ),
    ]
    df = data.load_repatriations(repatriations_file(tmp_path, *rows))
    assert str(df["prisoners_held"].dtype) == "Int64"
    assert df["prisoners_held"].isna().tolist() == [False, True, False]
    for col in ("hostilities_ended", "repatriation_started", "repatriation_completed", "published"):
        assert pd.api.types.is_datetime64_any_dtype(df[col]), col
    assert isinstance(df["date_precision"].dtype, pd.CategoricalDtype)
    assert df.loc[2, "hostilities_ended"] == pd.Timestamp("1990-06-01")
    assert pd.isna(df.loc[1, "repatriation_completed"])  # a gap stays a gap


def test_default_paths_follow_powkit_data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    figures_file(folder, name=data.FIGURES_FILE)
    monkeypatch.setenv("POWKIT_DATA", str(folder))
    assert data.figures_path() == folder / data.FIGURES_FILE
    assert len(data.load_figures()) == 4


def test_error_names_the_file_as_the_reader_knows_it(tmp_path, monkeypatch):
    """The example from the issue: data/ru-ua-pow-figures.csv: line 14: value: ..."""
    folder = tmp_path / "data"
    folder.mkdir()
    rows = [fig_row(i) for i in range(1, 16)]
    rows[12] = fig_row(13, value="-3")
    write_csv(folder / data.FIGURES_FILE, FIG_HEADER, rows)
    monkeypatch.setenv("POWKIT_DATA", str(folder))
    with pytest.raises(DataError) as excinfo:
        data.load_figures()
    assert str(excinfo.value).startswith(
        "data/ru-ua-pow-figures.csv: line 14: value: '-3' is not a non-negative whole number"
    )


# --------------------------------------------------------------------------- one broken example per rule


def test_missing_file_says_where_it_should_be(tmp_path):
    with pytest.raises(FileNotFoundError, match="dataset not found"):
        data.load_figures(tmp_path / "nope.csv")


def test_rule_required_column(tmp_path):
    header = [c for c in FIG_HEADER if c != "publisher"]
    path = figures_file(tmp_path, header=header)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 1, "publisher", "required column missing")


def test_rule_header_column_twice(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(",".join(FIG_HEADER + ["value"]) + "\n")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, str(path), 1, "value", "appears twice")


def test_rule_empty_file(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text("")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, str(path), 1, None, "empty file")


def test_rule_no_data_rows(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(",".join(FIG_HEADER) + "\n")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, str(path), 2, None, "no data rows")


def test_rule_field_count(tmp_path):
    path = figures_file(tmp_path)
    lines = (tmp_path / "figures.csv").read_text().splitlines()
    lines[2] = lines[2] + ",surplus"
    (tmp_path / "figures.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    n = len(FIG_HEADER)
    assert_error(excinfo, path, 3, None, f"{n + 1} fields but the header has {n}", "double quotes")


def test_rule_required_cell(tmp_path):
    path = broken_figures(tmp_path, 4, claimant="")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, "claimant", "empty")


def test_civilian_columns_may_be_left_out_of_an_older_file(tmp_path):
    """An instructor's file written before the civilian columns existed still loads."""
    header = [c for c in FIG_HEADER if c not in data.FIGURE_OPTIONAL_COLUMNS]
    df = data.load_figures(figures_file(tmp_path, header=header))
    assert list(df.columns) == FIG_HEADER
    assert df["civilians"].isna().all() and df["civilians_in_value"].isna().all()


def test_civilian_cells_load_as_number_and_category(tmp_path):
    rows = [
        fig_row(1, civilians="8", civilians_in_value="no"),
        fig_row(2, value="41", civilians="13", civilians_in_value="yes"),
        fig_row(3, civilians_in_value="yes"),  # civilians included, number not given
        fig_row(4),
    ]
    df = data.load_figures(figures_file(tmp_path, *rows))
    assert str(df["civilians"].dtype) == "Int64"
    assert isinstance(df["civilians_in_value"].dtype, pd.CategoricalDtype)
    assert df["civilians"].tolist()[:2] == [8, 13]
    assert df["civilians_in_value"].astype(str).tolist()[:3] == ["no", "yes", "yes"]
    assert "and 8 civilians besides" in data.figure_html(df, "fx-001")
    assert "including 13 civilians" in data.figure_html(df, "fx-002")
    assert "number not given" in data.figure_html(df, "fx-003")


@pytest.mark.parametrize("bad", ["-2", "a few", "2.5"])
def test_rule_civilians_is_a_whole_number(tmp_path, bad):
    path = broken_figures(tmp_path, 3, civilians=bad, civilians_in_value="no")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 3, "civilians", "not a non-negative whole number")


def test_rule_civilians_in_value_is_yes_or_no(tmp_path):
    path = broken_figures(tmp_path, 4, civilians="3", civilians_in_value="partly")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, "civilians_in_value", "'partly' is not one of: yes, no")


def test_rule_civilians_need_to_say_whether_value_includes_them(tmp_path):
    path = broken_figures(tmp_path, 2, civilians="12")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 2, "civilians_in_value", "civilians is 12", "yes", "no")


def test_rule_civilians_besides_value_need_a_number(tmp_path):
    path = broken_figures(tmp_path, 3, civilians_in_value="no")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 3, "civilians", "civilians_in_value is 'no'")


def test_rule_civilians_included_cannot_exceed_value(tmp_path):
    path = broken_figures(tmp_path, 5, value="30", civilians="31", civilians_in_value="yes")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, "civilians", "31 civilians cannot be part of a value of 30")


@pytest.mark.parametrize("column,cell", [("civilians", "4"), ("civilians_in_value", "yes")])
def test_rule_civilians_only_on_exchange_rows(tmp_path, column, cell):
    changes = {"event_type": "capture_claim", "counts": "cumulative_claimed_captures"}
    changes.update({column: cell})
    if column == "civilians":
        changes["civilians_in_value"] = ""
    path = broken_figures(tmp_path, 4, **changes)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, column, "capture_claim row", "leave it empty")


@pytest.mark.parametrize("bad", ["16/03/2022", "2022-3-16", "March 2022", "2022-03"])
def test_rule_date_format(tmp_path, bad):
    path = broken_figures(tmp_path, 3, date=bad)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 3, "date", repr(bad), "YYYY-MM-DD")


def test_rule_date_must_exist(tmp_path):
    path = broken_figures(tmp_path, 5, date="2022-02-30")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, "date", "not a real calendar date")


def test_rule_published_required(tmp_path):
    path = broken_figures(tmp_path, 2, published="")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 2, "published", "empty")


def test_rule_published_not_before_the_figure(tmp_path):
    path = broken_figures(tmp_path, 3, date="2023-05-01", published="2023-04-30")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 3, "published", "before the date the figure refers to")


@pytest.mark.parametrize("bad", ["-3", "12.5", "1,000", "about 600", "1e3"])
def test_rule_non_negative_whole_number(tmp_path, bad):
    path = broken_figures(tmp_path, 4, value=bad)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, "value", f"{bad!r} is not a non-negative whole number")


def test_rule_value_required(tmp_path):
    path = broken_figures(tmp_path, 2, value="")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 2, "value", "empty")


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("event_type", "capture"),
        ("event_type", "Prisoner_exchange"),
        ("claimant_type", "verified"),
        ("soldiers_of", "belarus"),
        ("soldiers_of", ""),
    ],
)
def test_rule_allowed_categories(tmp_path, column, bad):
    path = broken_figures(tmp_path, 3, **{column: bad})
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 3, column, "is not one of")


@pytest.mark.parametrize("bad", ["Returned in exchange", "returned-in-exchange", "_held"])
def test_rule_counts_is_a_snake_case_label(tmp_path, bad):
    path = broken_figures(tmp_path, 5, counts=bad)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, "counts", "snake_case")


@pytest.mark.parametrize(
    "bad",
    [
        "www.example.org/a",
        "ftp://example.org/a",
        "https://",
        "see Reuters",
        "https://example.org/a b",
    ],
)
def test_rule_url_is_a_web_address(tmp_path, bad):
    path = broken_figures(tmp_path, 4, url=bad)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, "url", "not a web address")


def test_rule_url_required(tmp_path):
    path = broken_figures(tmp_path, 4, url="")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 4, "url", "empty")


def test_rule_unique_ids(tmp_path):
    path = broken_figures(tmp_path, 5, id="fx-002")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, "id", "already used on line 3")


def test_rule_no_duplicate_rows(tmp_path):
    rows = [fig_row(1), fig_row(2), fig_row(3), fig_row(2, id="fx-999")]
    path = figures_file(tmp_path, *rows)
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, path, 5, None, "duplicate row", "line 3")


def test_rule_malformed_quotes(tmp_path):
    path = figures_file(tmp_path)
    lines = (tmp_path / "figures.csv").read_text().splitlines()
    lines[1] = lines[1].replace("Fixture report 1", 'Fixture "report" 1"x')
    lines[1] = lines[1].replace(',Fixture "report', ',"Fixture "report')
    (tmp_path / "figures.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert excinfo.value.path == path and excinfo.value.line == 2


def test_rule_utf8(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes((",".join(FIG_HEADER) + "\n").encode() + "café".encode("latin-1") + b"\n")
    with pytest.raises(DataError) as excinfo:
        data.load_figures(path)
    assert_error(excinfo, str(path), 1, None, "UTF-8")


# repatriations: the rules that differ from the figures file


def test_repatriations_rule_required_column(tmp_path):
    header = [c for c in REP_HEADER if c != "date_precision"]
    path = repatriations_file(tmp_path, header=header)
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 1, "date_precision", "required column missing")


@pytest.mark.parametrize("bad", ["-1", "90,000", "about 90000"])
def test_repatriations_rule_prisoners_held_whole_number(tmp_path, bad):
    path = repatriations_file(tmp_path, rep_row(1), rep_row(2, prisoners_held=bad))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 3, "prisoners_held", "non-negative whole number")


def test_repatriations_rule_date_precision_category(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1, date_precision="approx"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 2, "date_precision", "is not one of: day, month, year")


def test_repatriations_rule_date_matches_precision(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1), rep_row(2, hostilities_ended="1990-06"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 3, "hostilities_ended", "date_precision is 'day'")


def test_repatriations_rule_real_dates(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1, repatriation_started="2000-13-01"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 2, "repatriation_started", "not a real calendar date")


def test_repatriations_rule_completed_not_before_started(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1, repatriation_completed="2000-01-31"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 2, "repatriation_completed", "before repatriation_started")


def test_repatriations_rule_url_and_published(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1, url="icrc.org"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 2, "url", "not a web address")
    path = repatriations_file(tmp_path, rep_row(1, published="2001"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 2, "published", "YYYY-MM-DD")


def test_repatriations_rule_unique_ids_and_rows(tmp_path):
    path = repatriations_file(tmp_path, rep_row(1), rep_row(2, id="fr-01"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 3, "id", "already used on line 2")
    path = repatriations_file(tmp_path, rep_row(1), rep_row(1, id="fr-02"))
    with pytest.raises(DataError) as excinfo:
        data.load_repatriations(path)
    assert_error(excinfo, path, 3, None, "duplicate row")


# --------------------------------------------------------------------------- lesson helpers


def exchange_fixture(tmp_path) -> pd.DataFrame:
    rows = [
        # day 1: both sides report 10 each way
        fig_row(
            1,
            date="2022-04-01",
            claimant="Sideland: ministry",
            soldiers_of="ukraine",
            value="10",
            published="2022-04-01",
        ),
        fig_row(
            2,
            date="2022-04-01",
            claimant="Otherland: ministry",
            soldiers_of="russia",
            value="10",
            published="2022-04-01",
        ),
        # day 2: the sides disagree about the number returned to Ukraine
        fig_row(
            3,
            date="2022-05-01",
            claimant="Otherland: ministry",
            soldiers_of="ukraine",
            value="40",
            published="2022-05-01",
        ),
        fig_row(
            4,
            date="2022-05-01",
            claimant="Ukraine: fixture office",
            soldiers_of="ukraine",
            value="42",
            civilians="2",
            civilians_in_value="yes",
            published="2022-05-01",
        ),
        fig_row(
            5,
            date="2022-05-01",
            claimant="Russia: fixture office",
            soldiers_of="russia",
            value="35",
            published="2022-05-01",
        ),
        # day 3: only one side's count is known -- a gap, not a zero
        fig_row(
            6,
            date="2022-06-01",
            claimant="Ukraine: fixture office",
            soldiers_of="ukraine",
            value="7",
            published="2022-06-01",
        ),
        fig_row(
            7,
            date="2022-06-02",
            claimant="Ukraine: fixture office",
            soldiers_of="ukraine",
            value="100",
            counts="cumulative_returned",
            published="2022-06-02",
        ),
        fig_row(
            8,
            date="2022-06-20",
            claimant="Fixture monitors",
            claimant_type="independent",
            soldiers_of="both",
            value="5",
            event_type="report_finding",
            counts="interviewed",
            published="2022-06-30",
        ),
    ]
    return data.load_figures(figures_file(tmp_path, *rows))


def test_exchanges_pairs_sides_and_keeps_gaps_and_disputes(tmp_path):
    pairs = data.exchanges(exchange_fixture(tmp_path))
    assert pairs["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-04-01",
        "2022-05-01",
        "2022-06-01",
    ]
    assert pairs["to_ukraine"].tolist() == [10, 42, 7]
    assert pairs["to_russia"].tolist()[:2] == [10, 35]
    assert pd.isna(pairs["to_russia"].iloc[2])
    assert pairs["disputed"].tolist() == [False, True, False]
    assert "40" in pairs["alternatives"].iloc[1] and "fx-003" in pairs["alternatives"].iloc[1]
    assert pairs["ukraine_id"].iloc[1] == "fx-004"  # the receiving side's own count
    assert pairs["civilians_to_ukraine"].tolist()[1] == 2  # the chosen row's civilians
    assert pd.isna(pairs["civilians_to_ukraine"].iloc[0])  # none named: a gap, not a zero
    assert pairs["civilians_in_count"].tolist() == [False, True, False]


def test_returned_totals_separate_listed_sum_from_announced_total(tmp_path):
    totals = data.returned_totals(exchange_fixture(tmp_path))
    assert totals.loc["ukraine", "exchanges_listed"] == 3
    assert totals.loc["ukraine", "sum_of_listed"] == 59
    assert totals.loc["ukraine", "announced_total"] == 100
    assert totals.loc["ukraine", "announced_id"] == "fx-007"
    assert totals.loc["russia", "sum_of_listed"] == 45
    assert pd.isna(totals.loc["russia", "announced_total"])


def test_repatriation_durations_leave_unknown_out(tmp_path):
    rows = [
        rep_row(1),
        rep_row(2, repatriation_completed=""),
        rep_row(3, hostilities_ended="2000-03-01"),
    ]
    df = data.load_repatriations(repatriations_file(tmp_path, *rows))
    durations = data.repatriation_durations(df)
    assert durations["id"].tolist() == ["fr-01", "fr-03"]
    assert durations["days_to_complete"].tolist() == [172, 121]
    assert durations["days_to_start"].tolist() == [22, -29]


def test_figure_html_escapes_the_data(tmp_path):
    rows = [fig_row(1, claimant="<script>alert(1)</script>", note="a & b")]
    df = data.load_figures(figures_file(tmp_path, *rows))
    out = data.figure_html(df, "fx-001")
    assert "<script>" not in out and "&lt;script&gt;" in out and "a &amp; b" in out
    with pytest.raises(KeyError, match="no row with id nope"):
        data.figure_html(df, "nope")
    reading = data.further_reading_html(df)
    assert "https://example.org/report/1" in reading and "31 December 2022" in reading


# --------------------------------------------------------------------------- the shipped files


def test_shipped_figures_load_and_are_sourced():
    df = data.load_figures()
    assert len(df) >= 10
    assert df["url"].str.match(r"https?://").all()
    assert df["published"].notna().all() and df["date"].notna().all()
    assert df["id"].is_unique
    assert set(df["event_type"].dropna()) <= set(data.EVENT_TYPES)


def test_shipped_figures_hold_the_case_figure():
    """The lesson's case: Ukraine's claim of about 600 captured Russian soldiers, March 2022."""
    df = data.load_figures()
    case = df[
        (df["event_type"] == "capture_claim")
        & (df["soldiers_of"] == "russia")
        & (df["date"] <= "2022-03-31")
        & (df["claimant_type"] == "party_claim")
    ]
    assert (case["value"] == 600).any()


def test_shipped_exchanges_pair_every_exchange_row():
    df = data.load_figures()
    rows = data.exchange_rows(df)
    pairs = data.exchanges(df)
    chosen = set(pairs["ukraine_id"].dropna()) | set(pairs["russia_id"].dropna())
    assert chosen <= set(rows["id"])
    assert len(pairs) == rows["date"].nunique()
    totals = data.returned_totals(df)
    for side in data.SIDES:
        assert totals.loc[side, "sum_of_listed"] == pairs[f"to_{side}"].sum()


def test_shipped_repatriations_load_and_are_sourced():
    df = data.load_repatriations()
    assert len(df) >= 3
    assert df["url"].str.match(r"https?://").all()
    assert df["published"].notna().all()
    assert df["id"].is_unique


def test_shipped_pairings_name_the_other_side_of_the_same_day():
    """'Paired with rua-NNN' in a note must point at a row of the same day for the other side."""
    df = data.load_figures().set_index("id")
    for ident, row in df.iterrows():
        for other in re.findall(r"Paired with (rua-\d{3})", str(row["note"])):
            assert other in df.index, (ident, other)
            partner = df.loc[other]
            assert partner["date"] == row["date"], (ident, other)
            assert (partner["soldiers_of"], partner["counts"]) != (
                row["soldiers_of"],
                row["counts"],
            ) or partner["claimant"] != row["claimant"], (ident, other)


def test_every_row_id_the_kit_cites_exists():
    """Lessons, exercises, instructor notes and the case file cite rows by id; none may dangle."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    figures = set(data.load_figures()["id"])
    repatriations = set(data.load_repatriations()["id"])
    files = [
        *root.glob("notebooks/*.ipynb"),
        *root.glob("solutions/*.ipynb"),
        *root.glob("exercises/*.ipynb"),
        *root.glob("instructor/*.md"),
        *root.glob("data/case/*.yaml"),
        root / "data" / "README.md",
    ]
    assert files
    for path in files:
        text = Path(path).read_text(encoding="utf-8")
        for ident in re.findall(r"\brua-\d{3}\b", text):
            assert ident in figures, f"{path.name} cites {ident}, which is not in the dataset"
        for ident in re.findall(r"\bhist-\d{2}\b", text):
            assert ident in repatriations, f"{path.name} cites {ident}, not in the dataset"


def test_shipped_repatriations_count_sick_and_wounded_as_the_start():
    """The file's rule: a repatriation that began before hostilities ended is of the sick and
    wounded (GCIII 109), and its note says so."""
    df = data.load_repatriations()
    early = df[df["repatriation_started"] < df["hostilities_ended"]]
    assert len(early) >= 2  # Korea (Little Switch) and Iran-Iraq (1981)
    for row in early.itertuples():
        assert re.search(r"sick|wounded", row.note), row.id
    assert df["hostilities_ended"].notna().all()


def test_shipped_exchange_civilians_are_recorded_not_hidden():
    """Where a note speaks of civilians returned in an exchange, the civilian columns say so."""
    df = data.load_figures()
    rows = data.exchange_rows(df)
    flagged = rows[rows["civilians_in_value"].notna()]
    assert len(flagged) >= 20
    pairs = data.exchanges(df)
    assert pairs["civilians_to_ukraine"].notna().sum() >= 15
