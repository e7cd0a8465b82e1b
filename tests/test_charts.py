"""powkit.charts: every chart renders headless, with title, labelled axes, sources and alt text,
and draws exactly one mark per data row it claims to show.

Expected counts are computed here from the rows with plain pandas filters, not with the helpers
the charts use, so that a chart that drops or duplicates a row fails.
"""

from __future__ import annotations

import datetime as dt
import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from test_data import fig_row, figures_file, rep_row, repatriations_file

from powkit import charts, data

OKABE = {c.lower() for c in charts.OKABE_ITO.values()}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def small_figures(tmp_path) -> pd.DataFrame:
    """A tiny, obviously fictional dataset with every kind of row the charts handle."""
    rows = [
        fig_row(
            1,
            date="2022-03-16",
            event_type="capture_claim",
            claimant="Ukraine: fixture",
            soldiers_of="russia",
            value="600",
            counts="cumulative_claimed_captures",
            published="2022-03-17",
            publisher="Fixture Daily",
        ),
        fig_row(
            2,
            date="2022-04-01",
            claimant="Ukraine: fixture",
            soldiers_of="ukraine",
            value="10",
            published="2022-04-01",
            publisher="Fixture Wire",
        ),
        fig_row(
            3,
            date="2022-04-01",
            claimant="Russia: fixture",
            soldiers_of="russia",
            value="12",
            published="2022-04-01",
            publisher="Fixture Wire",
        ),
        fig_row(
            4,
            date="2022-06-01",
            claimant="Ukraine: fixture",
            soldiers_of="ukraine",
            value="50",
            published="2022-06-01",
        ),
        fig_row(
            5,
            date="2022-06-01",
            claimant="Russia: fixture",
            soldiers_of="ukraine",
            value="45",
            published="2022-06-02",
        ),
        fig_row(
            6,
            date="2022-06-01",
            claimant="Russia: fixture",
            soldiers_of="russia",
            value="50",
            published="2022-06-02",
        ),
        fig_row(
            7,
            date="2022-07-01",
            claimant="Ukraine: fixture",
            soldiers_of="ukraine",
            value="900",
            counts="cumulative_returned",
            published="2022-07-01",
        ),
        fig_row(
            8,
            date="2022-08-01",
            event_type="holding_estimate",
            claimant="Fixture monitors",
            claimant_type="independent",
            soldiers_of="ukraine",
            value="300",
            counts="held_at_date",
            published="2022-09-01",
            publisher="Fixture Monitor",
        ),
        fig_row(
            9,
            date="2022-08-15",
            event_type="report_finding",
            claimant="Fixture monitors",
            claimant_type="independent",
            soldiers_of="both",
            value="40",
            counts="interviewed",
            published="2022-09-01",
            publisher="Fixture Monitor",
        ),
        fig_row(
            10,
            date="2022-09-01",
            event_type="holding_estimate",
            claimant="Fixture paper",
            claimant_type="media",
            soldiers_of="russia",
            value="200",
            counts="held_at_date",
            published="2022-09-02",
            publisher="Fixture Paper",
        ),
    ]
    return data.load_figures(figures_file(tmp_path, *rows))


@pytest.fixture
def small_repatriations(tmp_path) -> pd.DataFrame:
    rows = [
        rep_row(1),
        rep_row(
            2,
            date_precision="month",
            hostilities_ended="1990-06",
            repatriation_started="1990-05",
            repatriation_completed="2004-03",
        ),
        rep_row(3, repatriation_completed=""),
    ]
    return data.load_repatriations(repatriations_file(tmp_path, *rows))


@pytest.fixture
def shipped_figures() -> pd.DataFrame:
    return data.load_figures()


# --------------------------------------------------------------------------- counting helpers


def points(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def bars(ax) -> int:
    return sum(len(c) for c in ax.containers if isinstance(c, BarContainer))


def expected_exchange_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df[
        (df["event_type"] == "prisoner_exchange")
        & (df["counts"] == "returned_in_exchange")
        & df["soldiers_of"].isin(["russia", "ukraine"])
    ]


def check_common(fig, *, n_axes: int, title_words: str, publishers: list[str]) -> None:
    """Title, labelled axes with units, the source line inside the figure, alt text."""
    assert len(fig.axes) == n_axes
    assert title_words.lower() in fig.get_suptitle().lower()
    for ax in fig.axes:
        assert ax.get_ylabel().strip(), "every axis needs a label"
    assert fig.axes[-1].get_xlabel().strip()
    assert any(
        unit in " ".join(ax.get_ylabel() + ax.get_xlabel() for ax in fig.axes)
        for unit in ("persons", "days")
    )
    source = [t for t in fig.texts if t.get_gid() == "powkit-sources"]
    assert len(source) == 1
    text = source[0].get_text().replace("\n", " ")
    assert text.startswith("Sources: ")
    for name in publishers:
        assert name in text, name
    assert list(fig.sources) == publishers
    alt = charts.describe(fig)
    assert len(alt) > 80 and alt == fig.alt_text and str(fig).endswith(alt)
    html = charts.chart_html(fig)
    assert html.startswith('<figure class="powkit-chart"') and 'alt="' in html
    assert "data:image/png;base64," in html


def colours_of(ax) -> set[str]:
    found = set()
    for c in ax.collections:
        if isinstance(c, PathCollection):
            found |= {to_hex(e) for e in c.get_edgecolors()}
    return found


# --------------------------------------------------------------------------- (1) returns


def test_returned_over_time_from_fixture(small_figures):
    fig = charts.returned_over_time(small_figures)
    top, bottom = fig.axes
    check_common(
        fig,
        n_axes=2,
        title_words="returned to each side",
        publishers=data.publishers(
            small_figures[
                small_figures["id"].isin(
                    ["fx-002", "fx-003", "fx-004", "fx-005", "fx-006", "fx-007"]
                )
            ]
        ),
    )
    # 5 exchange rows: 4 bars (2 days x 2 sides) and 1 extra point for the disputed count
    assert bars(top) == 4
    assert points(top) == 1
    # step lines: one per side, one vertex per exchange day
    steps = {line.get_gid(): len(line.get_xdata()) for line in bottom.get_lines()}
    assert steps == {"powkit-running-ukraine": 2, "powkit-running-russia": 2}
    ukraine = next(line for line in bottom.get_lines() if line.get_gid().endswith("ukraine"))
    assert list(ukraine.get_ydata()) == [10, 60]  # 10, then 10 + 50: a running sum, no more
    assert points(bottom) == 1  # the announced cumulative total
    assert "1 June 2022" in charts.describe(fig)  # the disputed day is named in the alt text
    assert colours_of(top) <= OKABE and colours_of(bottom) <= OKABE


def test_returned_over_time_marks_claims_differently(small_figures):
    fig = charts.returned_over_time(small_figures)
    top = fig.axes[0]
    hatched = [p for c in top.containers for p in c.patches if p.get_hatch()]
    assert len(hatched) == 4  # every bar in the fixture is a party's claim
    hollow = [c for c in top.collections if isinstance(c, PathCollection)]
    assert all(to_hex(fc) == "#ffffff" for c in hollow for fc in c.get_facecolors())


def test_returned_over_time_from_shipped_data(shipped_figures):
    fig = charts.returned_over_time(shipped_figures)
    top, bottom = fig.axes
    rows = expected_exchange_rows(shipped_figures)
    n_bars = len(rows.drop_duplicates(subset=["date", "soldiers_of"]))
    assert bars(top) == n_bars
    assert bars(top) + points(top) == len(rows)
    cumulative = shipped_figures[shipped_figures["counts"] == "cumulative_returned"]
    assert points(bottom) == len(cumulative)
    used = pd.concat([rows, cumulative])
    check_common(
        fig,
        n_axes=2,
        title_words="returned to each side",
        publishers=list(dict.fromkeys(used["publisher"])),
    )
    assert str(rows["date"].min().year) in charts.describe(fig)


# --------------------------------------------------------------------------- (2) captures


def test_captures_over_time_from_fixture(small_figures):
    fig = charts.captures_over_time(small_figures)
    (ax,) = fig.axes
    rows = small_figures[small_figures["event_type"].isin(["capture_claim", "holding_estimate"])]
    assert points(ax) == len(rows) == 3
    assert not [line for line in ax.get_lines() if len(line.get_xdata()) > 2], (
        "reported figures must not be joined by lines"
    )
    case = [line for line in ax.get_lines() if line.get_gid() == "powkit-case-date"]
    assert len(case) == 1
    assert pd.Timestamp(case[0].get_xdata()[0]).date() == dt.date(2022, 3, 16)
    assert any("16 March 2022" in t.get_text() for t in ax.texts)
    check_common(
        fig,
        n_axes=1,
        title_words="claimed captures",
        publishers=list(dict.fromkeys(rows.sort_values(["date", "id"])["publisher"])),
    )
    alt = charts.describe(fig)
    assert "claim by a party" in alt and "independent body" in alt and "media report" in alt
    # claims hollow, independent and media filled, with different marker shapes
    styles = {
        c.get_gid(): (to_hex(c.get_facecolors()[0]), c.get_paths()[0].vertices.round(3).tobytes())
        for c in ax.collections
        if isinstance(c, PathCollection)
    }
    assert styles["powkit-points-russia-party_claim"][0] == "#ffffff"
    assert styles["powkit-points-ukraine-independent"][0] != "#ffffff"
    assert styles["powkit-points-russia-media"][0] != "#ffffff"
    shapes = {gid: shape for gid, (_, shape) in styles.items()}
    assert len(set(shapes.values())) == 3


def test_captures_over_time_from_shipped_data(shipped_figures):
    fig = charts.captures_over_time(shipped_figures)
    rows = shipped_figures[
        shipped_figures["event_type"].isin(["capture_claim", "holding_estimate"])
    ]
    assert points(fig.axes[0]) == len(rows)
    check_common(
        fig,
        n_axes=1,
        title_words="claimed captures",
        publishers=list(dict.fromkeys(rows.sort_values(["date", "id"])["publisher"])),
    )
    assert "600" in charts.describe(fig)


# --------------------------------------------------------------------------- (3) repatriations


def test_repatriation_timelines_from_fixture(small_repatriations):
    fig = charts.repatriation_timelines(small_repatriations)
    (ax,) = fig.axes
    drawable = small_repatriations[
        small_repatriations["hostilities_ended"].notna()
        & small_repatriations["repatriation_completed"].notna()
    ]
    assert bars(ax) == len(drawable) == 2
    assert ax.get_xscale() == "log"
    assert "days" in ax.get_xlabel() and "logarithmic" in ax.get_xlabel()
    widths = sorted(round(p.get_width() + 1) for c in ax.containers for p in c.patches)
    assert widths == [172, 5022]
    assert "Fixture war 3" in ax.get_title()  # the undrawn row is named, not hidden
    hatched = [p for c in ax.containers for p in c.patches if p.get_hatch()]
    assert len(hatched) == 1  # the month-precision row
    check_common(
        fig,
        n_axes=1,
        title_words="repatriation",
        publishers=list(dict.fromkeys(small_repatriations["publisher"])),
    )
    alt = charts.describe(fig)
    assert "Fixture war 3" in alt and "before hostilities ended" not in alt
    assert "172 days" in alt


def test_repatriation_timelines_from_shipped_data():
    df = data.load_repatriations()
    fig = charts.repatriation_timelines(df)
    drawable = df[df["hostilities_ended"].notna() & df["repatriation_completed"].notna()]
    assert bars(fig.axes[0]) == len(drawable)
    check_common(
        fig, n_axes=1, title_words="repatriation", publishers=list(dict.fromkeys(df["publisher"]))
    )


# --------------------------------------------------------------------------- the bad example


def test_misleading_chart_is_labelled_as_an_exercise(small_figures):
    fig = charts.misleading_chart(small_figures)
    assert any(t.get_gid() == "powkit-exercise-banner" for t in fig.texts)
    assert "misleading" in charts.describe(fig).lower()
    assert fig.axes[0].get_ylim()[0] > 0  # the truncated axis students should spot


def test_describe_refuses_foreign_figures():
    with pytest.raises(ValueError, match=r"not made by powkit\.charts"):
        charts.describe(matplotlib.figure.Figure())


def test_charts_leave_pyplot_alone(small_figures):
    before = plt.get_fignums()
    charts.returned_over_time(small_figures)
    charts.captures_over_time(small_figures)
    assert plt.get_fignums() == before


# --------------------------------------------------------------------------- (4) the explorer


def test_explorer_redraws_on_every_filter(small_figures):
    ex = charts.ChartExplorer(small_figures)
    assert ex.points == len(small_figures) == 10
    assert points(ex.figure.axes[0]) == 10
    assert ex.redraws == 1
    first_png = ex.image.value
    assert first_png.startswith('<img src="data:image/png;base64,')
    assert 'alt="' in first_png  # the picture states its figures to a screen reader
    assert "Showing 10 figures" in ex.caption.value

    ex.side.value = "russia"
    expected = (small_figures["soldiers_of"] == "russia").sum()
    assert ex.points == expected == 4 and points(ex.figure.axes[0]) == 4
    assert ex.redraws == 2 and ex.image.value != first_png
    assert f"Showing {expected} figures" in ex.caption.value

    ex.event_type.value = "prisoner_exchange"
    assert ex.points == 2
    ex.claimant.value = "name:Russia: fixture"
    assert ex.points == 2 and set(ex.selection["id"]) == {"fx-003", "fx-006"}
    ex.start.value = dt.date(2022, 5, 1)
    assert ex.points == 1 and ex.selection["id"].tolist() == ["fx-006"]
    ex.end.value = dt.date(2022, 5, 31)
    assert ex.points == 0
    assert "no figures match" in ex.caption.value.lower()
    assert ex.redraws == 6

    ex.reset.click()  # the button, as a keyboard user presses it
    assert ex.points == 10 and ex.redraws == 7  # one redraw for five reset filters


def test_explorer_claimant_types_and_alt_text(small_figures):
    ex = charts.ChartExplorer(small_figures)
    ex.claimant.value = "type:independent"
    assert ex.points == 2
    assert "figures from independent bodies" in charts.describe(ex.figure)
    ex.claimant.value = "type:party_claim"
    assert ex.points == 7
    assert "Every figure shown is a claim" in ex.caption.value
    with ex.hold():
        ex.side.value = "ukraine"
        ex.event_type.value = "holding_estimate"
    assert ex.points == 0 and ex.redraws == 4


def test_explorer_controls_are_keyboard_friendly(small_figures):
    ex = charts.ChartExplorer(small_figures)
    for control in ex.controls:
        assert control.description, "each control needs a visible label"
    assert ex.reset.description and ex.reset.tooltip
    assert 'aria-live="polite"' in ex.caption.value


def test_explorer_escapes_claimants(tmp_path):
    rows = [fig_row(1, claimant="<b>Loud</b> & co"), fig_row(2)]
    df = data.load_figures(figures_file(tmp_path, *rows))
    ex = charts.ChartExplorer(df)
    ex.claimant.value = "name:<b>Loud</b> & co"
    assert ex.points == 1
    assert "<b>Loud</b>" not in ex.caption.value and "&lt;b&gt;Loud" in ex.caption.value


def test_explorer_on_shipped_data(shipped_figures):
    ex = charts.ChartExplorer(shipped_figures)
    assert ex.points == len(shipped_figures)
    for side in ("russia", "ukraine", "both"):
        ex.side.value = side
        assert ex.points == (shipped_figures["soldiers_of"] == side).sum()
    ex.side.value = "all"
    for event in data.EVENT_TYPES:
        ex.event_type.value = event
        assert ex.points == (shipped_figures["event_type"] == event).sum()
        assert points(ex.figure.axes[0]) == ex.points


def test_the_figures_table_under_a_chart_follows_an_edited_data_file(tmp_path, monkeypatch):
    """The dataset behind the tables under charts is read once, but never outlives the file."""
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path))
    figures_file(tmp_path, fig_row(1), fig_row(2), name=data.FIGURES_FILE)
    repatriations_file(tmp_path)
    (tmp_path / "repatriations.csv").rename(tmp_path / data.REPATRIATIONS_FILE)
    before = charts._figure_rows(["fx-001"])
    assert "Fixture side A" in before and ">10<" in before
    read = charts._dataset.cache_info().misses
    assert charts._figure_rows(["fx-002"]) != before
    assert charts._dataset.cache_info().misses == read  # the file was not read again

    path = tmp_path / data.FIGURES_FILE
    stat = path.stat()
    figures_file(tmp_path, fig_row(1, value="77"), fig_row(2), name=data.FIGURES_FILE)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = charts._figure_rows(["fx-001"])
    assert ">77<" in after and ">10<" not in after
