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
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "Article",
    "CitationError",
    "Node",
    "Passage",
    "SearchHit",
    "TREATIES",
    "TREATY_NAMES",
    "article",
    "article_html",
    "articles",
    "cite",
    "data_dir",
    "parts",
    "passage_html",
    "resolve",
    "search",
    "show_articles",
    "treaty_info",
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


class CitationError(ValueError):
    """A citation that does not name an existing article or paragraph.

    The message always says what does exist, so that the reader can correct the citation.
    """


def data_dir() -> Path:
    """Where the kit's data lives: ``$POWKIT_DATA`` if set, else the repository's ``data/``."""
    override = os.environ.get("POWKIT_DATA")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Node:
    """One numbered unit of an article: a paragraph, or an item printed inside one."""

    label: str
    text: str
    items: tuple[Node, ...] = ()
    #: Words printed after the items, still part of this paragraph (e.g. API 44(3)).
    text_after: str = ""

    def full_text(self) -> str:
        """The node's own words followed by its items, each item prefixed with its printed label.

        A paragraph may open directly with its first item (API 90(1) is "1. (a) An International
        Fact-Finding Commission..."): it then has no words of its own.
        """
        lines = [self.text] if self.text else []
        for item in self.items:
            lines.append(f"({item.label}) {item.full_text()}")
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

    @property
    def citation(self) -> str:
        return f"{self.treaty} {self.number}"

    @property
    def title(self) -> str:
        """The heading for display; a few headings could not be verified and are not invented."""
        return self.heading or "heading not verified (see data/SOURCES.md)"

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


@lru_cache(maxsize=None)
def _load(treaty: str) -> tuple[dict, dict[int, Article]]:
    if treaty not in TREATIES:
        raise CitationError(f"unknown treaty {treaty!r}; the kit has {', '.join(TREATIES)}")
    path = data_dir() / TREATIES[treaty]
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


# --------------------------------------------------------------------------- rendering


def _node_html(node: Node, level: int, marks: re.Pattern | None) -> str:
    label = (
        f"{node.label}."
        if level == 0 and node.label.isalpha() and node.label.isupper()
        else f"({node.label})"
    )
    body = _highlight(node.text, marks)
    items = "".join(_node_html(i, level + 1, marks) for i in node.items)
    inner = (
        f'<ol class="powkit-items" style="list-style:none;padding-left:1.5em">{items}</ol>'
        if items
        else ""
    )
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


def article_html(art: Article, query: str = "") -> str:
    """An article as escaped HTML: heading, Part/Section context, numbered paragraphs."""
    marks = _query_pattern(query) if query.strip() else None
    paras = "".join(_node_html(p, 0, marks) for p in art.paragraphs)
    return (
        f'<div class="powkit-article" role="article" aria-label="{html.escape(art.citation)}">'
        f"<p><strong>{html.escape(art.citation)}: {html.escape(art.title)}</strong><br>"
        f"<small>{html.escape(art.context)}</small></p>"
        f'<ol class="powkit-paragraphs" style="list-style:none;padding-left:0">{paras}</ol></div>'
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


def show_articles(*citations: str):
    """Display the exact text of one or more citations in a notebook."""
    from IPython.display import HTML, display

    display(HTML("".join(passage_html(c) for c in citations)))


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


@lru_cache(maxsize=None)
def _index(treaty: str) -> tuple[tuple[Article, str, str, str], ...]:
    """(article, citation, text, lowercased text) for every paragraph and item, built once."""
    rows = []
    for art in articles(treaty):
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


def search(query: str, treaty: str = "GCIII", limit: int = 10) -> list[SearchHit]:
    """Articles matching a query, best first, with the matching passage highlighted.

    Each word of the query matches words that start with it ("repatriat" finds "repatriated");
    an exact phrase and a match in the article heading count for more. Cheap enough to run on
    every keystroke (see ``benchmarks/run.py``).
    """
    terms = _query_terms(query)
    if not terms:
        return []
    patterns = [re.compile(rf"\b{re.escape(t)}") for t in terms]
    phrase = " ".join(terms)
    best: dict[int, tuple[float, str, str]] = {}
    totals: dict[int, float] = {}
    for art, citation, text, lower in _index(treaty):
        if not any(term in lower for term in terms):  # cheap filter before the regexes
            continue
        is_heading = citation == art.citation and text == art.heading
        score = 0.0
        matched = 0
        for pattern in patterns:
            hits = len(pattern.findall(lower))
            if hits:
                matched += 1
                score += 1.0 + 0.25 * (hits - 1)
        if not matched:
            continue
        if len(terms) > 1 and phrase in lower:
            score += 3.0
        score *= matched / len(terms)
        if is_heading:
            score *= 2.0
        totals[art.number] = totals.get(art.number, 0.0) + score
        if not is_heading and (art.number not in best or score > best[art.number][0]):
            best[art.number] = (score, citation, text)
    marks = _query_pattern(query)
    hits = []
    for number, total in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]:
        art = article(number, treaty)
        if number in best:
            _, citation, text = best[number]
        else:
            citation, text = art.citation, art.paragraphs[0].text
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
