"""The treaty texts as data, and citations that resolve to their exact words.

Every quotation of the law in the kit goes through this module, so that there is one copy
of each text (in ``data/``) and no lesson, quiz or exercise ever types treaty wording by hand.

A citation names a treaty and a place in it, the way lawyers write it::

    GCIII 13(2)          paragraph 2 of Article 13 of the Third Geneva Convention
    GCIII 4A(2)(b)       letter (b) of item (2) of paragraph A of Article 4
    GCIII 109-117        a range of whole articles
    GCIII 13(2), 14, 17  a list
    API 75(4)(e)         Additional Protocol I of 1977
    APII 5(1)(b)         Additional Protocol II of 1977
    GCI 16, GCIV 4       the First and Fourth Geneva Conventions (the articles the kit carries)

Paragraph numbers follow the ICRC IHL database, which numbers the paragraphs of each
article "for ease of reference"; letters and numbers printed in the treaty itself
(``A.``, ``(1)``, ``(a)``) are kept as nested items.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from powkit.markup import HTMLView
from powkit.resources import data_dir, data_file, display_path, file_version
from powkit.validation import Checker, CitationError, Problem, describe_type

__all__ = [
    "SOURCE_NAMES",
    "TREATIES",
    "TREATY_NAMES",
    "Article",
    "CitationError",
    "Node",
    "Passage",
    "Reading",
    "SearchHit",
    "Variant",
    "article",
    "article_html",
    "articles",
    "check_treaty",
    "cite",
    "data_dir",
    "parts",
    "passage_html",
    "passages_block",
    "resolve",
    "search",
    "show_articles",
    "treaty_info",
    "variant_sources",
    "variants",
    "variants_html",
]

#: Short names of the treaties the kit carries, and the file that holds each. GCIII and the
#: Protocol I articles the kit teaches first; the others supply the articles that lessons on
#: non-international conflicts, the missing and the dead, and enforcement quote.
TREATIES: dict[str, str] = {
    "GCIII": "gc3.json",
    "API": "api1.json",
    "APII": "api2.json",
    "GCI": "gc1.json",
    "GCIV": "gc4.json",
}

#: Every way the kit accepts of writing a treaty's name (upper case, spaces squeezed to one).
_TREATY_ALIASES = {
    "GCIII": "GCIII",
    "GC III": "GCIII",
    "GC3": "GCIII",
    "GC 3": "GCIII",
    "API": "API",
    "AP I": "API",
    "AP1": "API",
    "AP 1": "API",
    "APII": "APII",
    "AP II": "APII",
    "AP2": "APII",
    "AP 2": "APII",
    "GCI": "GCI",
    "GC I": "GCI",
    "GC1": "GCI",
    "GC 1": "GCI",
    "GCIV": "GCIV",
    "GC IV": "GCIV",
    "GC4": "GCIV",
    "GC 4": "GCIV",
}

#: The treaties as a reader names them, for messages and menus.
TREATY_NAMES: dict[str, str] = {
    "GCIII": "Third Geneva Convention (1949)",
    "API": "Additional Protocol I (1977)",
    "APII": "Additional Protocol II (1977)",
    "GCI": "First Geneva Convention (1949)",
    "GCIV": "Fourth Geneva Convention (1949)",
}


#: A label made of words ("Category I" in GCIII 60) rather than a letter or number.
_WORD_LABEL = re.compile(r"\s")


@dataclass(frozen=True)
class Node:
    """One numbered unit of an article: a paragraph, or an item printed inside one."""

    label: str
    text: str
    items: tuple[Node, ...] = ()
    #: Words printed after the items, still part of this paragraph (e.g. API 44(3)).
    text_after: str = ""

    @property
    def printed_label(self) -> str:
        """The label as the treaty prints it before an item: "(a)", "(2)", or "Category I:"."""
        if _WORD_LABEL.search(self.label):
            return f"{self.label}:"
        return f"({self.label})"

    def full_text(self) -> str:
        """The node's own words followed by its items, each item prefixed with its printed label.

        A paragraph may open directly with its first item (API 90(1) is "1. (a) An International
        Fact-Finding Commission..."): it then has no words of its own.
        """
        lines = [self.text] if self.text else []
        for item in self.items:
            lines.append(f"{item.printed_label} {item.full_text()}")
        if self.text_after:
            lines.append(self.text_after)
        return "\n".join(lines)


@dataclass(frozen=True)
class Article:
    """One article, with its heading and its place in the treaty's Parts, Sections and Chapters."""

    treaty: str
    number: int
    heading: str
    part: dict | None
    section: dict | None
    chapter: dict | None
    paragraphs: tuple[Node, ...]
    sources: tuple[str, ...] = ()
    #: Language of the heading when the ICRC title found is not English (e.g. ``"fr"``).
    heading_language: str = "en"
    #: Where the heading comes from, when the data file records it.
    heading_source: str = ""

    @property
    def citation(self) -> str:
        return f"{self.treaty} {self.number}"

    @property
    def title(self) -> str:
        """The heading for display; a few headings could not be verified and are not invented.

        Where only the ICRC's French title was found, it is shown as such, so that nobody takes
        it for an English title the ICRC does not give.
        """
        if not self.heading:
            return "heading not verified (see data/SOURCES.md)"
        if self.heading_language == "fr":
            return f"{self.heading} (ICRC French title)"
        return self.heading

    @property
    def context(self) -> str:
        """Where the article sits, e.g. 'Part III: Captivity > Section I: Beginning of captivity'."""
        bits = []
        for kind, value in (
            ("Part", self.part),
            ("Section", self.section),
            ("Chapter", self.chapter),
        ):
            if value:
                bits.append(f"{kind} {value['number']}: {value['title']}")
        return " > ".join(bits)

    @property
    def text(self) -> str:
        return "\n\n".join(p.full_text() for p in self.paragraphs)


@dataclass(frozen=True)
class Passage:
    """The exact words at one citation, with what a reader needs to place them."""

    citation: str
    treaty: str
    article: int
    path: tuple[str, ...]
    heading: str
    context: str
    text: str


@dataclass(frozen=True)
class SearchHit:
    """One article that matches a search, best paragraph first."""

    article: Article
    citation: str
    score: float
    snippet: str
    snippet_html: str


# --------------------------------------------------------------------------- loading


def _node(raw: dict, where: str) -> Node:
    try:
        label = str(raw["label"])
        text = raw["text"]
    except KeyError as missing:
        raise ValueError(f"{where}: paragraph is missing {missing}") from None
    items = tuple(_node(i, f"{where}({label})") for i in raw.get("items", ()))
    return Node(label=label, text=text, items=items, text_after=raw.get("text_after", ""))


def _file_version(treaty: str) -> tuple[str, str, int]:
    """(treaty, path, modification time): the key of every cache of a treaty's text.

    Keyed this way, setting ``$POWKIT_DATA`` later, or correcting a text in place, is seen at
    the next call instead of being hidden by a cache.
    """
    if treaty not in TREATIES:
        raise CitationError(f"unknown treaty {treaty!r}; the kit has {', '.join(TREATIES)}")
    return (treaty, *file_version(data_file(TREATIES[treaty])))


def _load(treaty: str) -> tuple[dict, dict[int, Article]]:
    """The treaty's metadata and articles, read once per version of its file."""
    return _load_file(*_file_version(treaty))


@lru_cache(maxsize=16)
def _load_file(treaty: str, path_name: str, _stamp: int) -> tuple[dict, dict[int, Article]]:
    path = Path(path_name)
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    result: dict[int, Article] = {}
    for entry in raw["articles"]:
        number = int(entry["number"])
        where = f"{path.name}: Article {number}"
        result[number] = Article(
            treaty=treaty,
            number=number,
            heading=entry.get("heading") or "",
            part=entry.get("part"),
            section=entry.get("section"),
            chapter=entry.get("chapter"),
            paragraphs=tuple(_node(p, where) for p in entry["paragraphs"]),
            sources=tuple(entry.get("sources", ())),
            heading_language=entry.get("heading_language", "en"),
            heading_source=entry.get("heading_source", ""),
        )
    meta = {k: v for k, v in raw.items() if k != "articles"}
    return meta, dict(sorted(result.items()))


def treaty_info(treaty: str = "GCIII") -> dict:
    """Title, date and provenance of a treaty text, as recorded in its data file."""
    return _load(treaty)[0]


def articles(treaty: str = "GCIII") -> list[Article]:
    """All articles the kit holds for a treaty, in order."""
    return list(_load(treaty)[1].values())


def article(number: int | str, treaty: str = "GCIII") -> Article:
    """One article by number: ``article(13)``."""
    table = _load(treaty)[1]
    try:
        return table[int(number)]
    except (KeyError, ValueError):
        raise CitationError(f"{treaty} {number}: {treaty} has {_describe_numbers(table)}") from None


def _describe_numbers(table: dict[int, Article]) -> str:
    numbers = sorted(table)
    runs, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(f"{start}-{prev}" if start != prev else f"{start}")
        if n is not None:
            start = prev = n
    word = "Articles" if len(numbers) > 1 else "Article"
    return f"{word} {', '.join(runs)}"


def parts(treaty: str = "GCIII") -> list[dict]:
    """The treaty's Parts in order, each with its title and the articles it contains."""
    found: dict[str, dict] = {}
    for art in articles(treaty):
        if not art.part:
            continue
        entry = found.setdefault(
            art.part["number"],
            {"number": art.part["number"], "title": art.part["title"], "articles": []},
        )
        entry["articles"].append(art.number)
    return list(found.values())


# --------------------------------------------------------------------------- citations

_TREATY_RE = re.compile(
    r"^\s*(GC\s?(?:IV|III|II|I|[1-4])|AP\s?(?:II|I|[12]))(?![A-Za-z])\.?\s*(.*)$", re.IGNORECASE
)
_ITEM_RE = re.compile(r"^(?:Art(?:icle|\.)?\s*)?(\d+)\s*([A-Z])?((?:\s*\([0-9A-Za-z]+\))*)$")
_RANGE_RE = re.compile(r"^(?:Art(?:icles|\.)?\s*)?(\d+)\s*[-\u2013]\s*(\d+)$")


def _split_treaty(citation: str) -> tuple[str, str]:
    match = _TREATY_RE.match(citation)
    if not match:
        raise CitationError(
            f"{citation!r}: a citation starts with a treaty, {_treaty_list()} (e.g. 'GCIII 13(2)')"
        )
    key = re.sub(r"\s+", " ", match.group(1).upper())
    if key not in _TREATY_ALIASES:
        raise CitationError(f"{citation!r}: the kit does not carry {key}; it has {_treaty_list()}")
    return _TREATY_ALIASES[key], match.group(2).strip()


def _treaty_list() -> str:
    names = list(TREATIES)
    return ", ".join(names[:-1]) + f" or {names[-1]}"


def _format(treaty: str, number: int, path: tuple[str, ...]) -> str:
    out = f"{treaty} {number}"
    for i, label in enumerate(path):
        if i == 0 and label.isalpha() and label.isupper():
            out += label
        else:
            out += f"({label})"
    return out


def _find(treaty: str, number: int, path: tuple[str, ...], original: str) -> Passage:
    art = article(number, treaty)
    nodes = art.paragraphs
    node: Node | None = None
    walked: list[str] = []
    for label in path:
        match = next((n for n in nodes if n.label == label), None)
        if match is None:
            where = _format(treaty, number, tuple(walked)) if walked else f"Article {number}"
            has = ", ".join(f"({n.label})" for n in nodes) or "no numbered items"
            noun = "paragraphs" if not walked else "items"
            raise CitationError(f"{original}: {where} has {noun} {has}")
        node = match
        walked.append(label)
        nodes = match.items
    text = art.text if node is None else node.full_text()
    return Passage(
        citation=_format(treaty, number, path),
        treaty=treaty,
        article=number,
        path=path,
        heading=art.title,
        context=art.context,
        text=text,
    )


def resolve(citation: str) -> list[Passage]:
    """All passages a citation names, in the order written.

    Raises :class:`CitationError` for anything that does not exist, naming what does.
    """
    treaty, rest = _split_treaty(citation)
    if not rest:
        raise CitationError(f"{citation!r}: name an article after the treaty (e.g. '{treaty} 13')")
    passages: list[Passage] = []
    for piece in re.split(r"\s*[,;]\s*|\s+and\s+", rest):
        piece = piece.strip()
        if not piece:
            continue
        ranged = _RANGE_RE.match(piece)
        if ranged:
            first, last = int(ranged.group(1)), int(ranged.group(2))
            if first > last:
                raise CitationError(f"{citation!r}: range {piece} runs backwards")
            for number in range(first, last + 1):
                passages.append(_find(treaty, number, (), citation))
            continue
        single = _ITEM_RE.match(piece)
        if not single:
            raise CitationError(
                f"{citation!r}: cannot read {piece!r}; write e.g. '13', '13(2)', '4A(2)(b)' or '109-117'"
            )
        number = int(single.group(1))
        path = ((single.group(2),) if single.group(2) else ()) + tuple(
            re.findall(r"\(([0-9A-Za-z]+)\)", single.group(3))
        )
        passages.append(_find(treaty, number, path, citation))
    return passages


def cite(citation: str) -> str:
    """The exact words at a citation.

    For one passage this is its text alone; for a range or list, each passage is preceded by
    its own citation so that the reader always knows which words belong where.
    """
    found = resolve(citation)
    if len(found) == 1:
        return found[0].text
    return "\n\n".join(f"{p.citation}\n{p.text}" for p in found)


# --------------------------------------------------------------------------- variant readings


@dataclass(frozen=True)
class Reading:
    """One wording of a provision, and the copies of the treaty that print it."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """A place where copies of the treaty word a provision differently, and what the kit keeps.

    ``readings`` holds every wording found, each with its sources (``ICRC``, ``CA``, ``NL``,
    ``NZ``: see ``data/variants.json`` for what each means); ``kept`` is the reading the kit's
    text uses, chosen by the rule in ``data/SOURCES.md``; ``reason`` says why.
    """

    provision: str
    kind: str
    readings: tuple[Reading, ...]
    kept: Reading
    reason: str

    @property
    def others(self) -> tuple[Reading, ...]:
        """The readings the kit does not use."""
        return tuple(r for r in self.readings if r is not self.kept)


#: Short names of the copies, as a reader would say them.
SOURCE_NAMES: dict[str, str] = {
    "ICRC": "ICRC IHL database",
    "CA": "Canada",
    "NL": "Netherlands",
    "NZ": "New Zealand",
}


def _variant_table() -> tuple[dict, tuple[tuple[Passage, Variant], ...]]:
    """The variant readings, read once per version of ``variants.json`` (like the texts)."""
    return _variant_table_at(*file_version(data_file("variants.json")))


@lru_cache(maxsize=4)
def _variant_table_at(
    path_name: str, _stamp: int
) -> tuple[dict, tuple[tuple[Passage, Variant], ...]]:
    path = Path(path_name)
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    table = []
    for i, entry in enumerate(raw["variants"]):
        where = f"{path.name}: variant {i + 1} ({entry.get('provision', '?')})"
        try:
            readings = tuple(
                Reading(text=r["text"], sources=tuple(r["sources"])) for r in entry["readings"]
            )
            kept = next((r for r in readings if r.text == entry["kept"]), None)
            if kept is None:
                raise ValueError(f"{where}: kept: {entry['kept']!r} is not one of the readings")
            variant = Variant(
                provision=entry["provision"],
                kind=entry["kind"],
                readings=readings,
                kept=kept,
                reason=entry["reason"],
            )
        except KeyError as missing:
            raise ValueError(f"{where}: missing field {missing}") from None
        try:
            place = resolve(variant.provision)[0]
        except CitationError as error:
            raise ValueError(f"{where}: provision: {error}") from None
        table.append((place, variant))
    meta = {k: v for k, v in raw.items() if k != "variants"}
    return meta, tuple(table)


def variant_sources() -> dict[str, str]:
    """What each source name used in the variants stands for (``"CA"`` -> the Canadian Act...)."""
    return dict(_variant_table()[0]["sources"])


def variants(citation: str) -> list[Variant]:
    """The known variant readings within a citation, in the order of the text.

    ``variants("GCIII 47(2)")`` gives the readings of that paragraph; ``variants("GCIII 47")``
    those of the whole article. Each :class:`Variant` names every wording found with its sources,
    and the one the kit keeps. An empty list means the copies compared agree there.
    """
    out: list[Variant] = []
    for passage in resolve(citation):
        for place, variant in _variant_table()[1]:
            if (
                place.treaty == passage.treaty
                and place.article == passage.article
                and place.path[: len(passage.path)] == passage.path
            ):
                out.append(variant)
    return out


# --------------------------------------------------------------------------- rendering


def _node_html(node: Node, level: int, marks: re.Pattern | None) -> str:
    label = (
        f"{node.label}."
        if level == 0 and node.label.isalpha() and node.label.isupper()
        else node.printed_label
    )
    body = _highlight(node.text, marks)
    items = "".join(_node_html(i, level + 1, marks) for i in node.items)
    inner = f'<ol class="powkit-items">{items}</ol>' if items else ""
    after = f"<p>{_highlight(node.text_after, marks)}</p>" if node.text_after else ""
    return f'<li><span class="powkit-label">{html.escape(label)}</span> {body}{inner}{after}</li>'


def _highlight(text: str, marks: re.Pattern | None) -> str:
    if marks is None:
        return html.escape(text)
    out, last = [], 0
    for match in marks.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _heading_html(art: Article) -> str:
    if art.heading and art.heading_language != "en":
        return (
            f'<span lang="{html.escape(art.heading_language)}">{html.escape(art.heading)}</span>'
            " (ICRC French title)"
        )
    return html.escape(art.title)


def _sources_text(reading: Reading) -> str:
    return ", ".join(SOURCE_NAMES.get(s, s) for s in reading.sources)


def variants_html(citation: str) -> str:
    """The variant readings within a citation as an accessible, escaped HTML list ("" if none).

    Each item names the provision, the reading the kit keeps and the other readings, each with
    the copies that print it, in words: the distinction never rests on colour or styling.
    """
    found = variants(citation)
    if not found:
        return ""
    items = []
    for v in found:
        others = "; ".join(
            f"&ldquo;{html.escape(r.text)}&rdquo; ({html.escape(_sources_text(r))})"
            for r in v.others
        )
        items.append(
            f"<li><strong>{html.escape(v.provision)}</strong>. Kept in the kit: "
            f"&ldquo;{html.escape(v.kept.text)}&rdquo; ({html.escape(_sources_text(v.kept))}). "
            f"Other reading: {others}. <small>Why: {html.escape(v.reason)}</small></li>"
        )
    count = len(found)
    title = f"Variant readings ({count} place{'s' if count != 1 else ''} where copies differ)"
    # An aria-label rather than aria-labelledby: the same article may be shown twice in a
    # notebook, and ids must be unique on a page.
    label = html.escape(f"Variant readings of {citation}")
    return (
        f'<div class="powkit-variants"><p><strong>{title}</strong></p>'
        f'<ul aria-label="{label}">{"".join(items)}</ul></div>'
    )


def article_html(art: Article, query: str = "") -> str:
    """An article as escaped HTML: heading, Part/Section context, numbered paragraphs, and the
    variant readings that official copies print (see :func:`variants_html`)."""
    marks = _query_pattern(query) if query.strip() else None
    paras = "".join(_node_html(p, 0, marks) for p in art.paragraphs)
    return (
        f'<div class="powkit-article" role="article" aria-label="{html.escape(art.citation)}">'
        f"<p><strong>{html.escape(art.citation)}: {_heading_html(art)}</strong><br>"
        f"<small>{html.escape(art.context)}</small></p>"
        f'<ol class="powkit-paragraphs">{paras}</ol>'
        f"{variants_html(art.citation)}</div>"
    )


def passage_html(citation: str) -> str:
    """Escaped HTML of the exact words at a citation, each passage headed by its citation."""
    blocks = []
    for p in resolve(citation):
        body = "<br>".join(html.escape(line) for line in p.text.split("\n"))
        blocks.append(
            f'<blockquote class="powkit-passage" data-citation="{html.escape(p.citation)}">'
            f"<p><strong>{html.escape(p.citation)}</strong> ({html.escape(p.heading)})</p>"
            f"<p>{body}</p></blockquote>"
        )
    return "".join(blocks)


def passages_block(citations: Iterable[str]) -> str:
    """The passages of several citations as HTML; a citation that cannot be shown becomes a
    line saying why, so that a widget never hides a question or a statement for it."""
    blocks = []
    for citation in citations:
        try:
            blocks.append(passage_html(citation))
        except (ValueError, OSError, KeyError) as error:
            blocks.append(
                f'<p class="powkit-error">Cannot show {html.escape(citation)}: '
                f"{html.escape(str(error))}</p>"
            )
    return "".join(blocks)


def show_articles(*citations: str) -> HTMLView:
    """The exact text of one or more citations, to show in a notebook (or print as text).

    ``show_articles("GCIII 13(2)", "GCIII 14(1)")`` as the last line of a cell shows each
    passage under its citation and heading; ``print(...)`` gives the same words as text.
    """
    html_text = "".join(passage_html(c) for c in citations)
    text = "\n\n".join(
        f"{p.citation} ({p.heading})\n{p.text}" for c in citations for p in resolve(c)
    )
    return HTMLView(f'<div class="powkit-article">{html_text}</div>', text)


# --------------------------------------------------------------------------- search

_WORD_RE = re.compile(r"[\w'-]+")


def _query_terms(query: str) -> list[str]:
    return [t.lower() for t in _WORD_RE.findall(query) if len(t) > 1 or t.isdigit()]


def _query_pattern(query: str) -> re.Pattern | None:
    terms = _query_terms(query)
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def _index(treaty: str) -> tuple[tuple[Article, str, str, str], ...]:
    """(article, citation, text, lowercased text) for every paragraph and item, built once per
    version of the treaty file."""
    return _index_of(*_file_version(treaty))


@lru_cache(maxsize=16)
def _index_of(treaty: str, path_name: str, stamp: int) -> tuple[tuple[Article, str, str, str], ...]:
    rows = []
    for art in _load_file(treaty, path_name, stamp)[1].values():
        if art.heading:
            rows.append((art, art.citation, art.heading, art.heading.lower()))
        for para in art.paragraphs:
            stack: list[tuple[Node, tuple[str, ...]]] = [(para, (para.label,))]
            while stack:
                node, path = stack.pop()
                words = f"{node.text} {node.text_after}".strip()
                rows.append((art, _format(treaty, art.number, path), words, words.lower()))
                stack.extend((child, path + (child.label,)) for child in node.items)
    return tuple(rows)


def _treaties_to_search(treaty: str | None) -> list[str]:
    if treaty is None or treaty.strip().lower() == "all":
        return list(TREATIES)
    key = re.sub(r"\s+", " ", treaty.strip().upper())
    if key not in _TREATY_ALIASES:
        raise CitationError(f"unknown treaty {treaty!r}; the kit has {_treaty_list()}, or 'all'")
    return [_TREATY_ALIASES[key]]


def search(query: str, treaty: str | None = None, limit: int = 10) -> list[SearchHit]:
    """Articles matching a query, best first, with the matching passage highlighted.

    Searches every treaty the kit carries, or only ``treaty`` (``"GCIII"``, ``"API"``...; ``None``
    or ``"all"`` for all of them). Each word of the query matches words that start with it
    ("repatriat" finds "repatriated"); an exact phrase and a match in the article heading count
    for more. Cheap enough to run on every keystroke (see ``benchmarks/run.py``).
    """
    terms = _query_terms(query)
    if not terms:
        return []
    keys = _treaties_to_search(treaty)
    patterns = [re.compile(rf"\b{re.escape(t)}") for t in terms]
    phrase = " ".join(terms)
    best: dict[tuple[str, int], tuple[float, str, str]] = {}
    totals: dict[tuple[str, int], float] = {}
    for key in keys:
        for art, citation, text, lower in _index(key):
            if not any(term in lower for term in terms):  # cheap filter before the regexes
                continue
            is_heading = citation == art.citation and text == art.heading
            score = 0.0
            matched = 0
            for pattern in patterns:
                found = len(pattern.findall(lower))
                if found:
                    matched += 1
                    score += 1.0 + 0.25 * (found - 1)
            if not matched:
                continue
            if len(terms) > 1 and phrase in lower:
                score += 3.0
            score *= matched / len(terms)
            if is_heading:
                score *= 2.0
            where = (key, art.number)
            totals[where] = totals.get(where, 0.0) + score
            if not is_heading and (where not in best or score > best[where][0]):
                best[where] = (score, citation, text)
    marks = _query_pattern(query)
    order = {key: i for i, key in enumerate(TREATIES)}
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], order[kv[0][0]], kv[0][1]))
    hits = []
    for (key, number), total in ranked[:limit]:
        art = article(number, key)
        if (key, number) in best:
            _, citation, text = best[(key, number)]
        else:
            citation, text = art.citation, art.paragraphs[0].full_text()
        hits.append(
            SearchHit(
                article=art,
                citation=citation,
                score=round(total, 3),
                snippet=text,
                snippet_html=_highlight(text, marks),
            )
        )
    return hits


# --------------------------------------------------------------------------- checking a treaty file


def _children_problems(children: object, where: str, check: Checker, what: str) -> None:
    """Each paragraph (or item) of a list: labelled, unique at its level, checked in depth."""
    if not isinstance(children, list):
        check.add(where, what, f"must be a list, not {describe_type(children)}")
        return
    labels: set[str] = set()
    for child in children:
        label = str(child.get("label")) if isinstance(child, dict) else "?"
        if label in labels:
            check.add(f"{where}({label})", "label", "used twice at this level; labels must differ")
        labels.add(label)
        _node_problems(child, f"{where}({label})", check)


def _node_problems(raw: object, where: str, check: Checker) -> None:
    if not isinstance(raw, dict):
        check.add(where, "", f"must be a mapping with label and text, not {describe_type(raw)}")
        return
    for key in ("label", "text"):
        if not isinstance(raw.get(key), (str, int)) or isinstance(raw.get(key), bool):
            check.add(where, key, "missing; every paragraph and item needs a label and its text")
    _children_problems(raw.get("items", []), where, check, "items")


def check_treaty(treaty: str) -> tuple[int, list[Problem]]:
    """Check the structure of a treaty file: how many articles it holds, and every problem.

    Checks what the kit relies on (numbered articles, paragraphs and items with labels and
    text); whether the words are right is the job of the cross-check tests against the official
    copies (``data/SOURCES.md``).
    """
    path = data_file(TREATIES[treaty])
    check = Checker(display_path(path))
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        check.add("", "", f"cannot read ({error.strerror or error})")
        return 0, check.problems
    except json.JSONDecodeError as error:
        check.add(f"line {error.lineno}", "", f"not valid JSON: {error.msg}")
        return 0, check.problems
    entries = raw.get("articles") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        check.add("", "articles", "missing; a treaty file holds a list of articles")
        return 0, check.problems
    numbers: set[int] = set()
    for position, entry in enumerate(entries, 1):
        number = entry.get("number") if isinstance(entry, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            check.add(f"article #{position}", "number", "missing; give the article's number")
            continue
        item = f"Article {number}"
        if number in numbers:
            check.add(item, "number", "appears twice; each article once")
        numbers.add(number)
        if not isinstance(entry.get("heading") or "", str):
            check.add(item, "heading", "must be text (null or empty if not verified)")
        paragraphs = entry.get("paragraphs")
        if not paragraphs:
            check.add(item, "paragraphs", "missing; an article has at least one paragraph")
            continue
        _children_problems(paragraphs, f"{treaty} {number}", check, "paragraphs")
    return len(numbers), check.problems
