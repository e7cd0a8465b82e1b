"""Every paragraph of every article the kit carries, word for word against two official copies.

The kit's treaty text must equal the Canadian (CA) and the Dutch (NL) official copy of each
article once the recorded variants (data/variants.json) are applied and typography and layout
are normalised (powkit/crosscheck.py). A difference that is not recorded fails; so does a
recorded reading that a copy no longer prints, and a decision that does not follow the kit's
rule. The New Zealand (NZ) copy is checked wherever a variant cites it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from powkit import convention, crosscheck
from powkit.crosscheck import FULL_WITNESSES, WITNESSES, compare, normalise

CASES = [
    (treaty, art.number, name)
    for treaty in convention.TREATIES
    for art in convention.articles(treaty)
    for name in FULL_WITNESSES
]
ALL_VARIANTS = [
    v
    for treaty in convention.TREATIES
    for a in convention.articles(treaty)
    for v in convention.variants(a.citation)
]


def test_the_comparison_covers_every_article_of_every_treaty():
    counts = Counter(treaty for treaty, _, _ in CASES)
    assert counts["GCIII"] == 143 * len(FULL_WITNESSES)
    for treaty in convention.TREATIES:
        assert counts[treaty] == len(convention.articles(treaty)) * len(FULL_WITNESSES)


@pytest.mark.parametrize("treaty", list(convention.TREATIES))
@pytest.mark.parametrize("name", WITNESSES)
def test_every_copy_holds_every_article_the_kit_carries(treaty, name):
    stored = crosscheck.witness(treaty, name)
    assert stored["witness"] == name and stored["treaty"] == treaty
    for key in ("repository", "path", "commit", "commit_date", "url", "retrieved"):
        assert stored["source"][key], f"{treaty} {name}: source has no {key}"
    missing = [
        a.number for a in convention.articles(treaty) if str(a.number) not in stored["articles"]
    ]
    assert not missing, f"data/crosscheck: the {name} copy of {treaty} lacks Articles {missing}"


@pytest.mark.parametrize("treaty, number, name", CASES, ids=[f"{t}-{n}-{w}" for t, n, w in CASES])
def test_article_matches_the_official_copy(treaty, number, name):
    problems = compare(treaty, number, name)
    assert not problems, "\n".join(str(p) for p in problems)


# ------------------------------------------------------------------ the variants themselves


def test_variants_are_recorded_and_readable():
    assert len(ALL_VARIANTS) >= 50
    assert set(convention.variant_sources()) == {"ICRC", *WITNESSES}


@pytest.mark.parametrize("variant", ALL_VARIANTS, ids=lambda v: f"{v.provision}:{v.kept.text[:20]}")
def test_each_variant_is_well_formed(variant):
    texts = [normalise(r.text) for r in variant.readings]
    assert len(set(texts)) == len(texts) >= 2, "the readings must differ"
    sources = [s for r in variant.readings for s in r.sources]
    assert len(sources) == len(set(sources)), "a copy is listed under two readings"
    assert set(sources) <= set(convention.variant_sources())
    for name in FULL_WITNESSES:
        assert name in sources, f"the {name} copy's reading is not recorded"
    assert variant.kind in {"word", "punctuation", "capitals", "spelling", "hyphenation", "typo"}
    assert variant.reason.strip()


def _rule(variant) -> str:
    """The reading the kit's rule (data/SOURCES.md) keeps, computed from the recorded sources."""
    copies = {r.text: sum(s in WITNESSES for s in r.sources) for r in variant.readings}
    icrc = next((r.text for r in variant.readings if "ICRC" in r.sources), None)
    if icrc is not None:
        challenger = max((t for t in copies if t != icrc), key=copies.get)
        return challenger if copies[challenger] > copies[icrc] + 1 else icrc
    best = max(copies.values())
    leaders = [t for t, n in copies.items() if n == best]
    assert len(leaders) == 1, f"{variant.provision}: the copies tie and the ICRC reading is unknown"
    return leaders[0]


@pytest.mark.parametrize("variant", ALL_VARIANTS, ids=lambda v: f"{v.provision}:{v.kept.text[:20]}")
def test_the_kept_reading_follows_the_rule(variant):
    assert variant.kept.text == _rule(variant), variant.reason


@pytest.mark.parametrize("variant", ALL_VARIANTS, ids=lambda v: f"{v.provision}:{v.kept.text[:20]}")
def test_new_zealand_readings_are_in_the_new_zealand_copy(variant):
    treaty, number = variant.provision.split()[0], convention.resolve(variant.provision)[0].article
    theirs = crosscheck.witness_text(treaty, "NZ", number)
    for reading in variant.readings:
        if "NZ" in reading.sources:
            assert normalise(reading.text) in theirs, f"{variant.provision}: {reading.text!r}"


def test_variants_of_a_paragraph_and_of_its_article():
    (only,) = convention.variants("GCIII 47(2)")
    assert only.kept.text == "of safety, or unless they are exposed"
    assert only.kept.sources == ("CA", "NL", "NZ")
    assert [r.text for r in only.others] == ["of safety, or if they are exposed"]
    assert only.others[0].sources == ("ICRC",)
    assert convention.variants("GCIII 47(1)") == []
    assert len(convention.variants("GCIII 104")) == 4
    assert convention.variants("GCIII 13") == []


# ------------------------------------------------------------------ the check can fail


@pytest.fixture
def scratch_data(tmp_path, monkeypatch):
    """A writable copy of data/ that the module caches read instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(convention.data_dir(), copy)
    monkeypatch.setenv("POWKIT_DATA", str(copy))
    # The caches are keyed by the file they read, so they follow POWKIT_DATA by themselves.
    yield copy
    monkeypatch.delenv("POWKIT_DATA")


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unrecorded_difference_fails(scratch_data):
    _edit(scratch_data / "gc3.json", "exposed to any unpleasant", "exposed to any unpleasnt")
    problems = compare("GCIII", 17, "CA")
    assert [p.kind for p in problems] == ["stale", "unrecorded"]
    assert "unpleasnt" in problems[1].kit


def test_a_recorded_reading_that_no_longer_differs_fails(scratch_data):
    stored = json.loads((scratch_data / "crosscheck" / "gc3-ca.json").read_text(encoding="utf-8"))
    for block in stored["articles"]["47"]["blocks"]:
        block["text"] = block["text"].replace("or unless they are", "or if they are")
    (scratch_data / "crosscheck" / "gc3-ca.json").write_text(json.dumps(stored), encoding="utf-8")
    problems = compare("GCIII", 47, "CA")
    assert any(p.kind == "stale" and "unless" in p.copy for p in problems)


# ------------------------------------------------------------------ paragraph structure


def _printed_paragraph_labels(treaty: str, number: int) -> list[str]:
    """Paragraph numbers the Canadian copy prints ("1", "2"... or "2. (a)" when a paragraph
    opens with its first item); empty for an article printed without numbers."""
    blocks = crosscheck.witness(treaty, "CA")["articles"][str(number)]["blocks"]
    labels = []
    for block in blocks:
        label = (block.get("label") or "").split(".")[0]
        if block.get("depth", 0) == 0 and label.isdigit():
            labels.append(label)
    return labels


#: Where the ICRC's paragraph numbering knowingly differs from the Canadian copy's layout.
LAYOUT_DIFFERS = {
    # The ICRC 2016 Commentary numbers "These records should if possible include:" as
    # paragraph (2); the Canadian copy prints it indented under the first paragraph.
    ("GCI", 16): 4,
}


@pytest.mark.parametrize("treaty", list(convention.TREATIES))
def test_paragraphs_are_the_ones_the_official_copy_prints(treaty):
    """The ICRC's paragraph numbers must fall where the Canadian copy starts a paragraph.

    The Conventions print no paragraph numbers: the kit's paragraphs must be as many as the
    copy's top-level blocks. The Protocols number their paragraphs: the numbers must agree.
    """
    wrong = []
    for art in convention.articles(treaty):
        ours = [p.label for p in art.paragraphs]
        printed = _printed_paragraph_labels(treaty, art.number)
        if treaty.startswith("AP") and printed:
            if ours != printed:
                wrong.append(f"{art.citation}: kit {ours}, copy {printed}")
            continue
        blocks = crosscheck.witness(treaty, "CA")["articles"][str(art.number)]["blocks"]
        top = sum(1 for b in blocks if b.get("depth", 0) == 0)
        top = LAYOUT_DIFFERS.get((treaty, art.number), top)
        if len(ours) != top:
            wrong.append(f"{art.citation}: kit has {len(ours)} paragraphs, the copy {top}")
    assert not wrong, "\n".join(wrong)


def test_sources_md_lists_every_variant_with_its_decision():
    table = (convention.data_dir() / "SOURCES.md").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    for variant in ALL_VARIANTS:
        assert any(
            row.startswith(f"| {variant.provision} |") and variant.kept.text in row for row in rows
        ), f"data/SOURCES.md has no row for {variant.provision} ({variant.kept.text!r})"
