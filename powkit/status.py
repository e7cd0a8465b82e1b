"""Who is a prisoner of war? A decision tree over GCIII 4 and 5 and API 43-47, and its widget.

Why a tree: Article 4 is a list of categories, each with its own conditions, and students
learn it best by walking a concrete person through it one question at a time and seeing which
words of the treaty decide the case. The tree itself is data (``data/status-tree.yaml``), so
that a lawyer can correct a question without touching code; this module checks that data
strictly on load, because a broken tree fails silently in class: a question that leads
nowhere, a category no path reaches, or a loop that never ends.

In a notebook::

    from powkit.status import StatusTree
    StatusTree()

The widget uses only standard ipywidgets controls (toggle buttons for Yes/No, buttons for
Next, Back and Start again), so it works from the keyboard: Tab reaches each button, Space or
Enter presses it. Every text from the data file is ``html.escape``d; treaty text comes from
:func:`powkit.convention.passage_html`.

Python API, for tests and the browser harness: ``select("yes")``, ``next()``, ``answer("no")``
(select and next), ``back()``, ``restart()``, ``walk([...])``, and the read-only ``current``,
``path`` and ``outcome``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import yaml

from powkit import convention
from powkit.resources import data_file

__all__ = [
    "ANSWERS",
    "OUTCOME_KINDS",
    "Node",
    "Outcome",
    "StatusTree",
    "Tree",
    "TreeError",
    "default_tree_path",
    "load_tree",
    "parse_tree",
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
_NODE_KEYS = ("question", "yes", "no", "articles", "help", "contested")
_OUTCOME_KEYS = ("kind", "title", "text", "articles", "contested")


class TreeError(ValueError):
    """A decision-tree file with problems; ``problems`` lists each one as a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Node:
    """One yes/no question, where each answer leads, and the articles it tests."""

    id: str
    question: str
    yes: str
    no: str
    articles: tuple[str, ...]
    help: str = ""
    contested: str = ""

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
    nodes: dict[str, Node]
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
            answer = _answer(answer)
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


def _answer(value: object) -> str:
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
    """The status tree file (``status-tree.yaml``; an instructor's copy in ``$POWKIT_DATA`` first)."""
    return data_file("status-tree.yaml")


# --------------------------------------------------------------------------- validation


def _text(raw: dict, key: str, where: str, problems: list[str], required: bool = True) -> str:
    value = raw.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: '{key}' is missing; add it as a line of text")
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be non-empty text, not {value!r}")
        return ""
    return " ".join(value.split())


def _citations(raw: dict, where: str, problems: list[str]) -> tuple[str, ...]:
    value = raw.get("articles")
    if value is None:
        problems.append(
            f"{where}: 'articles' is missing; list the provisions it rests on, e.g. [\"GCIII 4A(1)\"]"
        )
        return ()
    if not isinstance(value, list) or not value or not all(isinstance(c, str) for c in value):
        problems.append(
            f"{where}: 'articles' must be a non-empty list of citations such as \"GCIII 5(2)\""
        )
        return ()
    out = []
    for citation in value:
        try:
            convention.resolve(citation)
        except convention.CitationError as error:
            problems.append(
                f"{where}: citation {citation!r} does not resolve ({error}); correct it"
            )
            continue
        out.append(citation)
    return tuple(out)


def _unknown(raw: dict, allowed: tuple[str, ...], where: str, problems: list[str]) -> None:
    for key in raw:
        name = _answer(key) if isinstance(key, bool) else key
        if name not in allowed:
            problems.append(f"{where}: unknown key {key!r}; allowed keys are {', '.join(allowed)}")


def parse_tree(raw: object, source: str = "<tree>") -> Tree:
    """Check a decision tree read from YAML and build it; raise :class:`TreeError` listing every problem.

    Rules: the top level has ``tree``, ``title``, ``start``, ``nodes`` and ``outcomes``; every
    node has a question, a ``yes`` and a ``no`` that name a node or outcome, and articles;
    every outcome has a known ``kind``, a title, a text and articles; node and outcome ids do
    not clash; every citation resolves; every node and outcome can be reached from the start;
    and no path loops (so every path ends in an outcome).
    """
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise TreeError(
            [f"{source}: a tree file must be a mapping with tree, title, start, nodes and outcomes"]
        )
    _unknown(raw, _TOP_KEYS, source, problems)
    tree_id = _text(raw, "tree", source, problems)
    title = _text(raw, "title", source, problems)
    description = _text(raw, "description", source, problems, required=False)
    nodes_raw = raw.get("nodes")
    outcomes_raw = raw.get("outcomes")
    if not isinstance(nodes_raw, dict) or not nodes_raw:
        problems.append(f"{source}: 'nodes' must be a non-empty mapping from node id to question")
        nodes_raw = {}
    if not isinstance(outcomes_raw, dict) or not outcomes_raw:
        problems.append(
            f"{source}: 'outcomes' must be a non-empty mapping from outcome id to outcome"
        )
        outcomes_raw = {}
    for clash in sorted(set(map(str, nodes_raw)) & set(map(str, outcomes_raw))):
        problems.append(f"{source}: {clash!r} is both a node and an outcome; rename one of them")
    targets = set(map(str, nodes_raw)) | set(map(str, outcomes_raw))

    nodes: dict[str, Node] = {}
    for key, n_raw in nodes_raw.items():
        where = f"{source}: node {key}"
        if not isinstance(n_raw, dict):
            problems.append(f"{where}: must be a mapping with question, yes, no and articles")
            continue
        _unknown(n_raw, _NODE_KEYS, where, problems)
        answers = {(_answer(k) if isinstance(k, bool) else k): v for k, v in n_raw.items()}
        question = _text(answers, "question", where, problems)
        gotos = {}
        for answer in ANSWERS:
            goto = answers.get(answer)
            if goto is None:
                problems.append(
                    f"{where}: '{answer}' is missing; name the node or outcome this answer leads to"
                )
            elif not isinstance(goto, str) or goto not in targets:
                problems.append(
                    f"{where}: '{answer}' leads to {goto!r}, which is neither a node nor an outcome; "
                    f"use one of: {', '.join(sorted(targets))}"
                )
            else:
                gotos[answer] = goto
        articles = _citations(n_raw, where, problems)
        help_text = _text(n_raw, "help", where, problems, required=False)
        contested = _text(n_raw, "contested", where, problems, required=False)
        if question and len(gotos) == 2:
            nodes[str(key)] = Node(
                str(key), question, gotos["yes"], gotos["no"], articles, help_text, contested
            )

    outcomes: dict[str, Outcome] = {}
    for key, o_raw in outcomes_raw.items():
        where = f"{source}: outcome {key}"
        if not isinstance(o_raw, dict):
            problems.append(f"{where}: must be a mapping with kind, title, text and articles")
            continue
        _unknown(o_raw, _OUTCOME_KEYS, where, problems)
        kind = o_raw.get("kind")
        if kind not in OUTCOME_KINDS:
            problems.append(f"{where}: kind {kind!r} must be one of {', '.join(OUTCOME_KINDS)}")
        o_title = _text(o_raw, "title", where, problems)
        o_text = _text(o_raw, "text", where, problems)
        articles = _citations(o_raw, where, problems)
        contested = _text(o_raw, "contested", where, problems, required=False)
        if kind in OUTCOME_KINDS and o_title and o_text:
            outcomes[str(key)] = Outcome(str(key), kind, o_title, o_text, articles, contested)

    start = raw.get("start")
    if start is None:
        problems.append(f"{source}: 'start' is missing; name the node with the first question")
    elif start not in nodes_raw:
        problems.append(
            f"{source}: start {start!r} is not a node; nodes are {', '.join(map(str, nodes_raw))}"
        )

    if not problems:
        problems.extend(_graph_problems(source, start, nodes, outcomes))
    if problems:
        raise TreeError(problems)
    return Tree(tree_id, title, description, start, nodes, outcomes, path=source)


def _graph_problems(
    source: str, start: str, nodes: dict[str, Node], outcomes: dict[str, Outcome]
) -> list[str]:
    """Everything reachable, and no loops: a path that loops never reaches an outcome."""
    problems: list[str] = []
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
            problems.append(
                f"{source}: {kind} {name} cannot be reached from the start {start!r}; "
                "lead an answer to it or remove it"
            )
    # Depth-first search with colours: meeting a node still on the stack means a loop.
    state: dict[str, int] = {}

    def visit(here: str, trail: list[str]) -> None:
        if here in outcomes:
            return
        if state.get(here) == 1:
            loop = trail[trail.index(here) :] + [here]
            problems.append(
                f"{source}: node {here} loops back on itself ({' -> '.join(loop)}), so that path never "
                "ends; lead one of the answers to an outcome"
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
    return problems


def load_tree(path: str | Path | None = None) -> Tree:
    """Load and check a decision-tree file (default ``data/status-tree.yaml``)."""
    path = Path(path) if path is not None else default_tree_path()
    try:
        with open(path, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise TreeError([f"{path}: not valid YAML ({error})"]) from None
    return parse_tree(raw, str(path))


# --------------------------------------------------------------------------- widget

_CSS = """<style>
.powkit-status .powkit-status-path ol { margin: 0.2em 0 0.2em 1.2em; padding: 0; }
.powkit-status .powkit-status-outcome { border-left: 4px solid #1f6feb; padding-left: 0.8em; }
.powkit-status .powkit-contested { border-left: 4px solid #b58900; padding-left: 0.6em; }
.powkit-status .widget-toggle-buttons .widget-toggle-button { width: 6em; }
</style>"""


class StatusTree(widgets.VBox):
    """Walk one person through Article 4, a yes/no question at a time.

    The panel shows the question, the provisions it tests (exact text), the path taken so far
    and, at the end, the outcome with the exact words of the deciding provisions. **Back**
    undoes the last answer; **Start again** clears the path.
    """

    def __init__(self, tree: Tree | str | Path | None = None):
        self.tree = tree if isinstance(tree, Tree) else load_tree(tree)
        self._steps: list[tuple[str, str]] = []
        self._here = self.tree.start

        self._title = widgets.HTML(
            f"<h3>{html.escape(self.tree.title)}</h3>"
            + (f"<p>{html.escape(self.tree.description)}</p>" if self.tree.description else "")
        )
        self._question = widgets.HTML()
        self._question.add_class("powkit-status-question")
        self._choice = widgets.ToggleButtons(
            options=[("Yes", "yes"), ("No", "no")],
            value=None,
            tooltips=["Answer yes to this question", "Answer no to this question"],
            description="",
        )
        self._choice.add_class("powkit-status-answer")
        self._next = widgets.Button(
            description="Next",
            tooltip="Go on with the answer you chose",
            button_style="primary",
            disabled=True,
        )
        self._next.add_class("powkit-status-next")
        self._back = widgets.Button(
            description="Back", tooltip="Undo the last answer", disabled=True
        )
        self._back.add_class("powkit-status-back")
        self._restart = widgets.Button(
            description="Start again", tooltip="Clear the path and start again"
        )
        self._restart.add_class("powkit-status-restart")
        self._articles = widgets.HTML()
        self._articles.add_class("powkit-status-articles")
        self._path_html = widgets.HTML()
        self._path_html.add_class("powkit-status-path")
        self._outcome_html = widgets.HTML()
        self._outcome_html.add_class("powkit-status-outcome")

        self._choice.observe(
            lambda change: setattr(self._next, "disabled", change["new"] is None), names="value"
        )
        self._next.on_click(lambda _: self.next())
        self._back.on_click(lambda _: self.back())
        self._restart.on_click(lambda _: self.restart())

        super().__init__(
            [
                widgets.HTML(_CSS),
                self._title,
                self._path_html,
                self._question,
                self._choice,
                widgets.HBox([self._back, self._next, self._restart]),
                self._outcome_html,
                self._articles,
            ]
        )
        self.add_class("powkit-status")
        self._show()

    # -- public API --------------------------------------------------------------------------

    @property
    def current(self) -> str:
        """The id of the node (question) or outcome the walk has reached."""
        return self._here

    @property
    def path(self) -> list[tuple[str, str]]:
        """The answers so far, as (node id, 'yes'|'no') pairs."""
        return list(self._steps)

    @property
    def outcome(self) -> Outcome | None:
        """The outcome reached, or None while questions remain."""
        return self.tree.outcomes.get(self._here)

    def select(self, answer: str) -> None:
        """Choose Yes or No for the current question (as clicking the toggle does)."""
        if self.outcome is not None:
            raise ValueError(f"the walk has ended at {self._here!r}; press Back or Start again")
        self._choice.value = _answer(answer)

    def next(self) -> None:
        """Go on with the chosen answer; does nothing if none is chosen."""
        if self.outcome is not None or self._choice.value is None:
            return
        answer = self._choice.value
        self._steps.append((self._here, answer))
        self._here = self.tree.nodes[self._here].goto(answer)
        self._show()

    def answer(self, answer: str) -> None:
        """Select an answer and go on, in one step."""
        self.select(answer)
        self.next()

    def walk(self, answers: Iterable[str]) -> Outcome | None:
        """Answer several questions in turn from where the walk is; returns the outcome if reached."""
        for a in answers:
            self.answer(a)
        return self.outcome

    def back(self) -> None:
        """Undo the last answer."""
        if not self._steps:
            return
        self._here, previous = self._steps.pop()
        self._show(selected=previous)

    def restart(self) -> None:
        """Clear the path and return to the first question."""
        self._steps = []
        self._here = self.tree.start
        self._show()

    # -- rendering ---------------------------------------------------------------------------

    def _show(self, selected: str | None = None) -> None:
        self._path_html.value = self._path_markup()
        self._back.disabled = not self._steps
        outcome = self.outcome
        if outcome is None:
            node = self.tree.nodes[self._here]
            number = len(self._steps) + 1
            extra = f"<p><small>{html.escape(node.help)}</small></p>" if node.help else ""
            if node.contested:
                extra += f'<p class="powkit-contested"><strong>Contested:</strong> {html.escape(node.contested)}</p>'
            self._question.value = (
                f'<p role="heading" aria-level="4"><strong>Question {number}.</strong> '
                f"{html.escape(node.question)}</p>{extra}"
            )
            self._choice.value = selected
            self._choice.disabled = False
            self._next.disabled = selected is None
            self._outcome_html.value = ""
            self._articles.value = (
                "<details><summary>The provisions this question tests</summary>"
                + "".join(convention.passage_html(c) for c in node.articles)
                + "</details>"
            )
            return
        self._question.value = ""
        self._choice.value = None
        self._choice.disabled = True
        self._next.disabled = True
        contested = (
            f'<p class="powkit-contested"><strong>Contested:</strong> {html.escape(outcome.contested)}</p>'
            if outcome.contested
            else ""
        )
        self._outcome_html.value = (
            f'<div role="status"><p><strong>Outcome: {html.escape(outcome.label)}.</strong></p>'
            f"<h4>{html.escape(outcome.title)}</h4><p>{html.escape(outcome.text)}</p>{contested}</div>"
        )
        self._articles.value = (
            "<p><strong>The deciding provisions, word for word:</strong></p>"
            + "".join(convention.passage_html(c) for c in outcome.articles)
        )

    def _path_markup(self) -> str:
        if not self._steps:
            return "<p><small>Path: (no answers yet)</small></p>"
        items = "".join(
            f"<li>{html.escape(self.tree.nodes[n].question)} <strong>{a.capitalize()}</strong> "
            f"<small>({html.escape(', '.join(self.tree.nodes[n].articles))})</small></li>"
            for n, a in self._steps
        )
        return f"<details open><summary>Path taken ({len(self._steps)} answers)</summary><ol>{items}</ol></details>"
