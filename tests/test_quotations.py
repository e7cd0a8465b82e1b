"""Treaty words typed by people must be the treaty's words, and every citation must exist.

Lessons, banks and case files may quote a phrase of the Convention inside a sentence, as
"exact words" (GCIII 118(1)). Here every such quotation in the kit is compared with data/, and
every citation written anywhere a student reads is resolved.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from powkit import convention
from powkit.quotations import CITATION_IN_PROSE, check_text

REPO = Path(__file__).resolve().parent.parent
YAML_FILES = sorted(
    p
    for pattern in (
        "data/quizzes/*.yaml",
        "data/scenarios/*.yaml",
        "data/case/*.yaml",
        "data/trees/*.yaml",
        "data/*.yaml",
        "solutions/*.checks.yaml",
    )
    for p in REPO.glob(pattern)
)
NOTEBOOKS = sorted(
    p for folder in ("notebooks", "solutions", "exercises") for p in (REPO / folder).glob("*.ipynb")
)
#: Citations the kit writes on purpose to show what an error looks like.
DELIBERATELY_WRONG = {"GCIII 13(9)", "GCIII 99(9)", "GCIII 144"}
MARKDOWN = sorted(
    [REPO / "README.md", *(REPO / "docs").glob("*.md"), *(REPO / "instructor").glob("*.md")]
)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _texts(path: Path) -> list[str]:
    if path.suffix == ".yaml":
        return list(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        # prose only: code cells hold answers and hints, which are strings, not quotations
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return [path.read_text(encoding="utf-8")]


# ------------------------------------------------------------------ the checker itself


def test_exact_quotation_passes():
    assert (
        check_text(
            'Prisoners must be released "without delay after the cessation of active hostilities" (GCIII 118(1)).'
        )
        == []
    )


def test_changed_word_is_caught():
    problems = check_text(
        'Release comes "without delay after the end of active hostilities" (GCIII 118(1)).'
    )
    assert len(problems) == 1 and "not in GCIII 118(1)" in str(problems[0])


def test_wrong_paragraph_is_caught():
    assert check_text('GCIII 13(1) protects them "against insults and public curiosity".')


def test_citation_before_the_quote_in_the_same_sentence_counts():
    assert (
        check_text('GCIII 13(2) requires protection "against insults and public curiosity".') == []
    )


def test_ellipsis_skips_words_in_order():
    assert (
        check_text(
            'GCIII 17(4): "No physical or mental torture ... may be inflicted on prisoners of war".'
        )
        == []
    )
    assert check_text(
        'GCIII 17(4): "may be inflicted on prisoners of war ... No physical or mental torture".'
    )


def test_quotes_of_people_are_left_alone():
    assert check_text('One prisoner said: "Everyone wants peace here." Compare GCIII 13(2).') == []


def test_unknown_citation_next_to_a_quote_is_reported():
    assert "does not resolve" in str(check_text('"some words here" (GCIII 144)')[0])


# ------------------------------------------------------------------ the kit's own texts


@pytest.mark.parametrize(
    "path", YAML_FILES + NOTEBOOKS + MARKDOWN, ids=lambda p: str(p.relative_to(REPO))
)
def test_every_quotation_of_treaty_text_is_exact(path):
    problems = [str(p) for text in _texts(path) for p in check_text(text)]
    assert not problems, f"{path.relative_to(REPO)}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "path", YAML_FILES + NOTEBOOKS + MARKDOWN, ids=lambda p: str(p.relative_to(REPO))
)
def test_every_citation_written_resolves(path):
    bad = []
    for text in _texts(path):
        for match in CITATION_IN_PROSE.finditer(text):
            if match.group(0) in DELIBERATELY_WRONG:
                continue
            try:
                convention.resolve(match.group(0))
            except convention.CitationError as error:
                bad.append(str(error))
    assert not bad, f"{path.relative_to(REPO)}:\n" + "\n".join(sorted(set(bad)))
