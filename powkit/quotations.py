"""Checking that treaty words quoted in prose are the treaty's words.

Lessons, question banks and case files sometimes quote a phrase of the Convention inside a
sentence ("without delay after the cessation of active hostilities" (GCIII 118(1))). Those quotes
are typed by people, so they are checked against ``data/``: a quotation that stands next to a
citation must occur, word for word, in the cited provision. Quotes of news reports and witnesses
stand next to no citation and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from powkit import convention

#: A citation written in prose: "GCIII 118(1)", "API 75(4)(e)", "GCIII 4A(2)(b)", "APII 6(5)", "GCI 16".
CITATION_IN_PROSE = re.compile(r"\b(?:GCIII|GCIV|GCI|APII|API)\s+\d+[A-Z]?(?:\([0-9A-Za-z]+\))*")
#: A quotation in straight or curly double quotes, on one line.
QUOTATION = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]+)[\"\u201d]")
#: How far (in characters) a citation may stand from a quotation and still be "its" citation.
NEARBY = 200


@dataclass(frozen=True)
class QuotationProblem:
    quote: str
    citation: str
    message: str

    def __str__(self) -> str:
        return f'"{self.quote}" ({self.citation}): {self.message}'


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _pieces(quote: str) -> list[str]:
    """A quotation may skip words with an ellipsis; each piece must then occur in order."""
    parts = re.split(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*", quote)
    return [_norm(p).strip(" ,;:.") for p in parts if _norm(p).strip(" ,;:.")]


def _citation_for(text: str, start: int, end: int) -> str | None:
    """The citation a quotation belongs to: one written right after it in brackets, else the
    closest one before it in the same sentence, else the closest one after it in that sentence."""
    after = re.match(r"\s*\(\s*(" + CITATION_IN_PROSE.pattern + r")", text[end:])
    if after:
        return after.group(1)
    before = [m for m in CITATION_IN_PROSE.finditer(text, max(0, start - NEARBY), start)]
    for match in reversed(before):
        if not re.search(r"[.!?;]\s|\n", text[match.end() : start]):
            return match.group(0)
    # A citation must start within 25 characters of the quote, but may run past that window.
    window = CITATION_IN_PROSE.search(text, end, end + 25)
    following = CITATION_IN_PROSE.match(text, window.start()) if window else None
    quote_ends_sentence = re.search(r"[.!?][\"\u201d]$", text[start:end])
    if (
        following
        and not quote_ends_sentence
        and not re.search(r"[.!?;]|\n", text[end : following.start()])
    ):
        return following.group(0)
    return None


def check_text(text: str) -> list[QuotationProblem]:
    """Every quotation next to a citation, checked against the cited provision's exact words."""
    problems = []
    for match in QUOTATION.finditer(text):
        quote = match.group(1).strip()
        if len(quote.split()) < 2 or CITATION_IN_PROSE.search(quote):
            continue  # a single word is a term, not a quotation; a quoted citation is code
        citation = _citation_for(text, match.start(), match.end())
        if citation is None:
            continue
        try:
            source = _norm(convention.cite(citation))
        except convention.CitationError as error:
            problems.append(
                QuotationProblem(quote, citation, f"citation does not resolve: {error}")
            )
            continue
        position = 0
        for piece in _pieces(quote):
            found = source.find(piece, position)
            if found < 0:
                problems.append(
                    QuotationProblem(
                        quote, citation, f"these words are not in {citation}: {piece!r}"
                    )
                )
                break
            position = found + len(piece)
    return problems
