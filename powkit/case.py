"""The case file: sourced facts and statements about one real event, and the articles each engages.

Why a module for it: the course starts from one event (captured Russian service members speaking to
journalists in Kyiv in March 2022), and students learn the law by asking, statement by statement,
which provisions a fact engages. Keeping the facts in a data file (``data/case/<id>.yaml``), each
with its own source, keeps the notebook honest: a fact without a publisher, a URL and a date cannot
be loaded, and a citation that does not resolve to the Convention's exact words is an error that
names the file, the item and the fix.

The :class:`CaseAnnotator` widget lets a student pick a fact or statement (a standard ``Select``
list, so Tab and the arrow keys work and screen readers announce it) and shows, side by side, the
statement with its source and the exact text of every article it engages, rendered through
:func:`powkit.convention.passage_html`. Every text read from the YAML is ``html.escape``d.

Format of a case file::

    case: kyiv-2022-03-16
    title: ...
    description: ...
    items:
      - id: hrw-2022-03-16            # lower-case letters, digits, '-', '_'; unique
        date: 2022-03-16              # optional: when the event happened (for the timeline)
        kind: finding                 # fact | statement | claim | finding | law
        text: >                       # our summary, or one attributed sentence of quotation
          ...
        source: {title: ..., publisher: ..., url: https://..., date: 2022-03-16, note: ...}
        articles: ["GCIII 13(2)", "GCIII 14(1)"]
        note: >                       # why these articles are engaged
          ...
        contested: false
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import yaml

from powkit import convention
from powkit.resources import data_file, data_files, display_path
from powkit.banks import SOURCE_DATE_RULE, Source, source_date

__all__ = [
    "KINDS",
    "Case",
    "CaseAnnotator",
    "CaseError",
    "CaseItem",
    "CaseSource",
    "case_dir",
    "load_case",
    "sources_html",
    "timeline_html",
]

#: What an item is. A *claim* is something a party to the conflict asserted; a *finding* is a
#: conclusion of an independent body (a UN office, the ICRC, a human-rights organisation);
#: a *statement* is something a prisoner said; *law* is a point of interpretation.
KINDS: dict[str, str] = {
    "fact": "Fact",
    "statement": "Prisoner's statement",
    "claim": "Claim by a party",
    "finding": "Finding or statement of an independent body",
    "law": "Interpretation",
}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ITEM_KEYS = {"id", "date", "kind", "text", "source", "articles", "note", "contested"}
_SOURCE_KEYS = {"title", "publisher", "url", "date", "note"}
_TOP_KEYS = {"case", "title", "description", "items"}

Resolver = Callable[[str], object]


class CaseError(ValueError):
    """A case file that cannot be used; the message lists every problem with file, item and fix."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{path}: {len(self.problems)} problem(s):\n{lines}")


#: A case item's source has the same fields as a question's (title, publisher, url, date, note).
CaseSource = Source


@dataclass(frozen=True)
class CaseItem:
    id: str
    kind: str
    text: str
    source: CaseSource
    articles: tuple[str, ...]
    note: str
    contested: bool = False
    date: str = ""

    @property
    def label(self) -> str:
        """A one-line label for the list: date, kind and the start of the text."""
        words = " ".join(self.text.split())
        short = words if len(words) <= 90 else words[:87].rsplit(" ", 1)[0] + "..."
        when = f"{self.date} " if self.date else ""
        return f"{when}[{KINDS.get(self.kind, self.kind)}] {short}"


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    description: str
    items: tuple[CaseItem, ...]
    path: str

    def item(self, item_id: str) -> CaseItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(
            f"{self.path}: no item {item_id!r}; items are: {', '.join(i.id for i in self.items)}"
        )

    def timeline(self) -> list[CaseItem]:
        """The dated items, oldest first (undated items are left out)."""
        return sorted((i for i in self.items if i.date), key=lambda i: (i.date, i.id))


def case_dir() -> Path:
    """The folder of case files read first (``$POWKIT_DATA/case`` if it exists, else shipped)."""
    return data_file("case")


def case_files() -> list[Path]:
    """Every case file the kit offers, an instructor's first."""
    return data_files("case")


def _as_date(value: object) -> str | None:
    """YAML turns 2022-03-16 into a date; accept that or the same text, nothing else."""
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            _dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
        return value.strip()
    return None


def _text(raw: dict, key: str, where: str, problems: list[str], required: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: field '{key}' is missing; add it as text")
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: field '{key}' must be non-empty text, got {value!r}")
        return ""
    return " ".join(value.split()) if key != "text" else value.strip()


def _default_resolver(citation: str) -> object:
    return convention.resolve(citation)


def _check_source(raw: object, where: str, problems: list[str]) -> CaseSource | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'source' must be a mapping with title, publisher, url and date")
        return None
    for key in sorted(set(raw) - _SOURCE_KEYS):
        problems.append(
            f"{where}: unknown source field '{key}'; allowed: {', '.join(sorted(_SOURCE_KEYS))}"
        )
    title = _text(raw, "title", f"{where} source", problems)
    publisher = _text(raw, "publisher", f"{where} source", problems)
    url = _text(raw, "url", f"{where} source", problems)
    if url and not url.startswith(("http://", "https://")):
        problems.append(f"{where} source: url must start with http:// or https://, got {url!r}")
    date = source_date(raw.get("date"))
    if date is None:
        problems.append(f"{where} source: date {SOURCE_DATE_RULE}; got {raw.get('date')!r}")
    note = _text(raw, "note", f"{where} source", problems, required=False)
    return CaseSource(title, publisher, url, date or "", note)


def _check_item(
    raw: object, number: int, problems: list[str], resolver: Resolver, seen: set[str]
) -> CaseItem | None:
    where = f"item {number}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: each item must be a mapping (id, text, source, articles, note)")
        return None
    item_id = raw.get("id")
    if not isinstance(item_id, str) or not _ID_RE.match(item_id):
        problems.append(
            f"{where}: id must be lower-case letters, digits, '-' or '_', got {item_id!r}"
        )
        item_id = f"#{number}"
    else:
        where = f"item '{item_id}'"
        if item_id in seen:
            problems.append(f"{where}: id is used twice; give each item its own id")
        seen.add(item_id)
    for key in sorted(set(raw) - _ITEM_KEYS):
        problems.append(f"{where}: unknown field '{key}'; allowed: {', '.join(sorted(_ITEM_KEYS))}")
    kind = raw.get("kind", "fact")
    if kind not in KINDS:
        problems.append(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    text = _text(raw, "text", where, problems)
    note = _text(raw, "note", where, problems)
    date = ""
    if "date" in raw:
        date = _as_date(raw.get("date")) or ""
        if not date:
            problems.append(
                f"{where}: date must be YYYY-MM-DD (when it happened), got {raw.get('date')!r}"
            )
    source = _check_source(raw.get("source"), where, problems) if "source" in raw else None
    if source is None and "source" not in raw:
        problems.append(
            f"{where}: every fact needs a source (title, publisher, url, date); add one or drop the item"
        )
    contested = raw.get("contested", False)
    if not isinstance(contested, bool):
        problems.append(f"{where}: contested must be true or false, got {contested!r}")
        contested = False
    articles = raw.get("articles")
    citations: list[str] = []
    if not isinstance(articles, list) or not articles:
        problems.append(
            f'{where}: articles must be a list of at least one citation, e.g. ["GCIII 13(2)"]'
        )
    else:
        for c in articles:
            if not isinstance(c, str):
                problems.append(f'{where}: citation {c!r} must be text such as "GCIII 13(2)"')
                continue
            try:
                resolver(c)
            except (ValueError, KeyError) as error:
                problems.append(f"{where}: citation {c!r} does not resolve: {error}")
                continue
            citations.append(c)
    if source is None:
        return None
    return CaseItem(item_id, str(kind), text, source, tuple(citations), note, bool(contested), date)


def load_case(
    path_or_id: str | Path = "kyiv-2022-03-16", *, resolver: Resolver | None = None
) -> Case:
    """Load and check a case file (a path, or the id of a file in ``data/case/``).

    Raises :class:`CaseError` listing every problem at once, so an author fixes them in one pass.
    """
    p = Path(path_or_id)
    if not (p.suffix in (".yaml", ".yml") or p.exists()):
        p = data_file("case", f"{path_or_id}.yaml")
    shown = display_path(p)
    if not p.exists():
        available = [x.stem for x in case_files()]
        raise FileNotFoundError(
            f"no case file {shown}; available: {', '.join(available) or 'none'}"
        )
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CaseError(shown, [f"not valid YAML: {error}"]) from error
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise CaseError(
            shown, ["the file must be a mapping with case, title, description and items"]
        )
    for key in sorted(set(raw) - _TOP_KEYS):
        problems.append(
            f"top level: unknown field '{key}'; allowed: {', '.join(sorted(_TOP_KEYS))}"
        )
    case_id = raw.get("case")
    if not isinstance(case_id, str) or not _ID_RE.match(case_id):
        problems.append(f"top level: case must be an id such as kyiv-2022-03-16, got {case_id!r}")
        case_id = p.stem
    title = _text(raw, "title", "top level", problems)
    description = _text(raw, "description", "top level", problems, required=False)
    items_raw = raw.get("items")
    items: list[CaseItem] = []
    if not isinstance(items_raw, list) or not items_raw:
        problems.append("top level: items must be a list with at least one item")
    else:
        seen: set[str] = set()
        for n, entry in enumerate(items_raw, start=1):
            item = _check_item(entry, n, problems, resolver or _default_resolver, seen)
            if item is not None:
                items.append(item)
    if problems:
        raise CaseError(shown, problems)
    return Case(str(case_id), title, description, tuple(items), shown)


# ----------------------------------------------------------------------------- HTML


def _source_line(s: CaseSource) -> str:
    note = f" <em>{html.escape(s.note)}</em>" if s.note else ""
    return (
        f'<a href="{html.escape(s.url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(s.title)}</a>, {html.escape(s.publisher)}, {html.escape(s.date)}.{note}"
    )


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
        f"<p><small><strong>{html.escape(KINDS.get(item.kind, item.kind))}</strong>{when}</small></p>"
        f"{paras}{contested}"
        f'<p class="powkit-case-note"><strong>Why these articles:</strong> {html.escape(item.note)}</p>'
        f'<p class="powkit-case-source"><small>Source: {_source_line(item.source)}</small></p></div>'
    )


def _articles_block(citations: tuple[str, ...]) -> str:
    blocks = []
    for c in citations:
        try:
            blocks.append(convention.passage_html(c))
        except (
            ValueError,
            OSError,
            KeyError,
        ) as error:  # show the statement even if a text is missing
            blocks.append(
                f'<p class="powkit-error">Cannot show {html.escape(c)}: {html.escape(str(error))}</p>'
            )
    return "".join(blocks)


def timeline_html(case: Case | None = None) -> str:
    """The dated items as a table (date, what happened, source), oldest first."""
    case = case or load_case()
    rows = "".join(
        f"<tr><td style='white-space:nowrap;vertical-align:top'>{html.escape(i.date)}</td>"
        f"<td style='text-align:left'>{html.escape(' '.join(i.text.split()))}"
        f"<br><small>{html.escape(KINDS.get(i.kind, i.kind))}. {_source_line(i.source)}</small></td></tr>"
        for i in case.timeline()
    )
    return (
        f'<table class="powkit-case-timeline"><thead><tr><th>Date</th><th style="text-align:left">'
        f"What happened (our summary)</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def sources_html(case: Case | None = None) -> str:
    """Every distinct source used by the case file, once, sorted by date."""
    case = case or load_case()
    unique: dict[str, CaseSource] = {}
    for i in case.items:
        unique.setdefault(i.source.url, i.source)
    items = "".join(
        f"<li>{_source_line(s)}</li>"
        for s in sorted(unique.values(), key=lambda s: (s.date, s.title))
    )
    return f'<ul class="powkit-case-sources">{items}</ul>'


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
            f"<h3>{html.escape(self.case.title)}</h3>"
            "<p><small>Choose a fact or statement (Tab into the list, then use the arrow keys). "
            "Its source is on the left; the exact words of the articles it engages are on the right.</small></p>"
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
            f'<div class="powkit-case-passages">{_articles_block(item.articles)}</div>'
        )
