"""The Kyiv case in a notebook: a sourced timeline, the list of sources, and the CaseAnnotator.

The facts themselves, their format and their checks are in :mod:`powkit.casefile`; this module
only shows them. The :class:`CaseAnnotator` widget lets a student pick a fact or statement (a
standard ``Select`` list, so Tab and the arrow keys work and screen readers announce it) and
shows, side by side, the statement with its source and the exact text of every article it
engages, rendered through :func:`powkit.convention.passage_html`. Every text read from the YAML
is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from powkit import convention
from powkit.casefile import ITEM_KINDS, Case, CaseError, CaseItem, case_dir, load_case
from powkit.markup import HTMLView, plain_list, source_item, style_tag, table

__all__ = [
    "ITEM_KINDS",
    "Case",
    "CaseAnnotator",
    "CaseError",
    "CaseItem",
    "case_dir",
    "item_html",
    "load_case",
    "sources",
    "sources_html",
    "timeline",
    "timeline_html",
]


# ----------------------------------------------------------------------------- HTML


def item_html(item: CaseItem) -> str:
    """The statement panel: kind, date, text, why the articles are engaged, source; all escaped."""
    paras = "".join(
        f"<p>{html.escape(' '.join(block.split()))}</p>"
        for block in item.text.split("\n\n")
        if block.strip()
    )
    contested = (
        '<p class="powkit-case-contested"><strong>Contested:</strong> lawyers disagree about how the law '
        "applies here; read the note and the lesson's discussion of both views.</p>"
        if item.contested
        else ""
    )
    when = f" &middot; {html.escape(item.date)}" if item.date else ""
    return (
        f'<div class="powkit-case-item" data-item="{html.escape(item.id, quote=True)}">'
        f"<p><small><strong>{html.escape(item.kind_label)}</strong>{when}</small></p>"
        f"{paras}{contested}"
        f'<p class="powkit-case-note"><strong>Why these articles:</strong> {html.escape(item.note)}</p>'
        f'<p class="powkit-case-source"><small>Source: {source_item(item.source)}</small></p></div>'
    )


def timeline_html(case: Case | None = None) -> str:
    """The dated items as a table (date, what happened, source), oldest first."""
    case = case or load_case()
    rows = [
        (
            f'<span class="powkit-nowrap">{html.escape(i.date)}</span>',
            f"{html.escape(' '.join(i.text.split()))}"
            f"<br><small>{html.escape(i.kind_label)}. {source_item(i.source)}</small>",
        )
        for i in case.timeline()
    ]
    return table(
        ("Date", "What happened (our summary)"),
        rows,
        caption=f"Timeline: {case.title}",
        cls="powkit-case-timeline",
    )


def sources_html(case: Case | None = None) -> str:
    """Every distinct source used by the case file, once, sorted by date."""
    case = case or load_case()
    return plain_list((source_item(s) for s in case.sources()), cls="powkit-case-sources")


def timeline(case: Case | str | None = None) -> HTMLView:
    """The case's timeline, shown as a table in a notebook and as lines of text when printed."""
    found = case if isinstance(case, Case) else load_case(case or "kyiv-2022-03-16")
    text = "\n".join(
        f"{i.date}  {' '.join(i.text.split())} ({i.kind_label}; {i.source.publisher})"
        for i in found.timeline()
    )
    return HTMLView(timeline_html(found), text)


def sources(case: Case | str | None = None) -> HTMLView:
    """Every source the case uses, once, oldest first."""
    found = case if isinstance(case, Case) else load_case(case or "kyiv-2022-03-16")
    text = "\n".join(f"{s.title}, {s.publisher}, {s.date}. {s.url}" for s in found.sources())
    return HTMLView(sources_html(found), text)


# ----------------------------------------------------------------------------- widget


class CaseAnnotator(widgets.VBox):
    """Pick a fact or statement from the case; see the articles it engages, side by side.

    ``case`` is a :class:`Case`, a case file, or a case id (default: the Kyiv press conference).
    The list is a standard ``Select``: Tab into it and move with the arrow keys. Python API for
    tests and the browser harness: ``select(item_id)``, ``current``, ``citations``,
    ``statement_html``, ``articles_html``.
    """

    def __init__(self, case: Case | str | Path = "kyiv-2022-03-16", rows: int = 8):
        self.case = case if isinstance(case, Case) else load_case(case)
        if not self.case.items:
            raise ValueError(f"{self.case.path}: a case needs at least one item")
        self.picker = widgets.Select(
            options=[(i.label, i.id) for i in self.case.items],
            value=self.case.items[0].id,
            rows=rows,
            description="Statement:",
            layout=widgets.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.picker.add_class("powkit-case-picker")
        self._statement = widgets.HTML(layout=widgets.Layout(width="42%"))
        self._statement.add_class("powkit-case-statement")
        self._articles = widgets.HTML(layout=widgets.Layout(width="58%"))
        self._articles.add_class("powkit-case-articles")
        self._count = widgets.HTML()
        self._count.add_class("powkit-case-count")
        self.picker.observe(self._on_pick, names="value")
        header = widgets.HTML(
            style_tag() + f"<h3>{html.escape(self.case.title)}</h3>"
            "<p><small>Choose a fact or statement (Tab into the list, then use the arrow keys). "
            "Below the list come, in this order, the statement with its source and the exact "
            "words of the articles it engages.</small></p>"
        )
        super().__init__(
            [
                header,
                self.picker,
                self._count,
                widgets.HBox(
                    [self._statement, self._articles], layout=widgets.Layout(width="100%")
                ),
            ]
        )
        self.add_class("powkit-case")
        self._show(self.case.items[0])

    # -- public API ----------------------------------------------------------------------

    @property
    def items(self) -> tuple[CaseItem, ...]:
        return self.case.items

    @property
    def current(self) -> CaseItem:
        return self.case.item(self.picker.value)

    @property
    def citations(self) -> tuple[str, ...]:
        """The articles engaged by the chosen item."""
        return self.current.articles

    @property
    def statement_html(self) -> str:
        return self._statement.value

    @property
    def articles_html(self) -> str:
        return self._articles.value

    def select(self, item_id: str) -> CaseItem:
        """Choose an item by id, as clicking it in the list does; returns it."""
        item = self.case.item(item_id)  # KeyError names the file and the ids
        self.picker.value = item.id
        return item

    # -- reactions -----------------------------------------------------------------------

    def _on_pick(self, change: dict) -> None:
        if change["new"] is not None:
            self._show(self.case.item(change["new"]))

    def _show(self, item: CaseItem) -> None:
        self._statement.value = item_html(item)
        n = len(item.articles)
        self._count.value = (
            f"<p><small>{n} article{'s' if n != 1 else ''} engaged: "
            f"{html.escape(', '.join(item.articles))}</small></p>"
        )
        self._articles.value = (
            f'<div class="powkit-case-passages">{convention.passages_block(item.articles)}</div>'
        )
