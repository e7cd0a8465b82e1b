"""The conflict-and-detainee tree of lesson 10: it validates, the law it encodes holds on every
path, the worked examples of the lesson reach the outcomes the lesson says, and the StatusTree
widget walks it with the deciding provisions on screen.

What "the law holds on every path" means here:
- prisoner-of-war status is only ever reached through an international armed conflict (a clash
  between States, or a State's overall control of an armed group) and GCIII 4 or 5;
- every path that classifies a conflict as international through overall control passes a
  question marked contested, because the test and the facts are disputed;
- a non-international conflict never ends in an outcome that relies on GCIII 4, API 43-45 or
  GCIV, and always rests on common Article 3;
- Protocol II is relied on only after the tree has asked whether its threshold is met.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from powkit import convention
from powkit.status import StatusTree, load_tree

TREE_PATH = convention.data_dir() / "trees" / "conflict.yaml"


@pytest.fixture(scope="module")
def tree():
    return load_tree(TREE_PATH)


def _answers(steps):
    return {node: answer for node, answer in steps}


def test_the_tree_loads_and_is_not_the_status_tree(tree):
    assert tree.id == "conflict"
    assert tree.id != load_tree().id
    assert Path(tree.path).name == "conflict.yaml"


def test_prisoner_of_war_only_in_an_international_conflict(tree):
    for steps, outcome in tree.paths():
        answers = _answers(steps)
        if outcome.kind == "pow":
            international = (
                answers.get("between-states") == "yes" or answers.get("foreign-control") == "yes"
            )
            assert international, f"{outcome.id} reached without an international conflict: {steps}"
            assert answers.get("member-4a") == "yes", steps
            assert any(c.startswith("GCIII 4A") for c in outcome.articles)


def test_non_international_outcomes_rest_on_common_article_3_and_never_on_gciii_4(tree):
    for steps, outcome in tree.paths():
        answers = _answers(steps)
        if answers.get("apii-threshold") is None:
            continue
        assert answers.get("between-states") == "no" and answers.get("foreign-control") == "no"
        assert outcome.kind == "not-pow", outcome.id
        assert any(c.startswith("GCIII 3(") for c in outcome.articles), outcome.id
        for citation in outcome.articles:
            assert not citation.startswith(("GCIII 4", "GCIII 5", "GCIV", "API 4")), (
                outcome.id,
                citation,
            )


def test_protocol_ii_is_relied_on_only_after_its_threshold_is_asked(tree):
    for steps, outcome in tree.paths():
        answers = _answers(steps)
        if any(c.startswith("APII") and c != "APII 1(2)" for c in outcome.articles):
            assert answers.get("apii-threshold") == "yes", (outcome.id, steps)


def test_internationalisation_by_overall_control_is_marked_contested(tree):
    assert tree.nodes["foreign-control"].contested
    for steps, outcome in tree.paths():
        if _answers(steps).get("foreign-control") == "yes":
            marked = any(tree.nodes[n].contested for n, _ in steps) or outcome.contested
            assert marked, steps
    assert tree.outcomes["group-fighter-status"].contested
    assert "MH17" in tree.outcomes["group-fighter-status"].contested


def test_outcomes_that_rely_on_protocol_i_say_it_binds_only_its_parties(tree):
    # The tree never asks whether both sides are parties to Protocol I, so any outcome that
    # cites it must say in words that it applies between parties (customary law elsewhere).
    for outcome in tree.outcomes.values():
        if any(c.startswith("API ") for c in outcome.articles):
            text = " ".join(outcome.text.split())
            assert "parties to Protocol I" in text, outcome.id


def test_protocol_ii_question_asks_who_is_fighting(tree):
    # APII 1(1) covers fighting between a State's armed forces and an armed group, not fighting
    # between armed groups only (which common Article 3 covers).
    question = " ".join(tree.nodes["apii-threshold"].question.split())
    assert "State's armed forces" in question and "armed groups only" in question


def test_no_armed_conflict_means_no_geneva_detention_regime(tree):
    _steps, outcome = tree.walk(["no"])
    assert outcome.id == "no-armed-conflict"
    assert all(not c.startswith(("GCIII", "GCIV")) for c in outcome.articles)


# The worked examples of lesson 10, section 6, with the answers the lesson gives.
EXAMPLES = {
    "a Russian conscript captured by Ukraine in March 2022": (
        ["yes", "yes", "yes"],
        "pow-iac",
    ),
    "a 'DPR' fighter captured in 2015, if Russia had overall control": (
        ["yes", "no", "yes", "yes"],
        "group-fighter-status",
    ),
    "a 'DPR' fighter captured in 2015, if the conflict was non-international": (
        ["yes", "no", "no", "yes"],
        "niac-apii",
    ),
    "a Ukrainian soldier held by the 'DPR' in 2015, if Russia had overall control": (
        ["yes", "no", "yes", "no", "yes"],
        "pow-iac",
    ),
    "a Ukrainian teacher detained by Russian forces in occupied territory in 2023": (
        ["yes", "yes", "no", "no", "yes"],
        "gciv-protected",
    ),
    "a fighter of a small group holding no territory, in a State not party to Protocol II": (
        ["yes", "no", "no", "no"],
        "niac-ca3",
    ),
}


@pytest.mark.parametrize("case", EXAMPLES, ids=list(EXAMPLES))
def test_worked_examples(tree, case):
    answers, expected = EXAMPLES[case]
    _, outcome = tree.walk(answers)
    assert outcome is not None and outcome.id == expected


def test_every_citation_in_the_tree_resolves(tree):
    for citation in tree.citations():
        assert convention.resolve(citation), citation


def test_widget_walks_the_tree_and_shows_the_deciding_text():
    widget = StatusTree(TREE_PATH)
    assert "Which law protects this detainee?" in widget._title.value
    widget.walk(["yes", "no"])
    assert widget.current == "foreign-control"
    assert "Contested:" in widget._question.value and "Tadić" in widget._question.value
    widget.walk(["yes", "yes"])
    assert widget.outcome.id == "group-fighter-status"
    assert "Contested:" in widget._outcome_html.value
    assert 'data-citation="GCIII 4A(2)"' in widget._articles.value
    widget.back()
    assert widget.current == "group-fighter"
    widget.restart()
    assert widget.current == "armed-conflict" and widget.path == []
