"""The case file: sourced facts and statements about one real event, and the articles each engages.

Why a data file: the course starts from one event (captured Russian service members speaking to
journalists in Kyiv in March 2022), and students learn the law by asking, statement by statement,
which provisions a fact engages. Keeping the facts in ``data/case/<id>.yaml``, each with its own
source, keeps the notebook honest: a fact without a publisher, a URL and a date cannot be loaded,
and a citation that does not resolve to the Convention's exact words is a problem that names the
file, the item and the field (:mod:`powkit.validation`). The widget that shows a case is
:class:`powkit.case.CaseAnnotator`; this module knows nothing of widgets.

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
from dataclasses import dataclass
from pathlib import Path

from powkit import convention
from powkit.resources import data_file, data_files, display_path
from powkit.validation import (
    ID_RE,
    Checker,
    Problem,
    Resolver,
    Source,
    ValidationError,
    describe_type,
    open_mapping,
    short_repr,
)

__all__ = [
    "ITEM_KINDS",
    "Case",
    "CaseError",
    "CaseItem",
    "case_dir",
    "case_files",
    "check_case",
    "load_case",
]

#: What an item is, with the label shown to learners. A *claim* is something a party to the
#: conflict asserted; a *finding* is a conclusion of an independent body (a UN office, the ICRC,
#: a human-rights organisation); a *statement* is something a prisoner said; *law* is a point of
#: interpretation.
ITEM_KINDS: dict[str, str] = {
    "fact": "Fact",
    "statement": "Prisoner's statement",
    "claim": "Claim by a party",
    "finding": "Finding or statement of an independent body",
    "law": "Interpretation",
}

_TOP_KEYS = ("case", "title", "description", "items")
_ITEM_KEYS = ("id", "date", "kind", "text", "source", "articles", "note", "contested")


class CaseError(ValidationError):
    """A case file that cannot be used; ``problems`` lists every reason at once."""


@dataclass(frozen=True)
class CaseItem:
    """One fact, statement, claim, finding or point of law, with its source and articles."""

    id: str
    kind: str
    text: str
    source: Source
    articles: tuple[str, ...]
    note: str
    contested: bool = False
    date: str = ""

    @property
    def kind_label(self) -> str:
        return ITEM_KINDS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        """A one-line label for the list: date, kind and the start of the text."""
        words = " ".join(self.text.split())
        short = words if len(words) <= 90 else words[:87].rsplit(" ", 1)[0] + "..."
        when = f"{self.date} " if self.date else ""
        return f"{when}[{self.kind_label}] {short}"


@dataclass(frozen=True)
class Case:
    """A validated case file: its items in the order written."""

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

    def sources(self) -> list[Source]:
        """Every distinct source (by URL) the items use, oldest first."""
        unique: dict[str, Source] = {}
        for i in self.items:
            unique.setdefault(i.source.url, i.source)
        return sorted(unique.values(), key=lambda s: (s.date, s.title))


def case_dir() -> Path:
    """The folder of case files read first (``$POWKIT_DATA/case`` if it exists, else shipped)."""
    return data_file("case")


def case_files() -> list[Path]:
    """Every case file the kit offers, an instructor's first."""
    return data_files("case")


def _event_date(value: object) -> str | None:
    """When the event happened: YAML turns 2022-03-16 into a date; accept that or the text."""
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def _check_item(raw: object, number: int, check: Checker, seen: set[str]) -> CaseItem | None:
    if not isinstance(raw, dict):
        check.add(
            f"item #{number}",
            "",
            f"must be a mapping with id, text, source, articles and note, not {describe_type(raw)}",
        )
        return None
    before = len(check.problems)
    raw_id = raw.get("id")
    usable = isinstance(raw_id, str) and ID_RE.match(raw_id)
    item = f"item {raw_id}" if usable else f"item #{number}"
    item_id = check.ident(raw, "id", item)
    if item_id is not None:
        if item_id in seen:
            check.add(item, "id", f"{item_id!r} is used twice; give each item its own id")
        seen.add(item_id)
    check.unknown(raw, _ITEM_KEYS, item)
    kind = raw.get("kind", "fact")
    if kind not in ITEM_KINDS:
        check.add(item, "kind", f"{short_repr(kind)} must be one of {' | '.join(ITEM_KINDS)}")
    text = check.text(raw, "text", item)
    note = check.text(raw, "note", item)
    date = ""
    if "date" in raw:
        date = _event_date(raw["date"]) or ""
        if not date:
            check.add(
                item, "date", f"{short_repr(raw['date'])} must be YYYY-MM-DD (when it happened)"
            )
    source = None
    if "source" not in raw or raw["source"] is None:
        check.add(
            item,
            "source",
            "missing; every fact needs a source (title, publisher, url, date), or drop the item",
        )
    else:
        source = check.source(raw["source"], item)
    contested = check.boolean(raw, "contested", item, default=False)
    articles = check.citations(raw, "articles", item)
    if len(check.problems) > before or source is None:
        return None
    return CaseItem(
        str(item_id),
        str(kind),
        str(text),
        source,
        articles,
        " ".join(str(note).split()),
        bool(contested),
        date,
    )


def check_case(
    path: str | Path, *, resolver: Resolver | None = None
) -> tuple[Case | None, list[Problem]]:
    """Read and check one case file; return the case (None if unusable) and every problem."""
    raw, check = open_mapping(path, _TOP_KEYS, resolver or convention.resolve)
    if raw is None:
        return None, check.problems
    shown = check.path
    case_id = check.ident(raw, "case", "")
    title = check.text(raw, "title", "")
    description = check.text(raw, "description", "", required=False) or ""
    items_raw = raw.get("items")
    items: list[CaseItem] = []
    if not isinstance(items_raw, list) or not items_raw:
        check.add(
            "", "items", f"must be a list with at least one item, not {describe_type(items_raw)}"
        )
    else:
        seen: set[str] = set()
        for number, entry in enumerate(items_raw, start=1):
            found = _check_item(entry, number, check, seen)
            if found is not None:
                items.append(found)
    if check.problems or case_id is None or title is None:
        return None, check.problems
    return Case(
        case_id, " ".join(title.split()), " ".join(description.split()), tuple(items), shown
    ), []


def load_case(
    path_or_id: str | Path = "kyiv-2022-03-16", *, resolver: Resolver | None = None
) -> Case:
    """Load and check a case file (a path, or the id of a file in ``data/case/``).

    Raises :class:`CaseError` listing every problem at once, so an author fixes them in one pass.
    """
    p = Path(path_or_id)
    if not (p.suffix in (".yaml", ".yml") or p.exists()):
        p = data_file("case", f"{path_or_id}.yaml")
    if not p.exists():
        available = [x.stem for x in case_files()]
        raise FileNotFoundError(
            f"no case file {display_path(p)}; available: {', '.join(available) or 'none'}"
        )
    case, problems = check_case(p, resolver=resolver)
    if case is None:
        raise CaseError(problems or [Problem(display_path(p), "", "", "not a valid case file")])
    return case
