"""Question-bank and scenario validation: one failing example per rule, and no crash on junk.

Each failing example asserts that the problem names the file, the question (or node) and the
field, because that is what lets an instructor fix a bank without reading the code.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import html
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powkit import convention
from powkit.banks import BankError, Problem, load_bank, load_banks, load_scenario, validate_paths
from powkit.quiz import Quiz
from powkit.quotations import CITATION_IN_PROSE, QUOTATION, _norm, _pieces

REPO = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- fixtures


def question(qid: str = "pc-01", **changes) -> dict:
    q = {
        "id": qid,
        "topic": "public_curiosity",
        "difficulty": 2,
        "scenario": "A television crew asks to film newly captured prisoners in a transit camp.",
        "prompt": "May the camp commander let them film the prisoners' faces?",
        "kind": "single",
        "options": [
            {
                "text": "Yes, if the prisoners agree.",
                "correct": False,
                "feedback": "Consent does not lift the protection.",
            },
            {
                "text": "No.",
                "correct": True,
                "feedback": "Prisoners must be protected against public curiosity.",
            },
        ],
        "articles": ["GCIII 13(2)", "GCIII 7"],
        "sources": [
            {
                "title": "A report",
                "publisher": "A publisher",
                "url": "https://example.org/report",
                "date": "2022-03-17",
            }
        ],
        "contested": False,
    }
    for key, value in changes.items():
        if value is _DELETE:
            q.pop(key, None)
        else:
            q[key] = value
    return q


_DELETE = object()


def bank(*questions: dict, bank_id: str = "public-curiosity", **top) -> dict:
    doc = {
        "bank": bank_id,
        "title": "Protection against public curiosity",
        "questions": list(questions) or [question()],
    }
    if bank_id is _DELETE:
        del doc["bank"]
    for key, value in top.items():
        if value is _DELETE:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def write(tmp_path: Path, name: str, doc: object) -> Path:
    path = tmp_path / name
    if isinstance(doc, str):
        path.write_text(doc, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[Problem]:
    return validate_paths([path])


def only(path: Path) -> Problem:
    found = problems_of(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def assert_problem(path: Path, item: str, field: str, *words: str) -> Problem:
    p = only(path)
    assert p.path == str(path)
    assert p.item == item, str(p)
    assert p.field == field, str(p)
    text = str(p)
    assert text.startswith(f"{path}: "), text
    assert item in text and field in text
    for word in words:
        assert word in text, text
    return p


# --------------------------------------------------------------------------- good files


def test_valid_bank_loads_with_every_field(tmp_path):
    path = write(tmp_path, "good.yaml", bank(question("pc-01"), question("pc-02", kind="multiple")))
    assert problems_of(path) == []
    loaded = load_bank(path)
    assert loaded.id == "public-curiosity" and len(loaded) == 2
    q = loaded.questions[0]
    assert q.bank == "public-curiosity" and q.topic == "public_curiosity" and q.difficulty == 2
    assert q.articles == ("GCIII 13(2)", "GCIII 7")
    assert q.correct_indexes == (1,)
    assert q.sources[0].date == "2022-03-17" and q.sources[0].url.startswith("https://")


def test_unquoted_yaml_date_is_accepted(tmp_path):
    text = yaml.safe_dump(bank(), sort_keys=False).replace("'2022-03-17'", "2022-03-17")
    path = write(tmp_path, "dates.yaml", text)
    assert isinstance(yaml.safe_load(text)["questions"][0]["sources"][0]["date"], dt.date)
    assert load_bank(path).questions[0].sources[0].date == "2022-03-17"


def test_contested_is_optional_and_defaults_to_false(tmp_path):
    path = write(tmp_path, "c.yaml", bank(question(contested=_DELETE, sources=_DELETE)))
    q = load_bank(path).questions[0]
    assert q.contested is False and q.sources == ()


def test_load_bank_raises_bank_error_with_every_problem(tmp_path):
    path = write(tmp_path, "x.yaml", bank(question("pc-07", topic="curiosity", difficulty=9)))
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert len(info.value.problems) == 2
    assert f"{path}: question pc-07: topic:" in str(info.value)
    assert f"{path}: question pc-07: difficulty:" in str(info.value)


def test_message_reads_like_the_issue_example(tmp_path):
    both_right = [dict(o, correct=True) for o in question()["options"]]
    path = write(tmp_path, "x.yaml", bank(question("pc-07", options=both_right)))
    assert str(only(path)).startswith(
        f"{path}: question pc-07: options: exactly one option must be correct for kind 'single'"
    )


# --------------------------------------------------------------------------- file-level rules


def test_yaml_syntax_error_gives_line_number(tmp_path):
    path = write(
        tmp_path,
        "broken.yaml",
        "bank: x\ntitle: t\nquestions:\n  - id: [pc-01\n    topic: status\n",
    )
    p = only(path)
    assert p.path == str(path) and "YAML syntax error" in p.message
    assert p.item.startswith("line ")
    line = int(p.item.split()[1].rstrip(","))
    assert 4 <= line <= 6


def test_unreal_date_in_yaml_is_a_problem_not_a_crash(tmp_path):
    path = write(tmp_path, "d.yaml", yaml.safe_dump(bank()).replace("'2022-03-17'", "2022-13-45"))
    p = only(path)
    assert p.path == str(path) and "date" in p.message


def test_top_level_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "list.yaml", "- just\n- a list\n")
    assert "must be a mapping" in str(only(path))


def test_missing_file_is_reported(tmp_path):
    assert "file not found" in str(only(tmp_path / "nope.yaml"))


def test_bank_id_required(tmp_path):
    assert_problem(write(tmp_path, "b.yaml", bank(bank_id=_DELETE)), "", "bank", "missing")


def test_bank_id_must_be_an_id(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(bank_id="Public Curiosity")), "", "bank", "not a valid id"
    )


def test_bank_title_required(tmp_path):
    assert_problem(write(tmp_path, "b.yaml", bank(title=_DELETE)), "", "title", "missing")


def test_questions_required(tmp_path):
    assert_problem(write(tmp_path, "b.yaml", bank(questions=_DELETE)), "", "questions", "missing")


def test_questions_must_not_be_empty(tmp_path):
    assert_problem(write(tmp_path, "b.yaml", bank(questions=[])), "", "questions", "empty")


def test_questions_must_be_a_list(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(questions={"pc-01": question()})), "", "questions", "list"
    )


def test_unknown_bank_field_is_named(tmp_path):
    assert_problem(write(tmp_path, "b.yaml", bank(titel="x")), "", "titel", "unknown field")


# --------------------------------------------------------------------------- question rules


def test_question_must_be_a_mapping(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(), "a string")), "question #2", "", "mapping"
    )


def test_question_id_required_names_position(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(id=_DELETE))), "question #1", "id", "missing"
    )


def test_question_id_format(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question("PC 01"))), "question #1", "id", "not a valid id"
    )


def test_question_id_unique_in_bank(tmp_path):
    path = write(tmp_path, "b.yaml", bank(question("pc-01"), question("pc-01")))
    assert_problem(path, "question pc-01", "id", "used twice")


def test_question_id_unique_across_banks(tmp_path):
    first = write(tmp_path, "a.yaml", bank(question("pc-01"), bank_id="a"))
    second = write(tmp_path, "b.yaml", bank(question("pc-01"), bank_id="b"))
    found = validate_paths([first, second])
    assert len(found) == 1
    p = found[0]
    assert p.path == str(second) and p.item == "question pc-01" and p.field == "id"
    assert str(first) in p.message
    with pytest.raises(BankError):
        load_banks(tmp_path)


def test_bank_id_unique_across_files(tmp_path):
    first = write(tmp_path, "a.yaml", bank(question("pc-01")))
    second = write(tmp_path, "b.yaml", bank(question("pc-02")))
    found = validate_paths([first, second])
    assert [(p.path, p.field) for p in found] == [(str(second), "bank")]


def test_unknown_question_field(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(artciles=["GCIII 7"]))),
        "question pc-01",
        "artciles",
        "unknown field",
    )


def test_topic_required(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(topic=_DELETE))),
        "question pc-01",
        "topic",
        "missing",
    )


def test_topic_must_be_known(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(topic="curiosity"))),
        "question pc-01",
        "topic",
        "public_curiosity",
    )


@pytest.mark.parametrize("value", [0, 4, "2", True, 2.5])
def test_difficulty_is_1_2_or_3(tmp_path, value):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(difficulty=value))),
        "question pc-01",
        "difficulty",
        "1, 2 or 3",
    )


def test_difficulty_required(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(difficulty=_DELETE))),
        "question pc-01",
        "difficulty",
        "missing",
    )


def test_scenario_required(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(scenario=_DELETE))),
        "question pc-01",
        "scenario",
        "missing",
    )


def test_scenario_not_empty(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(scenario="  "))),
        "question pc-01",
        "scenario",
        "empty",
    )


def test_prompt_must_be_text(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(prompt=["a", "b"]))),
        "question pc-01",
        "prompt",
        "must be text",
    )


def test_kind_must_be_single_or_multiple(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(kind="several"))),
        "question pc-01",
        "kind",
        "single or multiple",
    )


def test_options_must_be_a_list(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options="A or B"))),
        "question pc-01",
        "options",
        "list",
    )


def test_options_need_two(tmp_path):
    one = [question()["options"][1]]
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=one))),
        "question pc-01",
        "options",
        "at least two",
    )


def test_option_must_be_a_mapping(tmp_path):
    opts = question()["options"] + ["Maybe"]
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=opts))),
        "question pc-01",
        "option 3",
        "mapping",
    )


def test_option_needs_feedback(tmp_path):
    opts = copy.deepcopy(question()["options"])
    del opts[0]["feedback"]
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=opts))),
        "question pc-01",
        "option 1: feedback",
        "missing",
    )


def test_option_correct_must_be_boolean(tmp_path):
    opts = copy.deepcopy(question()["options"])
    opts[0]["correct"] = "no"
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=opts))),
        "question pc-01",
        "option 1: correct",
        "true or false",
    )


def test_option_texts_differ(tmp_path):
    opts = copy.deepcopy(question()["options"])
    opts[1]["text"] = opts[0]["text"]
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=opts))),
        "question pc-01",
        "option 2: text",
        "repeats option 1",
    )


def test_single_needs_exactly_one_correct_not_zero(tmp_path):
    opts = [dict(o, correct=False) for o in question()["options"]]
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(options=opts))),
        "question pc-01",
        "options",
        "exactly one",
        "found 0",
    )


def test_multiple_needs_at_least_one_correct(tmp_path):
    opts = [dict(o, correct=False) for o in question()["options"]]
    path = write(tmp_path, "b.yaml", bank(question(kind="multiple", options=opts)))
    assert_problem(
        path, "question pc-01", "options", "at least one option must be correct for kind 'multiple'"
    )


def test_multiple_allows_all_correct(tmp_path):
    opts = [dict(o, correct=True) for o in question()["options"]]
    assert (
        problems_of(write(tmp_path, "b.yaml", bank(question(kind="multiple", options=opts)))) == []
    )


def test_articles_required(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(articles=_DELETE))),
        "question pc-01",
        "articles",
        "missing",
    )


def test_articles_not_empty(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(articles=[]))),
        "question pc-01",
        "articles",
        "empty",
    )


def test_article_entries_are_text(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(articles=["GCIII 7", 13]))),
        "question pc-01",
        "articles",
        "citation 2",
    )


@pytest.mark.parametrize("citation", ["GCIII 13(9)", "GCIII 999", "Article 13", "GCIII 17(4)(z)"])
def test_every_citation_must_resolve(tmp_path, citation):
    with pytest.raises(convention.CitationError) as expected:
        convention.resolve(citation)
    path = write(tmp_path, "b.yaml", bank(question(articles=["GCIII 17(4)", citation])))
    p = assert_problem(path, "question pc-01", "articles", "does not resolve")
    assert str(expected.value) in p.message


def test_sources_must_be_a_list(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(sources="the news"))),
        "question pc-01",
        "sources",
        "list",
    )


@pytest.mark.parametrize("missing", ["title", "publisher", "url", "date"])
def test_source_needs_title_publisher_url_and_date(tmp_path, missing):
    src = dict(question()["sources"][0])
    del src[missing]
    path = write(tmp_path, "b.yaml", bank(question(sources=[src])))
    assert_problem(path, "question pc-01", f"source 1: {missing}", "missing")


@pytest.mark.parametrize(
    "url", ["example.org/report", "ftp://example.org/x", "javascript:alert(1)"]
)
def test_source_url_is_http(tmp_path, url):
    src = dict(question()["sources"][0], url=url)
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(sources=[src]))),
        "question pc-01",
        "source 1: url",
        "http",
    )


@pytest.mark.parametrize(
    "date", ["17 March 2022", "2022-02-30", "2022/03/17", "2022-13", 12022, True]
)
def test_source_date_is_yyyy_mm_dd(tmp_path, date):
    src = dict(question()["sources"][0], date=date)
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(sources=[src]))),
        "question pc-01",
        "source 1: date",
        "YYYY-MM-DD",
    )


@pytest.mark.parametrize(
    "date, shown", [(2020, "2020"), ("2022-11", "2022-11"), ("2022-03-17", "2022-03-17")]
)
def test_source_dated_only_to_year_or_month_is_kept_as_written(tmp_path, date, shown):
    """A source that gives no day is not padded with an invented one."""
    src = dict(question()["sources"][0], date=date)
    loaded = load_bank(write(tmp_path, "b.yaml", bank(question(sources=[src]))))
    assert loaded.questions[0].sources[0].date == shown


def test_source_date_without_time(tmp_path):
    src = dict(question()["sources"][0], date=dt.datetime(2022, 3, 17, 10, 0))
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(sources=[src]))),
        "question pc-01",
        "source 1: date",
        "time",
    )


def test_contested_must_be_boolean(tmp_path):
    assert_problem(
        write(tmp_path, "b.yaml", bank(question(contested="maybe"))),
        "question pc-01",
        "contested",
        "true or false",
    )


def test_all_problems_are_collected_at_once(tmp_path):
    path = write(
        tmp_path,
        "many.yaml",
        bank(
            question("pc-01", topic="x"),
            question("pc-02", difficulty=7),
            question("pc-03", kind="x"),
        ),
    )
    found = problems_of(path)
    assert [(p.item, p.field) for p in found] == [
        ("question pc-01", "topic"),
        ("question pc-02", "difficulty"),
        ("question pc-03", "kind"),
    ]


def test_directory_means_its_yaml_files(tmp_path):
    write(tmp_path, "a.yaml", bank(question("pc-01"), bank_id="a"))
    write(tmp_path, "b.yaml", bank(question("pc-02"), bank_id="b"))
    write(tmp_path, "notes.txt", "not a bank")
    assert [b.id for b in load_banks(tmp_path)] == ["a", "b"]


# --------------------------------------------------------------------------- safety


def test_loading_never_executes_yaml_tags(tmp_path):
    path = write(
        tmp_path,
        "evil.yaml",
        "bank: !!python/object/apply:os.system ['echo pwned']\ntitle: t\nquestions: []\n",
    )
    p = only(path)
    assert "YAML syntax error" in p.message and "python/object" in p.message


def test_script_in_a_bank_is_shown_as_text(tmp_path):
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    opts = [
        {"text": f"Option {evil}", "correct": False, "feedback": f"Wrong {evil}"},
        {"text": "No.", "correct": True, "feedback": f"Right {evil}"},
    ]
    path = write(
        tmp_path, "evil.yaml", bank(question(scenario=evil, prompt=evil, options=opts), title=evil)
    )
    quiz = Quiz(load_bank(path), seed=1)
    quiz.select(0)
    quiz.check()
    shown = _all_html(quiz)
    assert html.escape(evil) in shown
    assert "<script>" not in shown.replace("<style>", "")
    assert "<img" not in shown


def _all_html(widget) -> str:
    out = []
    value = getattr(widget, "value", None)
    if isinstance(value, str) and not value.startswith("<style>"):
        out.append(value)
    for child in getattr(widget, "children", ()):
        out.append(_all_html(child))
    return "".join(out)


# --------------------------------------------------------------------------- scenarios


def scenario(**changes) -> dict:
    doc = {
        "scenario": "press-test",
        "title": "The press officer",
        "start": "briefing",
        "nodes": {
            "briefing": {
                "text": "Journalists ask to see the captured soldiers.",
                "choices": [
                    {
                        "text": "Refuse cameras.",
                        "goto": "end-lawful",
                        "feedback": "Protects them.",
                        "articles": ["GCIII 13(2)"],
                    },
                    {
                        "text": "Parade them.",
                        "goto": "aftermath",
                        "feedback": "Exposes them.",
                        "articles": ["GCIII 13(2)"],
                    },
                ],
            },
            "aftermath": {
                "text": "The footage circulates.",
                "choices": [
                    {"text": "Investigate.", "goto": "end-unlawful", "feedback": "Too late."}
                ],
            },
            "end-lawful": {
                "text": "No footage.",
                "outcome": "lawful",
                "debrief": "Well done.",
                "articles": ["GCIII 13(2)"],
            },
            "end-unlawful": {
                "text": "Footage.",
                "outcome": "unlawful",
                "debrief": "Exposure.",
                "articles": ["GCIII 13(2)", "GCIII 7"],
            },
        },
    }
    doc.update(changes)
    return doc


def test_valid_scenario_loads(tmp_path):
    path = write(tmp_path, "s.yaml", scenario())
    assert problems_of(path) == []
    s = load_scenario(path)
    assert s.start == "briefing" and s.nodes["end-lawful"].is_end and not s.nodes["briefing"].is_end
    assert s.nodes["briefing"].choices[1].goto == "aftermath"


def test_scenario_start_must_exist(tmp_path):
    assert_problem(write(tmp_path, "s.yaml", scenario(start="intro")), "", "start", "is not a node")


def test_scenario_goto_must_exist(tmp_path):
    doc = scenario()
    doc["nodes"]["aftermath"]["choices"][0]["goto"] = "nowhere"
    assert_problem(
        write(tmp_path, "s.yaml", doc),
        "node aftermath",
        "choice 1: goto",
        "'nowhere' is not a node",
    )


def test_scenario_every_node_reachable(tmp_path):
    doc = scenario()
    doc["nodes"]["orphan"] = {
        "text": "Never seen.",
        "outcome": "lawful",
        "debrief": "x",
        "articles": ["GCIII 7"],
    }
    assert_problem(write(tmp_path, "s.yaml", doc), "node orphan", "", "cannot be reached")


def test_scenario_every_path_ends(tmp_path):
    doc = scenario()
    doc["nodes"]["aftermath"]["choices"] = [
        {"text": "Think again.", "goto": "aftermath", "feedback": "Round we go."}
    ]
    doc["nodes"]["briefing"]["choices"].append(
        {"text": "Sell footage.", "goto": "end-unlawful", "feedback": "No."}
    )
    assert_problem(
        write(tmp_path, "s.yaml", doc),
        "node aftermath",
        "choices",
        "no path from here reaches an end",
    )


def test_scenario_loop_with_an_exit_is_allowed(tmp_path):
    doc = scenario()
    doc["nodes"]["aftermath"]["choices"].append(
        {"text": "Back.", "goto": "briefing", "feedback": "Reconsider."}
    )
    assert problems_of(write(tmp_path, "s.yaml", doc)) == []


def test_end_node_needs_known_outcome(tmp_path):
    doc = scenario()
    doc["nodes"]["end-lawful"]["outcome"] = "fine"
    assert_problem(
        write(tmp_path, "s.yaml", doc),
        "node end-lawful",
        "outcome",
        "lawful | unlawful | contested",
    )


def test_end_node_needs_outcome(tmp_path):
    doc = scenario()
    del doc["nodes"]["end-lawful"]["outcome"]
    assert_problem(write(tmp_path, "s.yaml", doc), "node end-lawful", "outcome", "missing")


def test_end_node_needs_debrief(tmp_path):
    doc = scenario()
    del doc["nodes"]["end-unlawful"]["debrief"]
    assert_problem(write(tmp_path, "s.yaml", doc), "node end-unlawful", "debrief", "missing")


def test_end_node_needs_articles_that_resolve(tmp_path):
    doc = scenario()
    doc["nodes"]["end-unlawful"]["articles"] = ["GCIII 13(9)"]
    assert_problem(
        write(tmp_path, "s.yaml", doc), "node end-unlawful", "articles", "does not resolve"
    )


def test_choice_node_cannot_have_an_outcome(tmp_path):
    doc = scenario()
    doc["nodes"]["aftermath"]["outcome"] = "lawful"
    assert_problem(write(tmp_path, "s.yaml", doc), "node aftermath", "outcome", "not an end")


def test_choices_must_not_be_empty(tmp_path):
    doc = scenario()
    doc["nodes"]["aftermath"]["choices"] = []
    assert_problem(write(tmp_path, "s.yaml", doc), "node aftermath", "choices", "non-empty")


def test_choice_needs_feedback(tmp_path):
    doc = scenario()
    del doc["nodes"]["aftermath"]["choices"][0]["feedback"]
    assert_problem(
        write(tmp_path, "s.yaml", doc), "node aftermath", "choice 1: feedback", "missing"
    )


def test_choice_needs_goto(tmp_path):
    doc = scenario()
    del doc["nodes"]["aftermath"]["choices"][0]["goto"]
    found = problems_of(write(tmp_path, "s.yaml", doc))
    assert any(
        p.item == "node aftermath" and p.field == "choice 1: goto" and "missing" in p.message
        for p in found
    )


def test_node_id_format(tmp_path):
    doc = scenario()
    doc["nodes"]["Bad Node"] = doc["nodes"].pop("aftermath")
    doc["nodes"]["briefing"]["choices"][1]["goto"] = "Bad Node"
    found = problems_of(write(tmp_path, "s.yaml", doc))
    assert any(p.item == "node Bad Node" and "not a valid node id" in p.message for p in found)


def test_scenario_sources_are_checked(tmp_path):
    doc = scenario(
        sources=[{"title": "t", "publisher": "p", "url": "https://x.org", "date": "yesterday"}]
    )
    assert_problem(write(tmp_path, "s.yaml", doc), "", "source 1: date", "YYYY-MM-DD")


def test_scenario_ids_unique(tmp_path):
    a = write(tmp_path, "a.yaml", scenario())
    b = write(tmp_path, "b.yaml", scenario())
    assert [(p.path, p.field) for p in validate_paths([a, b])] == [(str(b), "scenario")]


# --------------------------------------------------------------------------- CLI


def _cli(argv):
    from powkit.cli import main

    return main(argv)


def test_cli_validate_prints_every_problem_and_fails(tmp_path, capsys):
    write(
        tmp_path,
        "a.yaml",
        bank(question("pc-01", topic="x"), question("pc-02", difficulty=0), bank_id="a"),
    )
    write(tmp_path, "s.yaml", scenario(start="nowhere"))
    assert _cli(["validate", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(str(tmp_path)) for line in lines)


def test_cli_validate_ok_counts(tmp_path, capsys):
    write(tmp_path, "a.yaml", bank(question("pc-01"), question("pc-02"), bank_id="a"))
    write(tmp_path, "b.yaml", bank(question("pc-03"), bank_id="b"))
    write(tmp_path, "s.yaml", scenario())
    assert (
        _cli(
            [
                "validate",
                str(tmp_path / "a.yaml"),
                str(tmp_path / "b.yaml"),
                str(tmp_path / "s.yaml"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "checked:" and out[-1] == "OK: no problems"
    assert out[1].strip().startswith("question banks") and out[1].endswith(": 2 banks, 3 questions")
    assert out[2].strip().startswith("scenarios") and out[2].endswith(": 1 scenario")


def test_python_m_powkit_validate_is_wired(tmp_path):
    import subprocess
    import sys

    write(tmp_path, "a.yaml", bank(question("pc-01", kind="x")))
    run = subprocess.run(
        [sys.executable, "-m", "powkit", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 1
    assert "question pc-01: kind:" in run.stdout


# --------------------------------------------------------------------------- property tests

_junk = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12), st.dates().map(str)
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
_QUESTION_FIELDS = list(question().keys()) + [
    "options.0.text",
    "options.1.correct",
    "options.0",
    "sources.0.url",
    "extra",
]


@st.composite
def _mutated_bank(draw):
    count = draw(st.integers(1, 3))
    qs = [question(f"q-{i}") for i in range(count)]
    for _ in range(draw(st.integers(1, 4))):
        q = qs[draw(st.integers(0, count - 1))]
        field = draw(st.sampled_from(_QUESTION_FIELDS))
        target, key = q, field
        if "." in field:
            first, index, *rest = field.split(".")
            target = (
                q[first][int(index)]
                if isinstance(q.get(first), list) and len(q[first]) > int(index)
                else None
            )
            if target is None or not rest:
                if target is not None and isinstance(q.get(first), list):
                    q[first][int(index)] = draw(_junk)
                continue
            key = rest[0]
            if not isinstance(target, dict):
                continue
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(_junk)
    return bank(*qs)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=_mutated_bank())
def test_random_malformed_banks_give_problems_naming_the_question(tmp_path, doc):
    path = write(tmp_path, "fuzz.yaml", doc)
    found = validate_paths([path])  # must never raise
    for p in found:
        assert p.path == str(path)
        assert p.item.startswith("question ") or p.item == "", str(p)
        if p.item == "":  # only whole-bank problems come without a question
            assert p.field in ("questions",), str(p)
    try:
        loaded = load_bank(path)
    except BankError as error:
        assert found and error.problems == found
    else:
        assert not found and len(loaded.questions) == len(doc["questions"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.one_of(st.text(max_size=200), _junk.map(lambda v: yaml.safe_dump(v))))
def test_random_text_never_crashes_the_loader(tmp_path, text):
    path = write(tmp_path, "junk.yaml", text)
    found = validate_paths([path])
    assert all(isinstance(p, Problem) and p.path == str(path) for p in found)
    for loader in (load_bank, load_scenario):
        try:
            loader(path)
        except BankError as error:
            assert error.problems


# --------------------------------------------------------------------------- the documentation


def test_examples_in_authoring_guide_are_valid(tmp_path):
    import re

    from powkit import catalog

    text = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]
    assert len(blocks) >= 4
    paths = [write(tmp_path, f"example-{i}.yaml", b) for i, b in enumerate(blocks)]
    report = catalog.check_paths(paths)
    assert report.problems == []
    kinds = {c.kind for c in report.checked}
    assert {"question banks", "scenarios", "case files", "decision trees"} <= kinds
    assert load_bank(paths[0]).id == "public-curiosity"
    assert load_scenario(paths[1]).id == "press-officer"


# --------------------------------------------------------------------------- the shipped content
#
# tests/test_quotations.py checks a quotation against the citation written next to it. A
# quotation in an option's feedback often stands with no citation in its own sentence (the
# citation is in the option text, or only in the question's list of articles), and a misquote
# there went unnoticed ("information of any kind whatsoever" for GCIII 17(4)'s "whatever").
# Here every quotation of three words or more in an option or a scenario choice must be the
# words of a provision the question (or node) cites, or the question's own scenario, or one of
# the listed non-treaty quotations below.

SHIPPED_BANKS = sorted((REPO / "data" / "quizzes").glob("*.yaml"))
SHIPPED_SCENARIOS = sorted((REPO / "data" / "scenarios").glob("*.yaml"))

#: Quotations that are deliberately not treaty words, with the reason.
NOT_TREATY_WORDS = {
    ("dt-05", "convicted ... in accordance with the principles of the Nuremberg trial"): (
        "the Soviet reservation to GCIII 85, quoted from the ICRC Commentary"
    ),
    ("iq-07", "proof of life"): "an argument's name, as the 2020 Commentary discusses it",
    ("pc-06", "so families can see they are alive"): "a caption the ministry proposes",
    ("pc-07", "for the purpose of documenting war crimes"): (
        "a distractor: words the Convention does not contain"
    ),
    ("end-interrogation-video", "Showing good treatment"): "the press officer's own excuse",
    ("end-wide-shots", "display of captives"): "a phrase of the debate, not of a treaty",
}


def _texts_of(citations) -> list[str]:
    out = []
    for citation in citations:
        # an unresolvable citation is reported by validate and test_quotations
        with contextlib.suppress(convention.CitationError):
            out.append(_norm(convention.cite(citation)))
    return out


def _within(quote: str, texts: list[str]) -> bool:
    """The quotation's pieces (split at an ellipsis) occur in order in one of the texts."""
    for text in texts:
        position = 0
        for piece in _pieces(quote):
            found = text.find(piece, position)
            if found < 0:
                break
            position = found + len(piece)
        else:
            return True
    return False


def _misquotes(item: str, strings: list[str], citations: list[str], context: list[str]):
    cited = list(citations) + [c for s in strings for c in CITATION_IN_PROSE.findall(s)]
    texts = _texts_of(cited) + [_norm(t) for t in context]
    for string in strings:
        for match in QUOTATION.finditer(string):
            quote = match.group(1).strip()
            if len(quote.split()) < 3 or (item, quote) in NOT_TREATY_WORDS:
                continue
            if not _within(quote, texts):
                yield f"{item}: {quote!r} is not in {', '.join(cited) or 'any cited provision'}"


def test_quotations_in_options_are_the_cited_provisions_words():
    found = []
    for path in SHIPPED_BANKS:
        for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            for option in q["options"]:
                found += _misquotes(
                    q["id"],
                    [option["text"], option["feedback"]],
                    q["articles"],
                    [q["scenario"], q["prompt"]],
                )
    for path in SHIPPED_SCENARIOS:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for node_id, node in doc["nodes"].items():
            context = [node["text"], doc.get("description", "")]
            if "debrief" in node:
                found += _misquotes(node_id, [node["debrief"]], node["articles"], context)
            for choice in node.get("choices", []):
                found += _misquotes(
                    node_id, [choice["feedback"]], choice.get("articles", []), context
                )
    assert found == []


def test_the_misquote_check_can_fail():
    bad = list(
        _misquotes(
            "x",
            ['Coercion is forbidden "to secure from them information of any kind whatsoever".'],
            ["GCIII 17(4)"],
            [],
        )
    )
    assert bad and "whatsoever" in bad[0]
    assert not list(_misquotes("x", ['"of any kind whatever"'], ["GCIII 17(4)"], []))


def test_source_notes_speak_to_the_reader():
    """No process talk in what a learner reads: 'read in this session', 'title reconstructed'."""
    bad = []
    for path in SHIPPED_BANKS + SHIPPED_SCENARIOS:
        text = path.read_text(encoding="utf-8").lower()
        for phrase in ("in this session", "reconstructed", "this session"):
            if phrase in text:
                bad.append(f"{path.name}: {phrase!r}")
    assert bad == []
