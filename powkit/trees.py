"""Decision trees: yes/no questions that lead a learner to an outcome, as data.

Why a tree: Article 4 is a list of categories, each with its own conditions, and students learn
it best by walking a concrete person through it one question at a time and seeing which words
of the treaty decide the case. A tree is data (``data/trees/<id>.yaml``), so that a lawyer can
correct a question without touching code, and it is checked strictly on load, because a broken
tree fails silently in class: a question that leads nowhere, an outcome no path reaches, or a
loop that never ends. Trees are found by id like banks (``load_tree("status")``); the widget
that walks one is :class:`powkit.status.StatusTree`.

Format::

    tree: status                      # the id: lower-case letters, digits, '-', '_'
    title: Is this person a prisoner of war?
    description: ...                  # optional
    start: neutral                    # the first node
    nodes:
      neutral:
        question: ...                 # our words; the widget shows the cited text beside it
        "yes": treated-4b2            # a node or an outcome (quote yes/no: YAML 1.1 reads
        "no": armed-forces            #   them as true/false; both spellings are accepted)
        articles: ["GCIII 4B(2)"]
        help: ...                     # optional
        contested: ...                # optional: why lawyers disagree here
    outcomes:
      treated-4b2:
        kind: treated-as-pow          # one of OUTCOME_KINDS
        title: ...
        text: ...
        articles: ["GCIII 4B(2)"]
        contested: ...                # optional
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from powkit import convention
from powkit.resources import data_file, data_files, display_path
from powkit.validation import Checker, Problem, Resolver, ValidationError, describe_type, read_yaml

__all__ = [
    "ANSWERS",
    "OUTCOME_KINDS",
    "DecisionNode",
    "Outcome",
    "Tree",
    "TreeError",
    "as_answer",
    "check_tree",
    "default_tree_path",
    "find_tree",
    "load_tree",
    "parse_tree",
    "tree_files",
]

#: The two answers every question takes.
ANSWERS: tuple[str, ...] = ("yes", "no")

#: What an outcome can say about the person, with the label the widget shows.
OUTCOME_KINDS: dict[str, str] = {
    "pow": "Prisoner of war",
    "treated-as-pow": "Treated as a prisoner of war",
    "equivalent": "Not a prisoner of war, but equivalent protection",
    "retained": "Retained personnel: not a prisoner of war, same protection at least",
    "tribunal": "Protected until a competent tribunal decides",
    "not-pow": "Not a prisoner of war: other protection",
}

_TOP_KEYS = ("tree", "title", "description", "start", "nodes", "outcomes")
_NODE_KEYS = ("question", "yes", "no", "articles", "help", "contested", "establishes")
_OUTCOME_KEYS = ("kind", "title", "text", "articles", "contested", "requires")
#: A fact name in ``establishes``/``requires``: lower-case letters, digits and '-'.
_FACT = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _facts(
    value: object, key: str, item: str, check: Checker, many: bool = False
) -> tuple[str, ...]:
    """An ``establishes`` fact name (one) or a ``requires`` list of fact names."""
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    well_formed = all(isinstance(v, str) and _FACT.match(v) for v in values)
    if not values or not well_formed or isinstance(value, list) != many:
        shape = "a list of names" if many else "a name"
        check.add(
            item,
            key,
            f"must be {shape} of lower-case letters, digits and '-', such as protocol-i, "
            f"not {value!r}",
        )
        return ()
    return tuple(str(v) for v in values)


class TreeError(ValidationError):
    """A decision-tree file that cannot be used; ``problems`` lists every reason at once."""


@dataclass(frozen=True)
class DecisionNode:
    """One yes/no question, where each answer leads, and the articles it tests.

    ``establishes`` names a fact that a Yes to this question settles (for example
    ``protocol-i``: "both parties are bound by Additional Protocol I"). Outcomes that rest on
    that fact list it in ``requires``, and the loader refuses a tree in which such an outcome
    can be reached without that Yes on the way: a rule of a treaty must not be applied before
    the tree has asked whether the treaty binds the parties.
    """

    id: str
    question: str
    yes: str
    no: str
    articles: tuple[str, ...]
    help: str = ""
    contested: str = ""
    establishes: str = ""

    def goto(self, answer: str) -> str:
        return self.yes if answer == "yes" else self.no


@dataclass(frozen=True)
class Outcome:
    """Where a path ends: what the person is, why, and the provisions that decide it."""

    id: str
    kind: str
    title: str
    text: str
    articles: tuple[str, ...]
    contested: str = ""
    requires: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return OUTCOME_KINDS[self.kind]


@dataclass(frozen=True)
class Tree:
    """A validated decision tree: nodes, outcomes and the start node."""

    id: str
    title: str
    description: str
    start: str
    nodes: dict[str, DecisionNode]
    outcomes: dict[str, Outcome]
    path: str = ""

    def walk(self, answers: Iterable[str]) -> tuple[list[tuple[str, str]], Outcome | None]:
        """Follow ``answers`` from the start; return the (node id, answer) steps and the outcome.

        The outcome is None if the answers run out before an outcome is reached. Raises
        ValueError for an answer that is not yes/no or for answers left over after an outcome.
        """
        steps: list[tuple[str, str]] = []
        here = self.start
        for answer in answers:
            answer = as_answer(answer)
            if here in self.outcomes:
                raise ValueError(
                    f"the path already ended at outcome {here!r}; {answer!r} is one answer too many"
                )
            steps.append((here, answer))
            here = self.nodes[here].goto(answer)
        return steps, self.outcomes.get(here)

    def paths(self) -> list[tuple[list[tuple[str, str]], Outcome]]:
        """Every path from the start to an outcome (the tree has no loops, so this ends)."""
        found: list[tuple[list[tuple[str, str]], Outcome]] = []

        def visit(here: str, steps: list[tuple[str, str]]) -> None:
            if here in self.outcomes:
                found.append((steps, self.outcomes[here]))
                return
            for answer in ANSWERS:
                visit(self.nodes[here].goto(answer), steps + [(here, answer)])

        visit(self.start, [])
        return found

    def citations(self) -> list[str]:
        """Every citation the tree uses, once each, in order of first use."""
        seen: dict[str, None] = {}
        for node in self.nodes.values():
            seen.update(dict.fromkeys(node.articles))
        for outcome in self.outcomes.values():
            seen.update(dict.fromkeys(outcome.articles))
        return list(seen)


def as_answer(value: object) -> str:
    """'yes'/'no' in any case, or True/False (what YAML 1.1 makes of an unquoted yes/no)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value).strip().lower()
    if text not in ANSWERS:
        raise ValueError(f"answer {value!r} must be 'yes' or 'no'")
    return text


def default_tree_path() -> Path:
    """The status tree's file (an instructor's copy in ``$POWKIT_DATA/trees`` first)."""
    return data_file("trees", "status.yaml")


def tree_files() -> list[Path]:
    """Every decision tree the kit offers, an instructor's first."""
    return data_files("trees")


# --------------------------------------------------------------------------- validation


def _plain(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def parse_tree(raw: object, source: str = "<tree>", *, resolver: Resolver | None = None) -> Tree:
    """Check a decision tree read from YAML and build it; raise :class:`TreeError` listing every
    problem.

    Rules: the top level has ``tree``, ``title``, ``start``, ``nodes`` and ``outcomes``; every
    node has a question, a ``yes`` and a ``no`` that name a node or outcome, and articles;
    every outcome has a known ``kind``, a title, a text and articles; node and outcome ids do
    not clash; every citation resolves; every node and outcome can be reached from the start;
    and no path loops (so every path ends in an outcome).
    """
    tree, problems = _check(raw, source, resolver or convention.resolve)
    if tree is None:
        raise TreeError(problems)
    return tree


def _check(raw: object, source: str, resolver: Resolver) -> tuple[Tree | None, list[Problem]]:
    check = Checker(source, resolver)
    if not isinstance(raw, dict):
        check.add(
            "",
            "",
            "a tree file must be a mapping with tree, title, start, nodes and outcomes, "
            f"not {describe_type(raw)}",
        )
        return None, check.problems
    check.unknown(raw, _TOP_KEYS, "")
    tree_id = check.ident(raw, "tree", "")
    title = check.text(raw, "title", "")
    description = check.text(raw, "description", "", required=False)
    nodes_raw = raw.get("nodes")
    outcomes_raw = raw.get("outcomes")
    if not isinstance(nodes_raw, dict) or not nodes_raw:
        check.add("", "nodes", "must be a non-empty mapping from node id to question")
        nodes_raw = {}
    if not isinstance(outcomes_raw, dict) or not outcomes_raw:
        check.add("", "outcomes", "must be a non-empty mapping from outcome id to outcome")
        outcomes_raw = {}
    for clash in sorted(set(map(str, nodes_raw)) & set(map(str, outcomes_raw))):
        check.add(f"node {clash}", "", f"{clash!r} is both a node and an outcome; rename one")
    targets = set(map(str, nodes_raw)) | set(map(str, outcomes_raw))

    nodes: dict[str, DecisionNode] = {}
    for key, n_raw in nodes_raw.items():
        item = f"node {key}"
        if not isinstance(n_raw, dict):
            check.add(item, "", "must be a mapping with question, yes, no and articles")
            continue
        answers = {(as_answer(k) if isinstance(k, bool) else k): v for k, v in n_raw.items()}
        check.unknown(answers, _NODE_KEYS, item)
        question = check.text(answers, "question", item)
        gotos = {}
        for answer in ANSWERS:
            goto = answers.get(answer)
            if goto is None:
                check.add(item, answer, "missing; name the node or outcome this answer leads to")
            elif not isinstance(goto, str) or goto not in targets:
                check.add(
                    item,
                    answer,
                    f"leads to {goto!r}, which is neither a node nor an outcome; "
                    f"use one of: {', '.join(sorted(targets))}",
                )
            else:
                gotos[answer] = goto
        articles = check.citations(answers, "articles", item)
        help_text = check.text(answers, "help", item, required=False)
        contested = check.text(answers, "contested", item, required=False)
        establishes = _facts(answers.get("establishes"), "establishes", item, check)
        if question and len(gotos) == 2:
            nodes[str(key)] = DecisionNode(
                str(key),
                _plain(question),
                gotos["yes"],
                gotos["no"],
                articles,
                _plain(help_text),
                _plain(contested),
                establishes[0] if establishes else "",
            )

    outcomes: dict[str, Outcome] = {}
    for key, o_raw in outcomes_raw.items():
        item = f"outcome {key}"
        if not isinstance(o_raw, dict):
            check.add(item, "", "must be a mapping with kind, title, text and articles")
            continue
        check.unknown(o_raw, _OUTCOME_KEYS, item)
        kind = o_raw.get("kind")
        if kind not in OUTCOME_KINDS:
            check.add(item, "kind", f"{kind!r} must be one of {', '.join(OUTCOME_KINDS)}")
        o_title = check.text(o_raw, "title", item)
        o_text = check.text(o_raw, "text", item)
        articles = check.citations(o_raw, "articles", item)
        contested = check.text(o_raw, "contested", item, required=False)
        requires = _facts(o_raw.get("requires"), "requires", item, check, many=True)
        if kind in OUTCOME_KINDS and o_title and o_text:
            outcomes[str(key)] = Outcome(
                str(key),
                str(kind),
                _plain(o_title),
                _plain(o_text),
                articles,
                _plain(contested),
                requires,
            )

    start = raw.get("start")
    if start is None:
        check.add("", "start", "missing; name the node with the first question")
    elif start not in nodes_raw:
        check.add(
            "", "start", f"{start!r} is not a node; nodes are {', '.join(map(str, nodes_raw))}"
        )

    if not check.problems:
        _check_graph(check, str(start), nodes, outcomes)
    if check.problems or tree_id is None or title is None:
        return None, check.problems
    tree = Tree(
        tree_id, _plain(title), _plain(description), str(start), nodes, outcomes, path=source
    )
    return tree, []


def _check_graph(
    check: Checker, start: str, nodes: dict[str, DecisionNode], outcomes: dict[str, Outcome]
) -> None:
    """Everything reachable, and no loops: a path that loops never reaches an outcome."""
    reached: set[str] = set()
    stack = [start]
    while stack:
        here = stack.pop()
        if here in reached:
            continue
        reached.add(here)
        if here in nodes:
            stack.extend((nodes[here].yes, nodes[here].no))
    for name in list(nodes) + list(outcomes):
        if name not in reached:
            kind = "node" if name in nodes else "outcome"
            check.add(
                f"{kind} {name}",
                "",
                f"cannot be reached from the start {start!r}; lead an answer to it or remove it",
            )
    # Depth-first search with colours: meeting a node still on the stack means a loop.
    state: dict[str, int] = {}

    def visit(here: str, trail: list[str]) -> None:
        if here in outcomes:
            return
        if state.get(here) == 1:
            loop = trail[trail.index(here) :] + [here]
            check.add(
                f"node {here}",
                "",
                f"loops back on itself ({' -> '.join(loop)}), so that path never ends; "
                "lead one of the answers to an outcome",
            )
            return
        if state.get(here) == 2:
            return
        state[here] = 1
        node = nodes[here]
        for goto in dict.fromkeys((node.yes, node.no)):
            visit(goto, trail + [here])
        state[here] = 2

    visit(start, [])
    if not check.problems:
        _check_requirements(check, start, nodes, outcomes)


def _check_requirements(
    check: Checker, start: str, nodes: dict[str, DecisionNode], outcomes: dict[str, Outcome]
) -> None:
    """Every path to an outcome that ``requires`` a fact answers Yes to a node establishing it."""
    known = {node.establishes for node in nodes.values() if node.establishes}
    for outcome in outcomes.values():
        for fact in outcome.requires:
            if fact not in known:
                check.add(
                    f"outcome {outcome.id}",
                    "requires",
                    f"{fact!r}, but no question establishes it; add 'establishes: {fact}' to "
                    "the question that settles it",
                )
    if check.problems:
        return
    reported: set[tuple[str, str]] = set()

    def visit(here: str, settled: frozenset[str], trail: list[str]) -> None:
        if here in outcomes:
            for fact in outcomes[here].requires:
                if fact not in settled and (here, fact) not in reported:
                    reported.add((here, fact))
                    check.add(
                        f"outcome {here}",
                        "requires",
                        f"{fact!r} but is reached without a Yes to a question that establishes "
                        f"it ({' -> '.join([*trail, here])}); ask that question on this path first",
                    )
            return
        node = nodes[here]
        for answer in ANSWERS:
            now = settled | {node.establishes} if answer == "yes" and node.establishes else settled
            visit(node.goto(answer), now, [*trail, f"{here}={answer}"])

    visit(start, frozenset(), [])


def check_tree(
    path: str | Path, *, resolver: Resolver | None = None
) -> tuple[Tree | None, list[Problem]]:
    """Read and check one tree file; return the tree (None if unusable) and every problem."""
    shown = display_path(path)
    raw, problems = read_yaml(Path(path), shown)
    if problems:
        return None, problems
    return _check(raw, shown, resolver or convention.resolve)


def load_tree(path_or_id: str | Path | None = None) -> Tree:
    """Load and check a decision tree: by id (``"status"``), by path, or the status tree."""
    if path_or_id is None:
        path = default_tree_path()
    else:
        path = Path(path_or_id)
        if not (path.suffix in (".yaml", ".yml") or path.exists()):
            return find_tree(str(path_or_id))
    tree, problems = check_tree(path)
    if tree is None:
        raise TreeError(problems)
    return tree


def find_tree(tree_id: str) -> Tree:
    """A tree by id: ``data/trees/<id>.yaml`` first, else any tree file whose ``tree:`` matches."""
    path = data_file("trees", f"{tree_id}.yaml")
    if path.exists():
        return load_tree(path)
    available = []
    for candidate in tree_files():
        tree = load_tree(candidate)
        if tree.id == tree_id:
            return tree
        available.append(tree.id)
    raise FileNotFoundError(
        f"no decision tree {tree_id!r} in data/trees; available: {', '.join(available) or 'none'}"
    )
