"""The status decision tree: the shipped file validates, every broken rule is caught, and the
StatusTree widget walks every path to the right outcome with the deciding text on screen."""

from __future__ import annotations

import copy
import dataclasses
import html

import pytest
import yaml

from powkit import convention
from powkit.status import (
    OUTCOME_KINDS,
    StatusTree,
    TreeError,
    default_tree_path,
    load_tree,
    parse_tree,
)

# A small valid tree; each broken example below changes one thing in a copy of it.
GOOD = {
    "tree": "mini",
    "title": "Mini tree",
    "start": "member",
    "nodes": {
        "member": {
            "question": "Member of the armed forces?",
            "yes": "pow",
            "no": "doubt",
            "articles": ["GCIII 4A(1)"],
        },
        "doubt": {
            "question": "Belligerent act and doubt?",
            "yes": "tribunal",
            "no": "other",
            "articles": ["GCIII 5(2)"],
        },
    },
    "outcomes": {
        "pow": {
            "kind": "pow",
            "title": "POW",
            "text": "A prisoner of war.",
            "articles": ["GCIII 4A(1)"],
        },
        "tribunal": {
            "kind": "tribunal",
            "title": "Tribunal",
            "text": "Wait.",
            "articles": ["GCIII 5(2)"],
        },
        "other": {
            "kind": "not-pow",
            "title": "Other",
            "text": "Civilian.",
            "articles": ["API 75(1)"],
        },
    },
}


def broken(change) -> dict:
    raw = copy.deepcopy(GOOD)
    change(raw)
    return raw


def problems_of(raw) -> str:
    with pytest.raises(TreeError) as caught:
        parse_tree(raw, "mini.yaml")
    return str(caught.value)


def first_words(citation: str, n: int = 6) -> str:
    """The opening words of a provision's exact text, as they appear (escaped) in the widget."""
    text = convention.resolve(citation)[0].text.split("\n")[0]
    return html.escape(" ".join(text.split()[:n]))


# ------------------------------------------------------------------ the shipped tree


def test_shipped_tree_loads_and_every_path_ends_in_an_outcome():
    tree = load_tree()
    paths = tree.paths()
    assert tree.start == "neutral"
    reached = {outcome.id for _, outcome in paths}
    assert reached == set(tree.outcomes), "every outcome is reachable"
    assert {kind for kind in (o.kind for o in tree.outcomes.values())} <= set(OUTCOME_KINDS)
    # The categories the lesson promises are all there.
    for needed in (
        "pow-4a1",
        "pow-4a2",
        "pow-4a3",
        "pow-4a4",
        "pow-4a5",
        "pow-4a6",
        "treated-4b1",
        "treated-4b2",
        "tribunal",
        "not-pow",
        "mercenary-outcome",
        "spy-outcome",
        "spy-customary",
        "forfeit-44-4",
        "forfeit-customary",
        "pow-api-44",
        "pow-api-44-3",
    ):
        assert needed in tree.outcomes


def test_shipped_tree_cites_only_existing_provisions():
    for citation in load_tree().citations():
        assert convention.resolve(citation), citation


def test_militia_needs_all_four_conditions():
    tree = load_tree()
    to_militia = [
        "no",
        "no",
        "no",
        "yes",
    ]  # not neutral, not the armed forces, not 4A(3), a militia
    steps, outcome = tree.walk(to_militia)
    assert steps[-1][0] == "militia" and outcome is None
    conditions = ["condition-a", "condition-b", "condition-c", "condition-d"]
    for failing in range(4):
        answers = ["yes"] * failing + ["no"]
        # Failing a condition, outside Protocol I and with no doubt, never leads to 4A(2).
        steps, outcome = tree.walk(to_militia + answers + ["no", "no"])
        assert steps[4 + failing] == (conditions[failing], "no")
        assert ("protocol-group", "no") in steps and outcome.id == "not-pow"
    # All four conditions, not spying, distinguished: a prisoner of war under 4A(2).
    _, outcome = tree.walk(to_militia + ["yes"] * 4 + ["no", "no"])
    assert outcome.id == "pow-4a2"


# ------------------------------------------------------------------ properties of every path
#
# The paths are generated from the tree, never listed by hand: a branch added to the YAML is
# walked and checked like every other.

PROTOCOL_I = "protocol-i"


def _cites_protocol(outcome) -> bool:
    return any(citation.startswith("API ") for citation in outcome.articles)


def _protocol_nodes(tree) -> set[str]:
    """The questions whose Yes establishes that Protocol I binds both parties."""
    return {node.id for node in tree.nodes.values() if node.establishes == PROTOCOL_I}


def api_outcomes_reached_without_protocol(tree) -> list[str]:
    """Every path ending in an outcome that cites Protocol I without a Yes to 'Protocol I binds
    both parties' on the way (checked independently of the loader's own rule)."""
    protocol = _protocol_nodes(tree)
    bad = []
    for steps, outcome in tree.paths():
        if _cites_protocol(outcome) and not any(
            node in protocol and answer == "yes" for node, answer in steps
        ):
            bad.append(" -> ".join(f"{n}={a}" for n, a in steps) + f" -> {outcome.id}")
    return bad


def test_the_protocol_questions_ask_exactly_that():
    tree = load_tree()
    protocol = _protocol_nodes(tree)
    assert len(protocol) >= 4, "spy, distinction, group and mercenary branches each ask it"
    for node_id in protocol:
        question = tree.nodes[node_id].question
        assert "bound by Additional Protocol I" in question and "both parties" in question


def test_no_path_reaches_a_protocol_outcome_without_establishing_that_the_protocol_binds():
    tree = load_tree()
    paths = tree.paths()
    assert any(_cites_protocol(outcome) for _, outcome in paths), "the API outcomes exist"
    assert api_outcomes_reached_without_protocol(tree) == []
    for outcome in tree.outcomes.values():
        # the data says so too, which makes the loader enforce it for every future edit
        assert (PROTOCOL_I in outcome.requires) == _cites_protocol(outcome), outcome.id


def test_the_path_check_fails_on_a_tree_that_skips_the_protocol_question():
    """The property test is not vacuous: link 'out of uniform? yes' straight to API 44(4)."""
    tree = load_tree()
    skipping = dataclasses.replace(tree.nodes["distinction"], yes="forfeit-44-4")
    broken_tree = dataclasses.replace(tree, nodes={**tree.nodes, "distinction": skipping})
    bad = api_outcomes_reached_without_protocol(broken_tree)
    assert bad and all(path.endswith("distinction=yes -> forfeit-44-4") for path in bad)


def test_the_loader_refuses_a_protocol_outcome_reachable_without_the_protocol_answer():
    raw = yaml.safe_load(default_tree_path().read_text(encoding="utf-8"))
    raw["nodes"]["distinction"]["yes"] = "forfeit-44-4"
    msg = problems_of(raw)
    assert "outcome forfeit-44-4: requires: 'protocol-i'" in msg and "distinction=yes" in msg


def test_where_the_protocol_does_not_bind_the_outcome_is_the_customary_one():
    tree = load_tree()
    protocol = _protocol_nodes(tree)
    seen = set()
    for steps, outcome in tree.paths():
        refused = [node for node, answer in steps if node in protocol and answer == "no"]
        if not refused:
            continue
        seen.add(outcome.id)
        assert not _cites_protocol(outcome), (steps, outcome.id)
        assert outcome.kind in {"not-pow", "tribunal"}, (steps, outcome.id)
        if outcome.kind == "not-pow":
            # the fundamental guarantees of customary law, not API 75 or API 44(4)
            assert "Rules 87-105" in outcome.text, outcome.id
            assert "GCIV 4" in outcome.text, outcome.id
    assert {"spy-customary", "forfeit-customary", "tribunal", "not-pow"} <= seen


def test_militia_members_face_the_same_individual_questions_as_regular_forces():
    tree = load_tree()
    spy_q = tree.nodes["spy"].question
    distinction_q = tree.nodes["distinction"].question
    category_outcomes = {"pow-4a1", "pow-4a2", "pow-4a3", "pow-api-44"}
    reached = set()
    for steps, outcome in tree.paths():
        asked = {tree.nodes[node].question: answer for node, answer in steps}
        if outcome.id in category_outcomes:
            reached.add(outcome.id)
            assert asked.get(distinction_q) == "no", outcome.id
            if outcome.id != "pow-api-44":
                assert asked.get(spy_q) == "no", outcome.id
        if asked.get(distinction_q) == "yes":
            # out of uniform: the same outcomes whichever category brought the person here
            assert outcome.id in {"pow-api-44-3", "forfeit-44-4", "forfeit-customary"}, steps
    assert reached == category_outcomes
    # Out of uniform, the militia member, the regular soldier and the 4A(3) soldier meet the
    # same outcomes: the category that brought them to the question makes no difference.
    entry = {
        "armed-forces": "regular",
        "unrecognised-government": "4A(3)",
        "condition-d": "militia",
    }
    ends: dict[str, set[str]] = {}
    for steps, outcome in tree.paths():
        route = next((entry[n] for n, a in steps if n in entry and a == "yes"), None)
        if route and (distinction_q, "yes") in {(tree.nodes[n].question, a) for n, a in steps}:
            ends.setdefault(route, set()).add(outcome.id)
    expected = {"pow-api-44-3", "forfeit-44-4", "forfeit-customary"}
    assert ends == {"regular": expected, "4A(3)": expected, "militia": expected}


# ------------------------------------------------------------------ validation: one broken example per rule


def test_good_example_is_valid():
    tree = parse_tree(copy.deepcopy(GOOD), "mini.yaml")
    assert len(tree.paths()) == 3


def test_not_a_mapping():
    assert "must be a mapping" in problems_of(["a", "list"])


def test_missing_start():
    msg = problems_of(broken(lambda r: r.pop("start")))
    assert "mini.yaml: start: missing" in msg


def test_start_not_a_node():
    msg = problems_of(broken(lambda r: r.update(start="pow")))
    assert "mini.yaml: start: 'pow' is not a node" in msg


def test_unknown_key_is_named():
    msg = problems_of(broken(lambda r: r["nodes"]["member"].update(yse="pow")))
    assert "mini.yaml: node member: yse: unknown field 'yse'" in msg


def test_goto_must_exist():
    msg = problems_of(broken(lambda r: r["nodes"]["member"].update(no="nowhere")))
    assert "node member: no: leads to 'nowhere'" in msg and "use one of" in msg


def test_answer_missing():
    msg = problems_of(broken(lambda r: r["nodes"]["doubt"].pop("yes")))
    assert "node doubt: yes: missing" in msg


def test_question_missing():
    msg = problems_of(broken(lambda r: r["nodes"]["doubt"].pop("question")))
    assert "node doubt: question: missing" in msg


def test_everything_reachable():
    def add_orphan(r):
        r["outcomes"]["orphan"] = {
            "kind": "pow",
            "title": "O",
            "text": "O.",
            "articles": ["GCIII 4"],
        }

    msg = problems_of(broken(add_orphan))
    assert "outcome orphan: cannot be reached" in msg


def test_every_path_ends_no_loops():
    msg = problems_of(broken(lambda r: r["nodes"]["doubt"].update(no="member")))
    assert "loops back" in msg and "member -> doubt -> member" in msg


def test_citations_resolve():
    msg = problems_of(broken(lambda r: r["outcomes"]["pow"].update(articles=["GCIII 4A(9)"])))
    assert "outcome pow: articles: citation does not resolve: GCIII 4A(9)" in msg


def test_articles_required():
    msg = problems_of(broken(lambda r: r["nodes"]["member"].pop("articles")))
    assert "node member: articles: missing" in msg


def test_outcome_kind_checked():
    msg = problems_of(broken(lambda r: r["outcomes"]["other"].update(kind="civilian")))
    assert "outcome other: kind: 'civilian' must be one of" in msg


def test_node_and_outcome_ids_do_not_clash():
    def clash(r):
        r["outcomes"]["doubt"] = {
            "kind": "pow",
            "title": "D",
            "text": "D.",
            "articles": ["GCIII 4"],
        }

    msg = problems_of(broken(clash))
    assert "'doubt' is both a node and an outcome" in msg


def test_required_fact_must_be_established_on_every_path():
    def require(r):
        r["outcomes"]["pow"]["requires"] = ["protocol-i"]
        r["nodes"]["doubt"]["establishes"] = "protocol-i"  # on another branch only

    msg = problems_of(broken(require))
    assert "outcome pow: requires: 'protocol-i'" in msg and "member=yes -> pow" in msg


def test_required_fact_on_the_path_is_accepted():
    raw = copy.deepcopy(GOOD)
    raw["nodes"]["member"]["establishes"] = "protocol-i"
    raw["outcomes"]["pow"]["requires"] = ["protocol-i"]
    tree = parse_tree(raw, "mini.yaml")
    assert tree.nodes["member"].establishes == "protocol-i"
    assert tree.outcomes["pow"].requires == ("protocol-i",)


def test_required_fact_nobody_establishes():
    msg = problems_of(broken(lambda r: r["outcomes"]["pow"].update(requires=["protocol-ii"])))
    assert "outcome pow: requires: 'protocol-ii', but no question establishes it" in msg


def test_fact_names_are_checked():
    msg = problems_of(broken(lambda r: r["nodes"]["member"].update(establishes="Protocol I")))
    assert "node member: establishes: must be a name" in msg
    msg = problems_of(broken(lambda r: r["outcomes"]["pow"].update(requires="protocol-i")))
    assert "outcome pow: requires: must be a list of names" in msg


def test_all_problems_reported_together():
    def two(r):
        r["nodes"]["member"]["no"] = "nowhere"
        r["outcomes"]["pow"]["kind"] = "hero"

    with pytest.raises(TreeError) as caught:
        parse_tree(broken(two), "mini.yaml")
    assert len(caught.value.problems) >= 2


def test_unquoted_yes_no_in_yaml_are_accepted(tmp_path):
    text = yaml.safe_dump(GOOD).replace("'yes':", "yes:").replace("'no':", "no:")
    path = tmp_path / "tree.yaml"
    path.write_text(text, encoding="utf-8")
    assert "yes:" in text and yaml.safe_load(text)["nodes"]["member"].get(True) == "pow"
    assert load_tree(path).nodes["member"].yes == "pow"


def test_invalid_yaml_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("nodes: [unclosed", encoding="utf-8")
    with pytest.raises(TreeError, match=r"bad\.yaml: line 1, column 17: YAML syntax error"):
        load_tree(path)


# ------------------------------------------------------------------ the widget, through its Python API


def test_every_path_walked_through_the_widget():
    tree = load_tree()
    widget = StatusTree(tree)
    for steps, outcome in tree.paths():
        widget.restart()
        for node_id, answer in steps:
            assert widget.current == node_id
            assert html.escape(tree.nodes[node_id].question) in widget._question.value
            widget.select(answer)
            assert widget._next.disabled is False
            widget.next()
        assert widget.outcome == outcome
        assert widget.path == steps
        assert html.escape(outcome.title) in widget._outcome_html.value
        assert OUTCOME_KINDS[outcome.kind] in widget._outcome_html.value
        for citation in outcome.articles:
            assert (
                f'data-citation="{convention.resolve(citation)[0].citation}"'
                in widget._articles.value
            )
            assert first_words(citation) in widget._articles.value
        assert widget._choice.disabled and widget._next.disabled


def test_path_is_shown_and_back_undoes():
    widget = StatusTree()
    widget.walk(["no", "yes", "no", "no", "no"])
    assert widget.outcome.id == "pow-4a1"
    assert "Path taken (5 answers)" in widget._path_html.value
    assert first_words("GCIII 4A(1)") in widget._articles.value
    widget.back()
    assert widget.current == "distinction" and widget.outcome is None
    assert widget._choice.value == "no", "Back restores the answer given, ready to change"
    widget.answer("yes")
    assert widget.current == "protocol-distinction", "Protocol I is asked before API 44 applies"
    widget.walk(["yes", "no"])
    assert widget.outcome.id == "forfeit-44-4"
    widget.back()
    widget.back()
    widget.answer("no")
    assert widget.outcome.id == "forfeit-customary"
    widget.restart()
    assert widget.current == "neutral" and widget.path == [] and widget._back.disabled


def test_next_needs_an_answer_and_end_refuses_more():
    widget = StatusTree()
    assert widget._next.disabled
    widget.next()
    assert widget.current == "neutral"
    widget.walk(["yes"])
    assert widget.outcome.id == "treated-4b2"
    with pytest.raises(ValueError, match="ended"):
        widget.select("no")
    with pytest.raises(ValueError):
        StatusTree().select("maybe")


def test_buttons_have_descriptions_for_keyboard_and_screen_readers():
    widget = StatusTree()
    assert [o for o in widget._choice.options] == [("Yes", "yes"), ("No", "no")]
    assert all(widget._choice.tooltips)
    for button in (widget._next, widget._back, widget._restart):
        assert button.description and button.tooltip


def test_text_from_the_file_is_escaped():
    raw = copy.deepcopy(GOOD)
    raw["title"] = "<b>Title</b>"
    raw["nodes"]["member"]["question"] = "Member? <script>alert(1)</script>"
    raw["nodes"]["member"]["contested"] = "<img src=x onerror=alert(2)>"
    raw["outcomes"]["pow"]["text"] = "<i>POW</i> & more"
    widget = StatusTree(parse_tree(raw, "mini.yaml"))
    page = widget._title.value + widget._question.value
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "&lt;img" in page
    assert "<b>Title</b>" not in page
    widget.answer("yes")
    assert "&lt;i&gt;POW&lt;/i&gt; &amp; more" in widget._outcome_html.value
    assert "Member? &lt;script&gt;" in widget._path_html.value
