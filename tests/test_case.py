"""The case file and the CaseAnnotator, driven the way a student drives it: through the list."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from powkit import convention
from powkit.case import ITEM_KINDS, CaseAnnotator, CaseError, load_case, sources_html, timeline_html

REPO = Path(__file__).resolve().parent.parent
CASE_FILE = REPO / "data" / "case" / "kyiv-2022-03-16.yaml"


@pytest.fixture(scope="module")
def case():
    return load_case(CASE_FILE)


def test_shipped_case_loads_by_id_and_by_path(case):
    assert load_case("kyiv-2022-03-16").items == case.items
    assert case.id == "kyiv-2022-03-16"
    assert len(case.items) >= 12
    ids = [i.id for i in case.items]
    assert len(ids) == len(set(ids))


def test_every_citation_resolves_to_treaty_text(case):
    for item in case.items:
        assert item.articles, item.id
        for citation in item.articles:
            passages = convention.resolve(citation)
            assert passages and all(p.text.strip() for p in passages), (item.id, citation)


def test_every_item_has_a_dated_source_with_a_web_address(case):
    for item in case.items:
        s = item.source
        assert s.title.strip() and s.publisher.strip(), item.id
        assert re.match(r"^https?://\S+$", s.url), (item.id, s.url)
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", s.date), (item.id, s.date)
        assert item.kind in ITEM_KINDS, item.id
        assert item.note.strip(), item.id


def test_claims_by_parties_are_labelled_claims(case):
    """The ~600 figure is Ukraine's claim (row rua-001), the 500 capture cards Russia's (rua-002)."""
    assert case.item("six-hundred").kind == "claim"
    assert case.item("capture-cards-500").kind == "claim"
    assert "600" in case.item("six-hundred").text


def test_quotations_are_at_most_one_sentence(case):
    """Our own words: any quotation from a source is one sentence at most (the house rule)."""
    for item in case.items:
        for quoted in re.findall(r"\"([^\"]+)\"", item.text):
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", quoted.strip()) if s]
            assert len(sentences) <= 3 and len(quoted) <= 160, (item.id, quoted)


def test_timeline_runs_from_the_invasion_to_the_end_of_march(case):
    dates = [i.date for i in case.timeline()]
    assert dates == sorted(dates)
    assert dates[0] == "2022-02-24"
    assert dates[-1] <= "2022-03-31"
    assert "2022-03-24" in dates  # the first exchange
    html_ = timeline_html(case)
    assert html_.count("<tr>") == len(dates) + 1
    assert "Al Jazeera" in html_


def test_sources_list_has_each_source_once(case):
    out = sources_html(case)
    urls = {i.source.url for i in case.items}
    assert out.count("<li>") == len(urls)


def test_annotator_shows_statement_and_articles_side_by_side(case):
    widget = CaseAnnotator(case)
    assert widget.picker.options[0][1] == case.items[0].id
    item = widget.select("vladimir")
    assert widget.current is item
    assert widget.citations == ("GCIII 13(2)", "GCIII 14(1)", "GCIII 7", "GCIII 17(4)")
    # The exact words of GCIII 7 and 13(2), from data/, rendered beside (or, on a narrow screen, below) the statement.
    assert convention.cite("GCIII 7").split(",")[0] in widget.articles_html
    assert "public curiosity" in widget.articles_html
    assert 'data-citation="GCIII 17(4)"' in widget.articles_html
    # The statement, its note and its source.
    assert "commander-in-chief" in widget.statement_html
    assert "American Military News" in widget.statement_html
    assert "Contested:" in widget.statement_html


def test_instructions_do_not_point_by_position(case):
    """WCAG 1.3.3: at 200 % zoom the panels stack, so 'on the left' would stop being true."""
    header = CaseAnnotator(case).children[0].value.rsplit("</style>", 1)[-1]
    assert "Below the list" in header
    assert not re.search(r"\b(left|right|above|beside)\b", header, re.IGNORECASE)


def test_choosing_in_the_list_updates_the_view(case):
    widget = CaseAnnotator(case)
    widget.picker.value = "abuse-videos"  # what the browser does when the student picks an item
    assert widget.current.id == "abuse-videos"
    assert 'data-citation="GCIII 130"' in widget.articles_html
    assert "Grave breaches" in widget.articles_html
    assert "Contested:" not in widget.statement_html
    assert "GCIII 130" in widget._count.value


def test_unknown_item_names_the_file_and_the_ids(case):
    widget = CaseAnnotator(case)
    with pytest.raises(KeyError) as info:
        widget.select("no-such-item")
    assert "kyiv-2022-03-16.yaml" in str(info.value) and "vladimir" in str(info.value)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_ITEM = """
  - id: x1
    kind: fact
    text: 'A prisoner wrote <script>alert("pwned")</script> on a card & smiled.'
    source:
      title: "Title <b>bold</b>"
      publisher: Publisher
      url: https://example.org/a?x=1&y=2
      date: 2022-03-17
    articles: ["GCIII 13(2)"]
    note: Why <i>it</i> matters.
"""


def test_script_in_the_yaml_is_escaped_not_run(tmp_path):
    path = _write(tmp_path, "case: demo\ntitle: Demo <script>x</script>\nitems:" + GOOD_ITEM)
    widget = CaseAnnotator(path)
    shown = widget.statement_html
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<b>bold</b>" not in shown and "&lt;b&gt;bold&lt;/b&gt;" in shown
    assert "<i>it</i>" not in shown
    assert "&amp;" in shown
    assert "<script>" not in widget.children[0].value
    assert "<script>" not in timeline_html(load_case(path)) + sources_html(load_case(path))


def test_every_problem_is_reported_with_item_and_fix(tmp_path):
    path = _write(
        tmp_path,
        """
        case: demo
        title: Demo
        items:
          - id: bad-cite
            text: Something happened.
            source: {title: T, publisher: P, url: https://example.org, date: 2022-03-17}
            articles: ["GCIII 13(9)"]
            note: n
          - id: no-source
            text: Something else.
            articles: ["GCIII 13(2)"]
            note: n
          - id: bad-source
            text: A third thing.
            source: {title: T, publisher: P, url: example.org, date: 17 March 2022}
            articles: []
            note: n
            colour: red
        """,
    )
    with pytest.raises(CaseError) as info:
        load_case(path)
    message = str(info.value)
    assert str(path) in message
    lines = message.splitlines()
    assert all(line.startswith(f"{path}: item ") for line in lines), message
    assert "item bad-cite: articles: citation does not resolve: GCIII 13(9)" in message
    assert "item no-source: source: missing; every fact needs a source" in message
    assert "item bad-source: source: url: 'example.org' must be a web address" in message
    assert "item bad-source: source: date: must be YYYY-MM-DD" in message
    assert "item bad-source: articles: is empty" in message
    assert "item bad-source: colour: unknown field 'colour'" in message
    assert len(info.value.problems) >= 6


def test_missing_case_file_says_what_exists():
    with pytest.raises(FileNotFoundError) as info:
        load_case("no-such-case")
    assert "kyiv-2022-03-16" in str(info.value)


@pytest.mark.parametrize(
    "written, kept", [("2020", "2020"), ("'2022-11'", "2022-11"), ("2022-03-17", "2022-03-17")]
)
def test_source_dates_follow_the_same_rule_as_question_banks(tmp_path, written, kept):
    """A source dated only to a month or a year keeps that precision, as in the banks."""
    path = _write(
        tmp_path,
        f"""
        case: demo
        title: Demo
        items:
          - id: dated
            text: Something happened.
            source: {{title: T, publisher: P, url: https://example.org, date: {written}}}
            articles: ["GCIII 13(2)"]
            note: n
        """,
    )
    assert load_case(path).items[0].source.date == kept
