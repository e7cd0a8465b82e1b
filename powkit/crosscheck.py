"""Compare the kit's treaty text with independent official copies, word for word.

The kit's wording of each treaty (``data/gc3.json`` and the other treaty files) follows the
ICRC IHL database. ``data/crosscheck/`` holds official copies published independently of the
ICRC (Canada's Geneva Conventions Act, the Netherlands treaty database, New Zealand's Geneva
Conventions Act), made by ``data/crosscheck/extract.py``. Every place where a copy words a
provision differently from the kit is a *recorded variant* in ``data/variants.json``, with the
kit's decision (see :func:`powkit.convention.variants`).

:func:`compare` applies the recorded variants to a copy and then asks for identity with the kit:
any difference left over is unrecorded, and a recorded reading that the copy does not contain
is stale. Both are reported, so that the tests fail in either case.

Before comparing, both sides go through :func:`normalise`, which removes what is typography or
layout rather than wording (documented in ``data/SOURCES.md``):

* curly quotation marks become straight ones, every kind of dash a hyphen;
* runs of whitespace become one space; no space before ``, ; : . )`` or after ``(``, and one
  space after a full stop, colon or semicolon that runs into the next word ("them.They");
* cross-references and measures are spaced one way: "paragraph 1 (c)" and "1(c)" both become
  "1(c)", "2(a) (iii)" becomes "2(a)(iii)", "6.5x10" becomes "6.5 x 10";
* item labels are structure, not words: the kit stores them apart from the text, so labels
  such as ``(a)``, ``(iv)``, ``(2)``, ``1.`` or ``A.`` that a copy prints are dropped, and a
  parenthesised label standing alone between spaces is dropped on both sides.

Nothing else is normalised: spelling, capitals, commas and every word count.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from powkit import convention
from powkit.resources import data_file, file_version

__all__ = [
    "FULL_WITNESSES",
    "WITNESSES",
    "Difference",
    "compare",
    "kit_text",
    "normalise",
    "witness",
    "witness_text",
]

#: The copies stored in ``data/crosscheck/``, by the short name the variants use.
WITNESSES = ("CA", "NL", "NZ")
#: The copies that every paragraph is compared with in full. The New Zealand copy follows New
#: Zealand drafting style (``-ise`` spellings, capitals and semicolons in lists), so it is
#: consulted where the others split and its readings are checked, not compared in full.
FULL_WITNESSES = ("CA", "NL")

_STEMS = {"GCI": "gc1", "GCIII": "gc3", "GCIV": "gc4", "API": "api1", "APII": "api2"}

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_INLINE_LABEL = re.compile(r"(?<!\S)\((?:[a-z]|[ivxl]{1,5}|\d{1,2})\)(?=\s|$)")
_BLOCK_LABEL = re.compile(r"^(?:[A-Z]\.|\d{1,2}\.|\((?:[a-z]|[ivxl]{1,5}|\d{1,2})\))\s*")
#: Labels the kit keeps apart from the text because they are letters or numbers. Any other
#: label (e.g. "Category I" in GCIII 60) is printed in the treaty as words followed by a colon.
_PLAIN_LABEL = re.compile(r"^(?:[A-Z]|[a-z]|[ivxl]{1,5}|\d{1,2})$")


def normalise(text: str) -> str:
    """The words and punctuation of ``text``, without typography and layout (see module doc)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = text.replace("''", '"')
    text = re.sub(r"-{2,}", "-", text)
    # Cross-references are spaced differently: "paragraph 1 (c)", "2(a) (iii)", "6.5 x 10 cm".
    text = re.sub(r"(?<=\d) (?=\([a-z]{1,5}\))", "", text)
    text = re.sub(r"(?<=\)) (?=\([a-z]{1,5}\))", "", text)
    text = re.sub(r"(?<=\d) ?x ?(?=\d)", " x ", text)
    text = _INLINE_LABEL.sub(" ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,;:.)])", r"\1", text)
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"([.;:])(?=[A-Za-z]{2})", r"\1 ", text)
    return text.strip()


# --------------------------------------------------------------------------- the two sides


def _leaf_texts(node: convention.Node) -> list[str]:
    own = node.text
    if node.label and not _PLAIN_LABEL.match(node.label):
        own = f"{node.label}: {own}"
    out = [own]
    for item in node.items:
        out.extend(_leaf_texts(item))
    if node.text_after:
        out.append(node.text_after)
    return out


def kit_text(treaty: str, number: int) -> str:
    """The kit's article, normalised: every paragraph and item in order, labels left out."""
    art = convention.article(number, treaty)
    return normalise(" ".join(t for p in art.paragraphs for t in _leaf_texts(p)))


def _witness_file(treaty: str, name: str) -> dict:
    """A stored copy, read once per version of its file (``$POWKIT_DATA`` first, like texts)."""
    return _read_json(
        *file_version(data_file("crosscheck", f"{_STEMS[treaty]}-{name.lower()}.json"))
    )


@lru_cache(maxsize=16)
def _read_json(path_name: str, _stamp: int) -> dict:
    with open(path_name, encoding="utf-8") as handle:
        return json.load(handle)


def witness(treaty: str, name: str) -> dict:
    """The stored copy ``name`` (``"CA"``, ``"NL"``, ``"NZ"``) of a treaty, with its provenance."""
    return _witness_file(treaty, name)


def witness_text(treaty: str, name: str, number: int) -> str:
    """One article of a stored copy, normalised, with the copy's item labels left out."""
    entry = witness(treaty, name)["articles"].get(str(number))
    if entry is None:
        raise KeyError(f"data/crosscheck: the {name} copy of {treaty} has no Article {number}")
    return normalise(" ".join(_BLOCK_LABEL.sub("", b["text"]) for b in entry["blocks"]))


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Difference:
    """One thing that keeps a copy from matching the kit once the recorded variants are applied."""

    treaty: str
    article: int
    witness: str
    kind: str  # "unrecorded" or "stale"
    kit: str
    copy: str

    def __str__(self) -> str:
        where = f"{self.treaty} {self.article} ({self.witness} copy)"
        if self.kind == "stale":
            return f"{where}: recorded reading {self.copy!r} is not in the copy ({self.kit})"
        return f"{where}: kit reads {self.kit!r}, copy reads {self.copy!r}"


def _context_diff(treaty: str, number: int, name: str, ours: str, theirs: str) -> list[Difference]:
    a, b = ours.split(" "), theirs.split(" ")
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lo, hi = max(i1 - 3, 0), min(i2 + 3, len(a))
        blo, bhi = max(j1 - 3, 0), min(j2 + 3, len(b))
        out.append(
            Difference(treaty, number, name, "unrecorded", " ".join(a[lo:hi]), " ".join(b[blo:bhi]))
        )
    return out


def compare(treaty: str, number: int, name: str) -> list[Difference]:
    """Everything that differs between the kit's article and copy ``name``, variants applied.

    For each recorded variant of the article, the copy must contain the reading recorded for
    it (else the variant is stale); a reading other than the kit's is then replaced by the
    kit's. What remains must be identical to the kit's text, word for word.
    """
    ours = kit_text(treaty, number)
    theirs = witness_text(treaty, name, number)
    problems: list[Difference] = []
    for variant in convention.variants(f"{treaty} {number}"):
        kept = normalise(variant.kept.text)
        if kept not in ours:
            problems.append(
                Difference(treaty, number, "kit", "stale", variant.provision, variant.kept.text)
            )
        reading = next((r for r in variant.readings if name in r.sources), None)
        if reading is None:
            continue
        words = normalise(reading.text)
        if words not in theirs:
            problems.append(
                Difference(treaty, number, name, "stale", variant.provision, reading.text)
            )
        elif reading is not variant.kept:
            theirs = theirs.replace(words, kept, 1)
    if theirs != ours:
        problems.extend(_context_diff(treaty, number, name, ours, theirs))
    return problems


def articles_carried(treaty: str) -> list[int]:
    """Numbers of the articles the kit carries for a treaty."""
    return [a.number for a in convention.articles(treaty)]


def main() -> None:  # pragma: no cover - a maintainer's report, run by hand
    """Print every difference left between the kit and the full witnesses."""
    count = 0
    for treaty in convention.TREATIES:
        for number in articles_carried(treaty):
            for name in FULL_WITNESSES:
                for problem in compare(treaty, number, name):
                    count += 1
                    print(problem)
    print(f"{count} differences")


if __name__ == "__main__":  # pragma: no cover
    main()
