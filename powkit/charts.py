"""Charts of the kit's datasets that an instructor can project without misleading anyone.

Why these rules, in every chart here:

- a **source line** ("Sources: ...") is drawn inside the figure, so a screenshot keeps it;
- **claims are marked as claims**: a figure given by a party to the conflict is drawn hollow
  (or hatched, for bars); figures from independent bodies or the media are drawn filled, with
  a different marker shape, so that the difference survives printing in grey;
- the **Okabe-Ito palette** keeps the two sides distinguishable for colour-blind readers;
- **nothing is interpolated**: reported figures are points or bars, never joined by lines that
  would invent values for the days between them; a running sum of listed exchanges is the only
  line, and it is labelled as a running sum of what the dataset lists;
- every chart carries a **text description** (``describe(chart)``) generated from the same rows,
  for alt text and for students who cannot see the chart.

Figures are built with :class:`matplotlib.figure.Figure` directly, not pyplot, so that no global
figure list grows in a long notebook session and tests need no display. Every chart function
returns a :class:`Chart`: the figure with its title, text description and sources, which shows
itself in a notebook as an image with its alt text.
"""

from __future__ import annotations

import base64
import functools
import html
import inspect
import io
import textwrap
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from powkit import chart_cache
from powkit import data as pdata
from powkit.chart_cache import TableData
from powkit.markup import live_region, style_tag, table
from powkit.resources import file_version

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure

# matplotlib's drawing modules are imported where a chart is drawn, not here: a lesson whose
# charts all come from the chart cache never needs them (a second or so, and memory, saved).

__all__ = [
    "CASE_DATE",
    "CLAIM_MARKERS",
    "OKABE_ITO",
    "SIDE_COLOURS",
    "Chart",
    "ChartExplorer",
    "articles_per_part",
    "captures_over_time",
    "chart_html",
    "describe",
    "misleading_chart",
    "repatriation_timelines",
    "returned_over_time",
    "show",
]

#: The date of the lesson's case: Ukraine's claim of about 600 captured Russian soldiers.
CASE_DATE = pdata.CASE_DATE

#: Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable by most readers
#: with colour-vision deficiencies.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# Text drawn in a palette colour would be too faint to read on white (bluish green is 3.4:1,
# vermillion 3.9:1): text uses darker shades of the same hues, at least 4.5:1 (3:1 for the
# large, translucent exercise banner), while lines and markers keep the palette.
_TEXT_GREEN = "#007A5A"
_BANNER = "#8A3400"
SIDE_COLOURS: dict[str, str] = {
    "ukraine": OKABE_ITO["blue"],
    "russia": OKABE_ITO["vermillion"],
    "both": OKABE_ITO["reddish_purple"],
}
SIDE_NAMES = {
    "ukraine": "Ukraine's soldiers",
    "russia": "Russia's soldiers",
    "both": "both sides together",
}
SIDE_OF = {
    "ukraine": "soldiers of Ukraine",
    "russia": "soldiers of Russia",
    "both": "soldiers of both sides together",
}
#: Marker shape per kind of reporter; claims are also drawn hollow.
CLAIM_MARKERS: dict[str, str] = {"party_claim": "o", "independent": "s", "media": "D"}
CLAIM_NAMES = {
    "party_claim": "claim by a party (hollow)",
    "independent": "independent body (filled)",
    "media": "media report (filled)",
}
#: Singular and plural words for each kind of reporter, for the text descriptions.
CLAIM_WORDS = {
    "party_claim": ("claim by a party to the conflict", "claims by parties to the conflict"),
    "independent": ("figure from an independent body", "figures from independent bodies"),
    "media": ("media report", "media reports"),
}
_DPI = 100
_SOURCE_FONT = 7.0


# --------------------------------------------------------------------------- shared plumbing


def _tint(colour: str, amount: float = 0.7) -> tuple[float, float, float]:
    """The colour mixed with white: a light fill that hatching in the full colour stays visible on."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return (red + (1 - red) * amount, green + (1 - green) * amount, blue + (1 - blue) * amount)


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=_DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _source_line(fig: Figure, names: Iterable[str], files: str) -> list[str]:
    """Draw 'Sources: ...' along the bottom and keep the axes clear of it."""
    names = list(dict.fromkeys(names))
    text = (
        "Sources: " + ("; ".join(names) if names else "none") + f". Titles, dates, URLs: {files}."
    )
    width_chars = int(fig.get_figwidth() * 72 / (_SOURCE_FONT * 0.6))
    wrapped = textwrap.fill(text, width=width_chars, break_on_hyphens=False, break_long_words=False)
    n_lines = wrapped.count("\n") + 1
    fig.text(
        0.01,
        0.005,
        wrapped,
        ha="left",
        va="bottom",
        fontsize=_SOURCE_FONT,
        color="#333333",
        gid="powkit-sources",
        wrap=False,
    )
    bottom = (n_lines * _SOURCE_FONT * 1.35 + 6) / 72 / fig.get_figheight()
    engine = fig.get_layout_engine()
    if engine is not None:  # always, for a figure made by _new_figure
        engine.set(rect=(0, bottom, 1, 1 - bottom))  # type: ignore[call-arg]
    return names


class Chart:
    """A chart and what a reader needs beside the picture: title, text description, sources.

    It shows itself in a notebook as the image with its alt text and the description one click
    away (``_repr_html_``), prints as its description (``__str__``), and passes anything else
    (``savefig``, ``axes``, ``get_suptitle`` ...) to the matplotlib figure.

    Drawing is the slow part of a chart (layout, text, PNG encoding), so a chart drawn before
    from the same rows comes back from the chart cache (:mod:`powkit.chart_cache`) with its
    words and its picture, and no figure: the figure is built again only if something asks for
    it (``chart.figure``, ``chart.axes`` ...), and it is the same figure, drawn by the same code
    from the same rows.
    """

    def __init__(
        self,
        figure: Figure | None,
        title: str,
        alt_text: str,
        sources: Sequence[str] = (),
        ids: Sequence[str] = (),
        table: TableData | None = None,
        *,
        picture: bytes | None = None,
        rebuild: Callable[[], Chart] | None = None,
    ):
        if figure is None and rebuild is None:
            raise ValueError("a Chart needs its figure, or a way to build it")
        self._figure = figure
        self.title = title
        self.alt_text = alt_text
        self.sources = tuple(sources)
        self.ids = tuple(ids)
        #: The figures as a table (headers, rows of text), for charts whose ids are not
        #: dataset rows.
        self.table = table
        self._picture = picture
        self._rebuild = rebuild
        self._cache: tuple[chart_cache.ChartCache, str] | None = None
        # Once the figure is handed out it may be changed (a title, a limit): from then on the
        # picture is drawn from the figure whenever it changed, and never stored in the cache.
        self._handed_out = False

    def _built(self) -> Figure:
        if self._figure is None:
            assert self._rebuild is not None
            self._figure = self._rebuild().figure
        return self._figure

    @property
    def figure(self) -> Figure:
        """The matplotlib figure (built now if the chart came from the cache)."""
        self._handed_out = True
        return self._built()

    def __getattr__(self, name: str) -> object:
        # Private names (IPython's _repr_*_ probes among them) stay the Chart's own.
        if name.startswith("_") or name in (
            "figure",
            "title",
            "alt_text",
            "sources",
            "ids",
            "table",
        ):
            raise AttributeError(name)
        return getattr(self.figure, name)

    def png(self) -> bytes:
        """The picture as PNG bytes: drawn once and kept (in the chart cache too), drawn again
        only if the figure was changed since."""
        if self._picture is not None:
            if not self._handed_out:
                return self._picture
            if self._figure is not None and not self._figure.stale:
                return self._picture
        picture = _png(self._built())
        self._picture = picture
        if not self._handed_out:
            self._store()
        return picture

    def _store(self) -> None:
        if self._cache is not None:
            cache, key = self._cache
            cache.put(
                key,
                chart_cache.CachedChart(
                    self.title, self.alt_text, self.sources, self.ids, self._picture, self.table
                ),
            )

    def _repr_html_(self) -> str:
        return style_tag() + chart_html(self)

    def __str__(self) -> str:
        return f"{self.title}\n{self.alt_text}"


#: The code a chart's picture depends on: the chart cache's key includes its digest.
_DRAWING_CODE = tuple(sorted(Path(__file__).resolve().parent.glob("*.py")))


def _cached(
    loaders: dict[str, Callable[[object], object]] | None = None,
    reads: Callable[..., object] | None = None,
):
    """Serve a chart function's chart from the chart cache when it was drawn before from the
    same inputs. ``loaders`` turn an argument left as None into what it stands for (the shipped
    rows), so that the key is made of the rows actually drawn; ``reads`` gives, from the same
    arguments, the data the function reads by itself (a treaty's Parts)."""

    def decorate(draw: Callable[..., Chart]) -> Callable[..., Chart]:
        signature = inspect.signature(draw)

        @functools.wraps(draw)
        def chart(*args, **kwargs) -> Chart:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            for name, load in (loaders or {}).items():
                bound.arguments[name] = load(bound.arguments[name])

            def build() -> Chart:
                return draw(*bound.args, **bound.kwargs)

            cache = chart_cache.default_cache()
            if cache is None:
                return build()
            inputs = list(bound.arguments.items())
            if reads is not None:
                inputs.append(("reads", reads(*bound.args, **bound.kwargs)))
            key = chart_cache.chart_key(
                draw.__name__, [v for pair in inputs for v in pair], _DRAWING_CODE
            )
            hit = cache.get(key)
            if hit is not None:
                # The figure is built only if asked for, perhaps later: from the rows as they
                # are now, even if the caller changes its table in the meantime.
                frozen = {
                    k: v.copy() if isinstance(v, pd.DataFrame) else v
                    for k, v in bound.arguments.items()
                }
                bound.arguments.update(frozen)
                made = Chart(
                    None,
                    hit.title,
                    hit.alt_text,
                    hit.sources,
                    hit.ids,
                    hit.table,
                    picture=hit.png,
                    rebuild=build,
                )
            else:
                made = build()
            made._cache = (cache, key)
            if hit is None:
                made._store()  # the words now; the picture when it is first drawn
            return made

        return chart

    return decorate


def _finish(
    sources: Sequence[str],
    fig: Figure,
    title: str,
    alt: str,
    ids: Sequence[str],
    data: TableData | None = None,
) -> Chart:
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return Chart(fig, title, alt, tuple(sources), tuple(str(i) for i in ids), data)


def _date_axis(ax) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _num(value: int | float) -> str:
    return f"{int(value):,}"


def _day(value) -> str:
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def _claim_scatter(
    ax, rows: pd.DataFrame, *, label_sides: bool = True, size: float = 46, zorder: int = 3
) -> int:
    """Plot rows as unconnected points: colour = whose soldiers, shape/fill = who reports.

    Returns the number of points drawn (always ``len(rows)``: one point per row).
    """
    drawn = 0
    for (side, kind), group in rows.groupby(["soldiers_of", "claimant_type"], observed=True):
        colour = SIDE_COLOURS[str(side)]
        hollow = kind == "party_claim"
        ax.scatter(
            group["date"].to_numpy(),
            group["value"].astype(float).to_numpy(),
            marker=CLAIM_MARKERS[str(kind)],
            s=size,
            linewidths=1.6,
            facecolors="white" if hollow else colour,
            edgecolors=colour,
            zorder=zorder,
            label=f"{SIDE_NAMES[str(side)]}, {CLAIM_NAMES[str(kind)]}" if label_sides else None,
            gid=f"powkit-points-{side}-{kind}",
        )
        drawn += len(group)
    return drawn


def _legend_handles(sides: Iterable[str], kinds: Iterable[str]) -> list:
    """Legend that explains colour (side) and marker (reporter) separately."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [Patch(facecolor=SIDE_COLOURS[s], label=SIDE_NAMES[s]) for s in sides]
    for kind in kinds:
        hollow = kind == "party_claim"
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=CLAIM_MARKERS[kind],
                markersize=7,
                markeredgewidth=1.6,
                color="#444444",
                markerfacecolor="white" if hollow else "#444444",
                label=CLAIM_NAMES[kind],
            )
        )
    return handles


def _claims_sentence(rows: pd.DataFrame) -> str:
    kinds = rows["claimant_type"].astype(str).value_counts()
    if kinds.empty:
        return ""
    if set(kinds.index) == {"party_claim"}:
        return "Every figure shown is a claim by a party to the conflict; none is independently verified."
    parts = [f"{n} {CLAIM_WORDS[k][0 if n == 1 else 1]}" for k, n in kinds.items()]
    return "Figures shown: " + ", ".join(parts) + "."


def describe(chart: Chart) -> str:
    """The chart's text description, for alt text or for reading aloud."""
    if not isinstance(chart, Chart):
        raise ValueError(
            "this figure was not made by powkit.charts, so it has no description; "
            "make it with one of the chart functions"
        )
    return chart.alt_text


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=_DPI)
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def _dataset(load: Callable[[Path], pd.DataFrame], path_name: str, _stamp: int) -> pd.DataFrame:
    """A dataset as read for the tables under charts, kept per version of its file
    (``resources.file_version``): reading and checking it again for every chart shown was most
    of the time a cached chart took to display. Only filtered here, never changed, and never
    handed to a learner."""
    return load(Path(path_name))


def _figure_rows(ids: Sequence[str]) -> str:
    """The rows behind a chart as an HTML table (a screen reader's and a keyboard's way into
    the figures), or "" when the ids are not rows of a shipped dataset."""
    if not ids:
        return ""
    figures = _dataset(pdata.load_figures, *file_version(pdata.figures_path()))
    rows = figures[figures["id"].isin(ids)]
    if len(rows):
        return _figures_table(rows)
    history = _dataset(pdata.load_repatriations, *file_version(pdata.repatriations_path()))
    rows = history[history["id"].isin(ids)]
    if len(rows):
        return table(
            ["Conflict", "Prisoners held", "Hostilities ended", "Repatriation completed"],
            [
                [
                    html.escape(str(r.conflict)),
                    html.escape("" if pd.isna(r.prisoners_held) else _num(r.prisoners_held)),
                    html.escape(str(r.hostilities_ended)[:10]),
                    html.escape(str(r.repatriation_completed)[:10]),
                ]
                for r in rows.itertuples()
            ],
            caption="The figures in this chart",
        )
    return ""


def _figures_table(rows: pd.DataFrame) -> str:
    """Rows of the Russia-Ukraine figures as an HTML table, oldest first."""
    rows = rows.sort_values(["date", "id"])
    return table(
        ["Date", "Soldiers of", "Event", "Figure", "Given by", "Kind of figure"],
        [
            [
                html.escape(_day(r.date)),
                html.escape(SIDE_NAMES.get(str(r.soldiers_of), str(r.soldiers_of))),
                html.escape(_EVENT_NAMES.get(str(r.event_type), str(r.event_type))),
                html.escape(_num(r.value)),
                html.escape(str(r.claimant)),
                html.escape(CLAIM_NAMES.get(str(r.claimant_type), str(r.claimant_type))),
            ]
            for r in rows.itertuples()
        ],
        caption="The figures in this chart",
    )


def _alternatives(chart: Chart) -> str:
    """The description and the data table, each one click (or Enter) away below the chart."""
    alt = describe(chart)
    if chart.table is not None:
        headers, cells = chart.table
        rows = table(
            list(headers),
            [[html.escape(c) for c in row] for row in cells],
            caption="The figures in this chart",
        )
    else:
        rows = _figure_rows(chart.ids)
    data = f"<details><summary>The figures as a table</summary>{rows}</details>" if rows else ""
    return (
        "<details><summary>Text description of this chart</summary>"
        f"<p>{html.escape(alt)}</p></details>{data}"
    )


def chart_html(chart: Chart) -> str:
    """The chart as an HTML figure: the image with its alt text, and below it the description
    and the figures as a table, on request."""
    alt = describe(chart)
    encoded = base64.b64encode(chart.png()).decode("ascii")
    return (
        '<figure class="powkit-chart">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}">'
        f"<figcaption>{_alternatives(chart)}</figcaption></figure>"
    )


def show(chart: Chart) -> Chart:
    """A chart, to show in a notebook (kept for old lessons: the chart shows itself)."""
    describe(chart)  # refuses a figure that has no description
    return chart


def _figures(df: pd.DataFrame | None) -> pd.DataFrame:
    return pdata.load_figures() if df is None else df


def _repatriations(df: pd.DataFrame | None) -> pd.DataFrame:
    return pdata.load_repatriations() if df is None else df


def _files(df: pd.DataFrame, default: str) -> str:
    path = df.attrs.get("path")
    if not path:
        return f"data/{default}"
    return pdata._display_path(Path(path))


# --------------------------------------------------------------------------- (1) returns


@_cached({"df": _figures})
def returned_over_time(df: pd.DataFrame | None = None) -> Chart:
    """People returned to each side in each listed exchange (bars) and their running sums (steps).

    Top panel: one bar per side per exchange day, from :func:`powkit.data.exchanges` (the
    receiving side's own count when sources differ); the other count of a disputed exchange is
    drawn as an extra hollow point at its own height. Bottom panel: running sums of the bars as
    step lines, and the cumulative totals that authorities announced, as points. The gap between
    them is exchanges the dataset does not list, which is why a running sum is a lower bound.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    df = _figures(df)
    rows = pdata.exchange_rows(df)
    pairs = pdata.exchanges(df)
    announced = df[(df["counts"] == "cumulative_returned").fillna(False)]
    fig = _new_figure(11, 8.2)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1.1))
    offsets = {"ukraine": -9, "russia": 9}
    chosen_ids: list[str] = []
    bars = 0
    for side in pdata.SIDES:
        ids = pairs[f"{side}_id"].dropna().tolist() if not pairs.empty else []
        chosen = rows[rows["id"].isin(ids)].sort_values("date")
        chosen_ids += ids
        if chosen.empty:
            continue
        colour = SIDE_COLOURS[side]
        x = chosen["date"].to_numpy() + np.timedelta64(offsets[side], "D")
        claims = (chosen["claimant_type"] == "party_claim").to_numpy()
        top.bar(
            x,
            chosen["value"].astype(float).to_numpy(),
            width=np.timedelta64(18, "D"),
            color=colour,
            edgecolor=colour,
            linewidth=1.0,
            label=f"returned to {side.title()}",
            gid=f"powkit-bars-{side}",
        )
        for patch, is_claim in zip(top.containers[-1].patches, claims):
            if is_claim:
                patch.set_facecolor(_tint(colour))
                patch.set_hatch("////")
        bars += len(chosen)
        running = chosen["value"].astype(float).cumsum().to_numpy()
        bottom.step(
            chosen["date"].to_numpy(),
            running,
            where="post",
            color=colour,
            linewidth=2,
            label=f"running sum of listed exchanges, to {side.title()}",
            gid=f"powkit-running-{side}",
        )
    others = rows[~rows["id"].isin(chosen_ids)]
    if not others.empty:
        shifted = others.assign(
            date=others["date"]
            + pd.to_timedelta(others["soldiers_of"].astype(str).map(offsets), unit="D")
        )
        _claim_scatter(top, shifted, label_sides=False, size=60, zorder=4)
    top.set_ylabel("People returned in the exchange\n(persons per side)")
    top.set_title(
        "Per exchange: hatched bar = a party's claim; "
        "extra point = the other side's different count",
        fontsize=9,
    )
    _claim_scatter(bottom, announced, label_sides=False, size=50, zorder=4)
    bottom.set_ylabel("People returned since 24 Feb 2022\n(persons, running total)")
    bottom.set_xlabel("Date of the exchange or announcement")
    bottom.set_title(
        "Cumulative: lines sum only the exchanges listed above; "
        "points are totals announced by authorities",
        fontsize=9,
    )
    for ax in (top, bottom):
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        _date_axis(ax)
    bar_handles = [
        Patch(
            facecolor=_tint(SIDE_COLOURS[s]),
            edgecolor=SIDE_COLOURS[s],
            hatch="////",
            label=f"returned to {s.title()} (claim)",
        )
        for s in pdata.SIDES
    ]
    top.legend(
        handles=bar_handles
        + _legend_handles([], sorted(set(others["claimant_type"].astype(str))) or ["party_claim"]),
        fontsize=8,
        loc="upper left",
    )
    line_handles = [
        Line2D(
            [],
            [],
            color=SIDE_COLOURS[s],
            linewidth=2,
            label=f"running sum of listed exchanges, to {s.title()}",
        )
        for s in pdata.SIDES
    ]
    kinds = sorted(set(announced["claimant_type"].astype(str)))
    sides = sorted(set(announced["soldiers_of"].astype(str)))
    bottom.legend(
        handles=line_handles
        + [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=CLAIM_MARKERS[k],
                markersize=7,
                markeredgewidth=1.6,
                markeredgecolor=SIDE_COLOURS[s],
                markerfacecolor="white" if k == "party_claim" else SIDE_COLOURS[s],
                label=f"announced total, {SIDE_NAMES[s]}, {CLAIM_NAMES[k].split(' (')[0]}",
            )
            for s in sides
            for k in kinds
        ],
        fontsize=8,
        loc="upper left",
    )
    used = pd.concat([rows, announced])
    sources = _source_line(fig, pdata.publishers(used), _files(df, pdata.FIGURES_FILE))

    totals = pdata.returned_totals(df)
    alt = [
        f"Two-panel chart of prisoner exchanges between Russia and Ukraine, "
        f"{len(pairs)} exchange days listed in the dataset"
    ]
    if not pairs.empty:
        alt[0] += f", from {_day(pairs['date'].min())} to {_day(pairs['date'].max())}."
        big = pairs.assign(total=pairs["to_ukraine"].fillna(0) + pairs["to_russia"].fillna(0))
        big = big.sort_values("total", ascending=False).iloc[0]
        alt.append(
            f"Top panel: bars of people returned to each side per exchange; the largest "
            f"listed day is {_day(big['date'])}, with "
            f"{_num(big['to_ukraine']) if pd.notna(big['to_ukraine']) else 'no count'} "
            f"returned to Ukraine and "
            f"{_num(big['to_russia']) if pd.notna(big['to_russia']) else 'no count'} "
            f"to Russia."
        )
        disputed = pairs[pairs["disputed"]]
        if len(disputed):
            alt.append(
                f"On {len(disputed)} exchange day(s) ("
                + ", ".join(_day(d) for d in disputed["date"])
                + ") the two sides gave different counts; the other count is an extra point."
            )
    else:
        alt[0] += "."
    alt.append(
        "Bottom panel: running sums of the listed exchanges reach "
        + " and ".join(
            f"{_num(totals.loc[s, 'sum_of_listed'])} returned to {s.title()}" for s in pdata.SIDES
        )
        + "."
    )
    for side in pdata.SIDES:
        t = totals.loc[side]
        if pd.notna(t["announced_total"]):
            alt.append(
                f"The latest announced total of people returned to {side.title()} is "
                f"{_num(t['announced_total'])}, a figure from {t['announced_by']} dated "
                f"{_day(t['announced_on'])}; the gap to the running sum is exchanges the "
                f"dataset does not list."
            )
        else:
            alt.append(
                f"No announced total for people returned to {side.title()} is in the dataset."
            )
    alt.append(_claims_sentence(used))
    return _finish(
        sources,
        fig,
        "People returned to each side in prisoner exchanges, as reported",
        " ".join(a for a in alt if a),
        used["id"].tolist(),
    )


# --------------------------------------------------------------------------- (2) captures


def _capture_rows(df: pd.DataFrame) -> pd.DataFrame:
    mask = df["event_type"].isin(["capture_claim", "holding_estimate"])
    return df[mask].sort_values(["date", "id"])


@_cached({"df": _figures})
def captures_over_time(df: pd.DataFrame | None = None) -> Chart:
    """Claimed captures and estimates of prisoners held, as separate points, with the case date.

    The points are not joined: each counts something different (captures since the invasion,
    captures in one operation, prisoners held on one day), and the label beside each point says
    what. The 16 March 2022 line marks the case the lesson starts from.
    """
    from matplotlib.lines import Line2D

    df = _figures(df)
    rows = _capture_rows(df)
    fig = _new_figure(11, 6.4)
    ax = fig.subplots()
    _claim_scatter(ax, rows, label_sides=False, size=60)
    previous, below = None, False
    for r in rows.itertuples():
        # A run of figures a few months apart (the Kursk claims) alternates its labels above and
        # below the points, so that neighbouring labels do not print over each other.
        crowded = previous is not None and (r.date - previous) < pd.Timedelta(days=120)
        below = (not below) if crowded else False
        ax.annotate(
            f"{_num(r.value)}\n{str(r.counts).replace('_', ' ')}",
            (r.date, float(r.value)),
            textcoords="offset points",
            xytext=(7, -6) if below else (7, 4),
            va="top" if below else "bottom",
            fontsize=6.5,
            color="#333333",
        )
        previous = r.date
    ax.axvline(
        CASE_DATE,
        color=OKABE_ITO["bluish_green"],
        linestyle="--",
        linewidth=1.4,
        gid="powkit-case-date",
    )
    ax.annotate(
        "16 March 2022:\nthe lesson's case",
        (CASE_DATE, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        fontsize=8,
        color=_TEXT_GREEN,
    )
    if len(rows):
        lo = min(rows["date"].min(), pd.Timestamp("2022-02-24"))
        ax.set_xlim(lo - pd.Timedelta(days=30), rows["date"].max() + pd.Timedelta(days=120))
    ax.set_ylim(bottom=0, top=max(float(rows["value"].max()) * 1.2, 1) if len(rows) else 1)
    ax.set_ylabel("Soldiers (persons, as stated by whoever gives the figure)")
    ax.set_xlabel("Date the figure refers to")
    ax.set_title(
        "Each point is one reported figure; points are not joined because each counts "
        "something different",
        fontsize=9,
    )
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _date_axis(ax)
    sides = [s for s in pdata.SOLDIERS_OF if s in set(rows["soldiers_of"].astype(str))]
    kinds = [k for k in pdata.CLAIMANT_TYPES if k in set(rows["claimant_type"].astype(str))]
    handles = _legend_handles(sides, kinds) + [
        Line2D([], [], color=OKABE_ITO["bluish_green"], linestyle="--", label="case date")
    ]
    # Upper centre: the newest figures (right) and the case date (left) sit at the top corners.
    ax.legend(handles=handles, fontsize=8, loc="upper center")
    sources = _source_line(fig, pdata.publishers(rows), _files(df, pdata.FIGURES_FILE))

    alt = [f"Scatter chart of {len(rows)} reported figures of captured or held soldiers"]
    if len(rows):
        alt[0] += f", dated {_day(rows['date'].min())} to {_day(rows['date'].max())}."
        for r in rows.itertuples():
            kind = CLAIM_WORDS[str(r.claimant_type)][0]
            alt.append(
                f"{_day(r.date)}: {_num(r.value)} {SIDE_OF[str(r.soldiers_of)]}, counted "
                f"as {str(r.counts).replace('_', ' ')}; {kind}, from {r.claimant}."
            )
    else:
        alt[0] += "."
    alt.append("A dashed line marks 16 March 2022, the date of the lesson's case.")
    alt.append(_claims_sentence(rows))
    return _finish(
        sources,
        fig,
        "Claimed captures and estimates of prisoners held, as reported",
        " ".join(a for a in alt if a),
        rows["id"].tolist(),
    )


# --------------------------------------------------------------------------- (3) repatriations

_DAY_TICKS = {
    1: "1 day",
    7: "1 week",
    30: "1 month",
    365: "1 year",
    3652: "10 years",
    36525: "100 years",
}


def _duration(days: int) -> str:
    if days < 60:
        return "1 day" if days == 1 else f"{days} days"
    if days < 730:
        return f"{days} days (about {round(days / 30.44)} months)"
    return f"{days:,} days (about {days / 365.25:.1f} years)"


def _row_names(rows: pd.DataFrame) -> list[str]:
    """Conflict names, with the detaining side added where one conflict has several rows."""
    repeated = rows["conflict"].duplicated(keep=False)
    return [
        f"{c} ({d})" if rep and pd.notna(d) else str(c)
        for c, d, rep in zip(rows["conflict"], rows["detaining_context"], repeated)
    ]


@_cached({"df": _repatriations})
def repatriation_timelines(df: pd.DataFrame | None = None) -> Chart:
    """How long the last prisoners waited: end of hostilities to last repatriation, log days.

    Durations range from weeks to years, so the axis is logarithmic; each bar starts at day 1
    (a log axis has no zero). A marker shows when repatriation began if that was after the end of
    hostilities. Conflicts with an unknown date are listed under the chart, not drawn.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    df = pdata.load_repatriations() if df is None else df
    rows = pdata.repatriation_durations(df).sort_values("hostilities_ended", ascending=False)
    missing = df[~df["id"].isin(rows["id"])]
    height = 2.4 + 0.55 * max(len(rows), 1)
    fig = _new_figure(11, height)
    ax = fig.subplots()
    y = np.arange(len(rows))
    lengths = np.maximum(rows["days_to_complete"].astype(float).to_numpy(), 1.0)
    hatches = ["" if p == "day" else "xx" for p in rows["date_precision"].astype(str)]
    bars = ax.barh(
        y,
        lengths - 1,
        left=1,
        height=0.6,
        color=OKABE_ITO["sky_blue"],
        edgecolor=OKABE_ITO["blue"],
        hatch=None,
        gid="powkit-repatriation-bars",
    )
    for patch, hatch in zip(bars.patches, hatches):
        if hatch:
            patch.set_hatch(hatch)
    starts = rows["days_to_start"].astype(float)
    after = starts.notna() & (starts >= 1)
    if after.any():
        ax.scatter(
            starts[after].to_numpy(),
            y[after.to_numpy()],
            marker="|",
            s=220,
            color=OKABE_ITO["black"],
            zorder=3,
            label="repatriation began",
            gid="powkit-repatriation-start",
        )
    for yi, (length, r) in enumerate(zip(lengths, rows.itertuples())):
        note = _duration(int(r.days_to_complete))
        if pd.notna(r.days_to_start) and r.days_to_start < 1:
            note += "; some were repatriated before hostilities ended"
        ax.annotate(
            note, (length, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8
        )
    ax.set_xscale("log")
    top = max(float(lengths.max()) * 15 if len(lengths) else 10, 100)
    ax.set_xlim(0.8, top)
    ax.xaxis.set_major_locator(FixedLocator([d for d in _DAY_TICKS if d <= top]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _DAY_TICKS.get(round(v), "")))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_yticks(y, [textwrap.fill(n, 38) for n in _row_names(rows)])
    ax.set_xlabel(
        "Time from the end of active hostilities to the last repatriation (days, logarithmic scale)"
    )
    ax.set_ylabel("Conflict")
    ax.set_title(
        "Bars start at day 1 (a log axis has no zero); cross-hatched = dates known only "
        "to the month or year",
        fontsize=9,
    )
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    handles: list[Artist] = [
        Patch(
            facecolor=OKABE_ITO["sky_blue"],
            edgecolor=OKABE_ITO["blue"],
            label="end of hostilities to last repatriation",
        ),
        Patch(
            facecolor=OKABE_ITO["sky_blue"],
            edgecolor=OKABE_ITO["blue"],
            hatch="xx",
            label="same, dates known to the month or year",
        ),
    ]
    if after.any():
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="|",
                markersize=12,
                color=OKABE_ITO["black"],
                label="repatriation began",
            )
        )
    ax.set_ylim(-1.4, max(len(rows), 1) - 0.5)  # an empty band at the bottom for the legend
    ax.legend(handles=handles, fontsize=8, loc="lower center", ncols=len(handles))
    if len(missing):
        ax.set_title(
            ax.get_title()
            + "\n"
            + textwrap.fill("Not drawn, a date is unknown: " + "; ".join(_row_names(missing)), 140),
            fontsize=9,
        )
    sources = _source_line(fig, pdata.publishers(df), _files(df, pdata.REPATRIATIONS_FILE))

    alt = [
        f"Horizontal bar chart, logarithmic time axis, with {len(rows)} bars (one per conflict "
        f"and detaining side): the time from the end of active hostilities to the last "
        f"repatriation of prisoners of war."
    ]
    names = dict(zip(rows["id"], _row_names(rows)))
    for r in rows.sort_values("days_to_complete").itertuples():
        alt.append(
            f"{names[r.id]}: {_duration(int(r.days_to_complete))}, from "
            f"{_day(r.hostilities_ended)} to {_day(r.repatriation_completed)}"
            f"{' (dates known to the ' + str(r.date_precision) + ')' if str(r.date_precision) != 'day' else ''}."
        )
    if len(missing):
        alt.append(
            "Not drawn because a date is unknown: "
            + "; ".join(str(c) for c in missing["conflict"])
            + "."
        )
    return _finish(
        sources,
        fig,
        "How long repatriation took after hostilities ended (GCIII 118)",
        " ".join(alt),
        rows["id"].tolist(),
    )


# --------------------------------------------------------------------------- the treaty itself


def _treaty_parts(treaty: str = "GCIII") -> object:
    """What :func:`articles_per_part` reads besides its argument (for the chart cache's key)."""
    from powkit import convention

    return (convention.parts(treaty), convention.treaty_info(treaty))


@_cached(reads=_treaty_parts)
def articles_per_part(treaty: str = "GCIII") -> Chart:
    """How many articles each Part of the treaty has: where the Convention spends its words."""
    from powkit import convention

    table = convention.parts(treaty)
    meta = convention.treaty_info(treaty)
    fig = _new_figure(10, 4.6)
    ax = fig.subplots()
    labels = [f"Part {p['number']}: {textwrap.shorten(str(p['title']), 48)}" for p in table]
    counts = [len(p["articles"]) for p in table]
    y = np.arange(len(table))[::-1]
    ax.barh(y, counts, color=OKABE_ITO["blue"], gid="powkit-part-bars")
    for yi, n, p in zip(y, counts, table):
        ax.annotate(
            f"{n} (Arts {p['articles'][0]}-{p['articles'][-1]})",
            (n, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(counts, default=1) * 1.25)
    ax.set_xlabel("Articles (count)")
    ax.set_ylabel("Part of the Convention")
    names = [
        str(meta[k])
        for k in ("publisher", "source", "source_title")
        if isinstance(meta.get(k), str)
    ] or [f"the treaty text in data/{convention.TREATIES[treaty]}"]
    sources = _source_line(fig, names, f"data/{convention.TREATIES[treaty]}")
    alt = (
        f"Horizontal bar chart of the number of articles in each of the {len(table)} Parts of "
        f"{treaty}: "
        + "; ".join(
            f"Part {p['number']}, {p['title']}: {n} articles" for p, n in zip(table, counts)
        )
        + "."
    )
    data = (
        ("Part", "Title", "Articles", "From", "To"),
        tuple(
            (
                str(p["number"]),
                str(p["title"]),
                str(n),
                str(p["articles"][0]),
                str(p["articles"][-1]),
            )
            for p, n in zip(table, counts, strict=True)
        ),
    )
    return _finish(
        sources, fig, f"Articles per Part of {treaty}", alt, [str(p["number"]) for p in table], data
    )


# --------------------------------------------------------------------------- a bad example


@_cached({"df": _figures})
def misleading_chart(df: pd.DataFrame | None = None) -> Chart:
    """A deliberately misleading chart, for the exercise that asks students to criticise one.

    It commits the errors the other charts avoid: it joins figures that count different things
    (claimed captures, prisoners held, people returned) with one line, invents values between
    them by drawing that line, cuts the y axis above zero, hides who made each claim and gives no
    sources. A banner across it says it is an exercise, so that it cannot be lifted out quietly.
    """
    df = _figures(df)
    mask = df["soldiers_of"].isin(pdata.SIDES) & df["counts"].isin(
        [
            "cumulative_claimed_captures",
            "held_at_date",
            "cumulative_returned",
            "cumulative_claimed_captures_kursk",
        ]
    )
    rows = df[mask].sort_values("date")
    fig = _new_figure(9, 5)
    ax = fig.subplots()
    ax.plot(
        rows["date"].to_numpy(),
        rows["value"].astype(float).to_numpy(),
        color="#888888",
        marker=".",
        linewidth=2,
        gid="powkit-misleading-line",
    )
    if len(rows):
        low = float(rows["value"].min())
        ax.set_ylim(bottom=low * 0.9)
    ax.set_ylabel("POWs")
    ax.set_xlabel("Date")
    _date_axis(ax)
    fig.text(
        0.5,
        0.5,
        "EXERCISE: A DELIBERATELY MISLEADING CHART",
        ha="center",
        va="center",
        rotation=20,
        fontsize=22,
        color=_BANNER,
        alpha=0.6,
        gid="powkit-exercise-banner",
    )
    alt = (
        f"A deliberately misleading line chart for an exercise: {len(rows)} figures of "
        "different kinds (claimed captures, prisoners held, people returned, for either side) "
        "joined by one grey line, with a y axis that does not start at zero, no indication of "
        "who made each claim and no sources. A banner marks it as an exercise."
    )
    return _finish((), fig, "POWs keep rising!", alt, rows["id"].tolist())


# --------------------------------------------------------------------------- (4) the explorer

_EVENT_NAMES = {
    "capture_claim": "Capture claims",
    "prisoner_exchange": "Prisoner exchanges",
    "holding_estimate": "Estimates of prisoners held",
    "report_finding": "Findings of monitoring reports",
}


@_cached()
def explorer_figure(rows: pd.DataFrame, *, subtitle: str = "") -> Chart:
    """The explorer's chart: one unconnected point per selected row, colour by side, shape by reporter."""
    fig = _new_figure(10, 5.6)
    ax = fig.subplots()
    drawn = _claim_scatter(ax, rows, label_sides=False, size=50)
    if rows.empty:
        ax.text(
            0.5,
            0.5,
            "No reported figures match these filters.",
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=12,
            color="#333333",
        )
        ax.set_xlim(pd.Timestamp("2022-02-24"), pd.Timestamp.today())
    else:
        lo, hi = rows["date"].min(), rows["date"].max()
        if lo <= CASE_DATE <= hi or lo == hi == CASE_DATE:
            ax.axvline(CASE_DATE, color=OKABE_ITO["bluish_green"], linestyle="--", linewidth=1.2)
        pad = max((hi - lo) * 0.05, pd.Timedelta(days=15))
        ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(0, float(rows["value"].max()) * 1.15 + 1)
    if subtitle:
        ax.set_title(subtitle, fontsize=9)
    ax.set_ylabel("Value as reported\n(persons; percent for 'pct' labels)")
    ax.set_xlabel("Date the figure refers to")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _date_axis(ax)
    sides = [s for s in pdata.SOLDIERS_OF if s in set(rows["soldiers_of"].astype(str))]
    kinds = [k for k in pdata.CLAIMANT_TYPES if k in set(rows["claimant_type"].astype(str))]
    if sides:
        ax.legend(handles=_legend_handles(sides, kinds), fontsize=8, loc="upper left")
    sources = _source_line(fig, pdata.publishers(rows), f"data/{pdata.FIGURES_FILE}")
    counts = rows["counts"].astype(str).value_counts()
    alt = [f"Scatter chart of {drawn} reported figure{'s' if drawn != 1 else ''}"]
    if drawn:
        alt[0] += f", dated {_day(rows['date'].min())} to {_day(rows['date'].max())}."
        alt.append(
            "What they count: "
            + ", ".join(f"{k.replace('_', ' ')} ({n})" for k, n in counts.items())
            + "."
        )
        top = rows.sort_values("value", ascending=False).iloc[0]
        alt.append(
            f"Largest value: {_num(top['value'])} ({str(top['counts']).replace('_', ' ')}), "
            f"from {top['claimant']}, {_day(top['date'])}."
        )
        alt.append(_claims_sentence(rows))
    else:
        alt[0] += ": no figures match these filters."
    return _finish(
        sources,
        fig,
        "Reported figures on prisoners of war, Russia-Ukraine war",
        " ".join(a for a in alt if a),
        rows["id"].tolist(),
    )


class ChartExplorer(widgets.VBox):
    """Filter the Russia-Ukraine figures and see them redrawn, with a live text description.

    Why this design: the chart is rendered to PNG and swapped into one persistent ``Image``
    widget, so the browser replaces the picture in place (no blank frame, no growing list of
    outputs, no interactive backend needed). The description below it is an ARIA live region,
    so screen readers announce each change. All controls are standard ipywidgets, reachable with
    Tab and operated with the keyboard.

    Drive it from Python as a test or an exercise would::

        ex = ChartExplorer()
        ex.side.value = "russia"
        ex.points            # number of figures now drawn
        ex.selection         # the rows behind them
    """

    points = traitlets.Int(
        0, read_only=True, help="How many figures the current chart draws (one per row)."
    )
    redraws = traitlets.Int(0, read_only=True, help="How many times the chart was drawn.")

    def __init__(self, df: pd.DataFrame | None = None):
        self.df = _figures(df)
        first = self.df["date"].min().date()
        last = self.df["date"].max().date()
        self._bounds = (first, last)
        style = {"description_width": "7em"}
        wide = widgets.Layout(width="22em")
        self.start = widgets.DatePicker(
            description="From",
            value=first,
            style=style,
            layout=wide,
            tooltip="Earliest date of figures shown",
        )
        self.end = widgets.DatePicker(
            description="To",
            value=last,
            style=style,
            layout=wide,
            tooltip="Latest date of figures shown",
        )
        self.side = widgets.Dropdown(
            description="Soldiers of",
            options=[
                ("Any side", "all"),
                ("Russia", "russia"),
                ("Ukraine", "ukraine"),
                ("Both sides together", "both"),
            ],
            value="all",
            style=style,
            layout=wide,
            tooltip="Whose soldiers the figure counts",
        )
        self.event_type = widgets.Dropdown(
            description="Event type",
            options=[("All event types", "all")]
            + [(_EVENT_NAMES[e], e) for e in pdata.EVENT_TYPES],
            value="all",
            style=style,
            layout=wide,
            tooltip="What kind of report",
        )
        names = sorted(set(self.df["claimant"].astype(str)))
        self.claimant = widgets.Dropdown(
            description="Claimant",
            options=[
                ("Anyone", "all"),
                ("Any party to the conflict (claims)", "type:party_claim"),
                ("Independent bodies", "type:independent"),
                ("Media", "type:media"),
            ]
            + [(n if len(n) <= 70 else n[:67] + "...", "name:" + n) for n in names],
            value="all",
            style=style,
            layout=widgets.Layout(width="36em"),
            tooltip="Who gives the figure",
        )
        self.reset = widgets.Button(
            description="Reset filters",
            icon="undo",
            tooltip="Show every figure in the dataset again",
        )
        # An <img> in an HTML widget rather than an Image widget: only the former takes alt
        # text, and a screen reader needs the figures the picture shows.
        self.image = widgets.HTML(layout=widgets.Layout(width="100%", max_width="1000px"))
        self.image.add_class("powkit-explorer-image")
        self.table = widgets.HTML(layout=widgets.Layout(max_width="1000px"))
        self.table.add_class("powkit-explorer-table")
        self.caption = widgets.HTML(layout=widgets.Layout(max_width="1000px"))
        self.figure: Chart | None = None
        self._holding = False
        for control in self.controls:
            control.observe(self._changed, names="value")
        self.reset.on_click(lambda _: self.reset_filters())
        super().__init__(
            [
                widgets.HBox(
                    [
                        widgets.VBox([self.start, self.end, self.side]),
                        widgets.VBox([self.event_type, self.claimant, self.reset]),
                    ]
                ),
                self.image,
                self.caption,
                self.table,
            ]
        )
        self.add_class("powkit-chart-explorer")
        self.redraw()

    @property
    def widget(self) -> ChartExplorer:
        """The explorer itself (it is a widget; kept for code written before it was one)."""
        return self

    @property
    def controls(self) -> list:
        return [self.start, self.end, self.side, self.event_type, self.claimant]

    @contextmanager
    def hold(self):
        """Change several filters with one redraw at the end."""
        self._holding = True
        try:
            yield self
        finally:
            self._holding = False
            self.redraw()

    def reset_filters(self) -> None:
        with self.hold():
            self.start.value, self.end.value = self._bounds
            self.side.value = "all"
            self.event_type.value = "all"
            self.claimant.value = "all"

    def _changed(self, _change) -> None:
        if not self._holding:
            self.redraw()

    @property
    def selection(self) -> pd.DataFrame:
        """The rows the current filters select, oldest first."""
        df = self.df
        mask = pd.Series(True, index=df.index)
        start = self.start.value
        end = self.end.value
        if start is not None:
            mask &= df["date"] >= pd.Timestamp(start)
        if end is not None:
            mask &= df["date"] <= pd.Timestamp(end)
        if self.side.value != "all":
            mask &= (df["soldiers_of"] == self.side.value).fillna(False)
        if self.event_type.value != "all":
            mask &= (df["event_type"] == self.event_type.value).fillna(False)
        who = self.claimant.value
        if who.startswith("type:"):
            mask &= (df["claimant_type"] == who[5:]).fillna(False)
        elif who.startswith("name:"):
            mask &= (df["claimant"] == who[5:]).fillna(False)
        return df[mask].sort_values(["date", "id"])

    def _filters_text(self) -> str:
        labels = {c.description: c.label for c in (self.side, self.event_type, self.claimant)}
        start = self.start.value.isoformat() if isinstance(self.start.value, date) else "start"
        end = self.end.value.isoformat() if isinstance(self.end.value, date) else "end"
        return f"{start} to {end}; " + "; ".join(f"{k}: {v}" for k, v in labels.items())

    def redraw(self) -> None:
        """Rebuild the chart from the current filters and swap it into the image in place."""
        rows = self.selection
        chart = explorer_figure(rows, subtitle=self._filters_text())
        self.figure = chart
        self.set_trait("points", len(chart.ids))
        encoded = base64.b64encode(chart.png()).decode("ascii")
        self.image.value = (
            f'<img src="data:image/png;base64,{encoded}" '
            f'alt="{html.escape(describe(chart), quote=True)}">'
        )
        rows_html = _figures_table(rows) if len(rows) else ""
        self.table.value = (
            f"<details><summary>The figures as a table</summary>{rows_html}</details>"
            if rows_html
            else "<p>No figure matches these filters.</p>"
        )
        self.set_trait("redraws", self.redraws + 1)
        self.caption.value = live_region(
            f"<p><b>Showing {self.points} figure{'s' if self.points != 1 else ''}</b> "
            f"({html.escape(self._filters_text())}).</p>"
            f"<p>{html.escape(describe(chart))}</p>",
            cls="powkit-explorer-caption",
        )
