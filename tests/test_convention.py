"""The Convention as data: complete, clean, cross-checked, and citable to the exact words."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from powkit import convention
from powkit.convention import CitationError, article, articles, cite, resolve, search

REPO = Path(__file__).resolve().parent.parent


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _leaves(node):
    yield node
    for item in node.items:
        yield from _leaves(item)


# ------------------------------------------------------------------ the data itself


def test_gc3_has_143_consecutive_articles():
    numbers = [a.number for a in articles("GCIII")]
    assert numbers == list(range(1, 144))


# Articles for which no ICRC title could be found, in English or French (data/SOURCES.md, "Headings"):
# left empty rather than invented. Finding one means adding it to data/gc3.json AND removing it here.
HEADINGS_NOT_FOUND = {41, 48, 59, 80, 94, 135}
# Articles for which only the ICRC's French title was found; shown marked as French, never translated.
FRENCH_HEADINGS = {31, 36, 40, 58, 64, 69, 134}
# What a heading may rest on; every article records one of these in "heading_basis".
HEADING_BASES = {
    "ICRC Commentary of 2020",
    "ICRC treaty page",
    "ICRC booklet",
    "ICRC Commentary of 1960",
    "ICRC title of the common article",
    "ICRC French title",
    "secondary source",
    "not found",
    # the other treaties
    "treaty's own title",
    "ICRC Commentary of 2016",
    "ICRC Commentary of 1958",
}


def _raw_articles(treaty_file: str) -> list[dict]:
    return json.loads((REPO / "data" / treaty_file).read_text(encoding="utf-8"))["articles"]


def test_every_article_has_a_part_and_a_heading_unless_recorded_as_not_found():
    assert not [a.number for a in articles() if not a.part]
    missing = {a.number for a in articles() if not a.heading}
    assert missing == HEADINGS_NOT_FOUND
    assert article(41).title.startswith("heading not verified")


def test_every_heading_records_what_it_rests_on():
    """All 143 GCIII headings (and every other treaty's) name their basis and their source."""
    for treaty_file in convention.TREATIES.values():
        for raw in _raw_articles(treaty_file):
            where = f"{treaty_file}: Article {raw['number']}"
            assert raw.get("heading_basis") in HEADING_BASES, where
            assert raw.get("heading_source", "").strip(), where
            assert (raw["heading_basis"] == "not found") == (not raw["heading"]), where
            french = raw.get("heading_language") == "fr"
            assert (raw["heading_basis"] == "ICRC French title") == french, where
            if raw["heading_basis"].startswith("ICRC") and raw["heading_basis"] != "ICRC booklet":
                assert re.search(r"https?://[\w.-]*icrc\.org/", raw["heading_source"]) or (
                    "Cambridge University Press" in raw["heading_source"]
                ), where
    gc3 = {raw["number"]: raw for raw in _raw_articles("gc3.json")}
    assert {n for n, raw in gc3.items() if raw.get("heading_language") == "fr"} == FRENCH_HEADINGS
    assert "NOT SEEN ON AN ICRC PAGE" in gc3[111]["heading_source"]
    assert "NOT RE-CHECKED" in gc3[36]["heading_source"]


def test_french_only_headings_say_so_and_shortened_headings_are_restored():
    assert article(31).title == "Inspections médicales (ICRC French title)"
    assert (
        article(31).heading_language == "fr" and "French Commentary" in article(31).heading_source
    )
    for number in FRENCH_HEADINGS:
        assert article(number).title.endswith("(ICRC French title)")
        assert 'lang="fr"' in convention.article_html(article(number))
    # The full ICRC titles, where the kit had once shown a shorter form of them.
    assert article(91).heading == "Escapes. I. Successful escape"
    assert article(130).heading == "Penal sanctions: II. Grave breaches"
    assert article(81).heading == "Prerogatives of prisoners' representatives"


def test_headings_table_in_sources_md_matches_the_data():
    """data/SOURCES.md lists every GCIII heading with its basis; the table and the data agree."""
    text = (REPO / "data" / "SOURCES.md").read_text(encoding="utf-8")
    section = text.split("### Every GCIII heading", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            rows[int(cells[0])] = cells
    assert sorted(rows) == list(range(1, 144))
    for raw in _raw_articles("gc3.json"):
        cells = rows[raw["number"]]
        shown = raw["heading"] or "(none found)"
        assert cells[1].strip("*") == shown, raw["number"]
        assert cells[2] == raw["heading_basis"], raw["number"]


@pytest.mark.parametrize("copy", ["ca", "nl", "nz"])
def test_protocol_headings_are_the_titles_every_official_copy_prints(copy):
    """The Protocols title their own articles; the kit's heading is that title, word for word."""
    for treaty, stem in (("API", "api1"), ("APII", "api2")):
        printed = json.loads((REPO / "data" / "crosscheck" / f"{stem}-{copy}.json").read_text())
        for art in articles(treaty):
            assert printed["articles"][str(art.number)]["heading"] == art.heading, art.citation


@pytest.mark.parametrize("copy", ["ca", "nl", "nz"])
def test_the_official_copies_print_no_titles_for_the_conventions(copy):
    """Why the Convention headings rest on ICRC titles alone (data/SOURCES.md, "Headings").

    If a copy ever prints article titles, compare them with the kit's and record the result.
    """
    for stem in ("gc1", "gc3", "gc4"):
        printed = json.loads((REPO / "data" / "crosscheck" / f"{stem}-{copy}.json").read_text())
        assert not [n for n, a in printed["articles"].items() if a.get("heading")], stem


def test_gciii_31_is_one_paragraph():
    """Canada, New Zealand, Austria and Switzerland print one paragraph; see data/SOURCES.md."""
    (only,) = article(31).paragraphs
    assert only.label == "1" and only.text.endswith("early detection of tuberculosis.")
    with pytest.raises(CitationError):
        resolve("GCIII 31(2)")


def test_sources_are_official_or_icrc_copies():
    allowed = ("https://ihl-databases.icrc.org/", "http://www.icrc.org/", "https://www.icrc.org/")
    allowed += ("http://icrc.org/", "https://publications.parliament.uk/")
    allowed += ("https://legislation.gov.uk/", "http://legislation.gov.uk/")
    allowed += ("https://github.com/justicecanada/", "https://github.com/statengeneraal/")
    allowed += ("https://github.com/wombleton/",)
    for treaty in convention.TREATIES:
        for art in articles(treaty):
            odd = [s for s in art.sources if not s.startswith(allowed)]
            assert not odd, f"{art.citation}: {odd}"
            assert sum("github.com" in s for s in art.sources) == 3, art.citation


def test_parts_are_the_six_of_the_convention_in_order():
    assert [p["number"] for p in convention.parts()] == ["I", "II", "III", "IV", "V", "VI"]


def test_no_empty_paragraph_and_no_markup_debris():
    debris = re.compile(r"[*#<>_\\]|\[\d+\]|&[a-z]+;|\s{2,}|^\s|\s$|\u2019|\u201c|\u201d")
    problems = []
    for treaty in convention.TREATIES:
        for art in articles(treaty):
            for para in art.paragraphs:
                for leaf in _leaves(para):
                    if not leaf.text.strip() and not leaf.items:
                        problems.append(f"{treaty} {art.number}({leaf.label}): empty")
                    elif not leaf.text.strip():
                        continue  # a paragraph that opens with its first item, e.g. API 90(1)
                    elif debris.search(leaf.text):
                        problems.append(
                            f"{treaty} {art.number}({leaf.label}): {debris.search(leaf.text).group(0)!r}"
                        )
    assert not problems, problems


def test_provenance_is_recorded():
    info = convention.treaty_info("GCIII")
    assert "1949" in info["title"] and info["provenance"]["sources"]
    assert (convention.data_dir() / "SOURCES.md").exists()


# ------------------------------------------------------------------ citations


def test_cite_returns_the_exact_paragraph():
    assert cite("GCIII 13(2)") == article(13).paragraphs[1].text
    assert "public curiosity" in cite("GCIII 13(2)")


def test_cite_nested_items():
    text = cite("GCIII 4A(2)(b)")
    assert text == article(4).paragraphs[0].items[1].items[1].text
    assert "distinctive sign" in text
    assert resolve("gc iii 4 A(2)(b)")[0].citation == "GCIII 4A(2)(b)"


def test_cite_whole_article_keeps_every_paragraph():
    whole = cite("GCIII 13")
    for para in article(13).paragraphs:
        assert para.text in whole


def test_range_and_list():
    assert [p.article for p in resolve("GCIII 109-117")] == list(range(109, 118))
    assert [p.citation for p in resolve("GCIII 13(2), 14, 17(4)")] == [
        "GCIII 13(2)",
        "GCIII 14",
        "GCIII 17(4)",
    ]
    both = cite("GCIII 13(3), 14(1)")
    assert both.startswith("GCIII 13(3)\n") and "\n\nGCIII 14(1)\n" in both


@pytest.mark.parametrize(
    "citation, words",
    [
        ("API 41(3)", "unusual conditions of combat which prevent their evacuation"),
        ("APII 5(1)(b)", "the persons referred to in this paragraph shall"),
        ("GCI 16", "any particulars which may assist in his identification"),
        ("GCIV 4", "in the hands of a Party to the conflict or Occupying Power"),
        ("API 90(2)(c)(i)", "enquire into any facts alleged to be a grave breach"),
        ("AP II 6(2)(d)", "presumed innocent until proved guilty"),
        ("GC IV 5", "such persons shall nevertheless be treated with humanity"),
        ("gc1 17(3)", "Official Graves Registration Service"),
    ],
)
def test_every_treaty_the_kit_carries_is_citable(citation, words):
    assert words in cite(citation)


def test_paragraph_that_opens_with_an_item_prints_no_empty_line():
    whole = cite("API 90(1)")
    assert whole.startswith("(a) An International Fact-Finding Commission")
    assert resolve("API 90(1)(f)")[0].citation == "API 90(1)(f)"


def test_a_treaty_the_kit_does_not_carry_is_named_in_the_error():
    with pytest.raises(CitationError) as error:
        resolve("GCII 12")
    assert "does not carry GCII" in str(error.value) and "GCIV" in str(error.value)
    with pytest.raises(CitationError) as error:
        resolve("GCI 12")
    assert "Articles 15-17" in str(error.value)


def test_additional_protocol():
    text = cite("API 75(4)(e)")
    assert text and text == resolve("API 75(4)(e)")[0].text
    assert resolve("API 47(2)(a)")[0].citation == "API 47(2)(a)"


@pytest.mark.parametrize(
    "bad, says",
    [
        ("GCIII 144", "Articles 1-143"),
        ("GCIII 13(9)", "(1), (2), (3)"),
        ("GCIII 4D", "(A), (B), (C)"),
        ("GCIII 4A(2)(e)", "(a), (b), (c), (d)"),
        ("Article 13", "starts with a treaty"),
        ("GCIII 117-109", "backwards"),
        ("GCIII thirteen", "cannot read"),
    ],
)
def test_bad_citations_name_what_exists(bad, says):
    with pytest.raises(CitationError) as error:
        resolve(bad)
    assert says in str(error.value)


# ------------------------------------------------------------------ search


def test_search_finds_public_curiosity_in_article_13():
    hits = search("public curiosity")
    assert hits[0].article.number == 13
    assert hits[0].citation == "GCIII 13(2)"
    assert "<mark>public</mark> <mark>curiosity</mark>" in hits[0].snippet_html


def test_search_matches_word_beginnings_and_ranks_headings():
    hits = search("repatriation")
    assert hits and all("repatriat" in (h.snippet + h.article.heading).lower() for h in hits)
    assert 118 in [h.article.number for h in hits[:5]]


def test_search_escapes_html_and_tolerates_nonsense():
    assert search("") == [] and search("   ") == []
    assert search("zzzzqqq") == []
    for hit in search("<script>alert(1)</script> prisoners"):
        assert "<script>" not in hit.snippet_html


def test_passage_html_is_escaped_and_complete():
    out = convention.passage_html("GCIII 13(2)")
    assert 'data-citation="GCIII 13(2)"' in out and "public curiosity" in out


# ------------------------------------------------------------------ command line


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "powkit", *args], capture_output=True, text=True, cwd=REPO
    )


def test_cli_cite_prints_citation_and_words():
    run = _cli("cite", "GCIII 17(4)")
    assert run.returncode == 0, run.stderr
    first, _, rest = run.stdout.partition("\n")
    assert first.startswith("GCIII 17(4)")
    words, _, variants = rest.partition("\nVariant readings (1)")
    assert _norm(words) == _norm(cite("GCIII 17(4)"))
    assert 'kept   "or exposed to any unpleasant or disadvantageous"' in variants
    assert '"or exposed to unpleasant or disadvantageous" (Canada, Netherlands)' in variants


def test_cli_cite_without_variants_prints_only_the_words():
    run = _cli("cite", "GCIII 13(2)")
    assert run.returncode == 0 and "Variant readings" not in run.stdout


def test_cli_search_every_treaty_or_one():
    run = _cli("search", "hors de combat", "--limit", "3")
    assert run.returncode == 0 and run.stdout.startswith("API 41(1)")
    run = _cli("search", "hors de combat", "--treaty", "GCIII", "--limit", "3")
    assert run.returncode == 0 and "API" not in run.stdout and "GCIII 3" in run.stdout


def test_cli_cite_unknown_article_fails_clearly():
    run = _cli("cite", "GCIII 144")
    assert run.returncode == 2 and "Articles 1-143" in run.stderr


def test_cli_search():
    run = _cli("search", "repatriation")
    assert run.returncode == 0 and "GCIII 118" in run.stdout


def test_prose_citations_of_every_treaty_are_recognised():
    """powkit.quotations finds citations in prose; a treaty it cannot see is never checked."""
    from powkit.quotations import CITATION_IN_PROSE

    for treaty in convention.TREATIES:
        number = articles(treaty)[0].number
        assert CITATION_IN_PROSE.fullmatch(f"{treaty} {number}(1)"), treaty


def test_word_labels_print_as_the_treaty_prints_them():
    """GCIII 60 prints "Category I: Prisoners ranking below sergeants", not "(Category I)"."""
    text = cite("GCIII 60(1)")
    assert "\nCategory I: Prisoners ranking below sergeants" in text
    assert "(Category I)" not in text
    assert "Category V:</span> General officers" in convention.article_html(article(60))
