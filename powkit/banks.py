"""Question banks and branching scenarios: the public YAML formats, loading and validation.

Instructors write their own banks (``data/quizzes/*.yaml``) and scenarios
(``data/scenarios/*.yaml``), so the formats are documented in ``docs/authoring.md`` and every
mistake is reported the way an author can fix it: the file, the question or node, the field and
what was expected, e.g.::

    data/quizzes/x.yaml: question pc-07: options: exactly one option must be correct for kind 'single'

Validation collects *all* problems of a set of files at once (``validate_paths``), so an author
fixes a bank in one pass instead of one error per run. Loading never executes anything: files are
read with ``yaml.safe_load`` and every text stays a plain string until a widget escapes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from powkit import convention
from powkit.resources import asset_text, data_file, data_files, display_path, file_version
from powkit.validation import (
    ID_RE,
    Checker,
    Problem,
    Resolver,
    Source,
    ValidationError,
    describe_type,
    open_mapping,
    read_yaml,
    short_repr,
)

__all__ = [
    "OUTCOMES",
    "QUESTION_KINDS",
    "TOPICS_FILE",
    "Bank",
    "BankError",
    "BranchingScenario",
    "Choice",
    "Option",
    "Problem",
    "Question",
    "ScenarioNode",
    "Source",
    "Vocabulary",
    "bank_files",
    "bank_paths",
    "bank_schema",
    "check_vocabulary",
    "default_bank_dir",
    "default_scenario_dir",
    "difficulties",
    "difficulty_label",
    "find_bank",
    "find_scenario",
    "load_bank",
    "load_banks",
    "load_scenario",
    "load_scenarios",
    "scenario_files",
    "topic_label",
    "topics",
    "validate_paths",
    "vocabulary",
]

TOPICS_FILE = "topics.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """The topics (id -> label, in teaching order) and difficulty levels (level -> label)."""

    topics: dict[str, str]
    difficulties: dict[int, str]


def _vocabulary_problems(raw: dict, check: Checker) -> Vocabulary | None:
    found: dict[str, dict] = {"topics": {}, "difficulties": {}}
    for key, id_field in (("topics", "id"), ("difficulties", "level")):
        entries = raw.get(key)
        if not isinstance(entries, list) or not entries:
            check.add("", key, f"must be a non-empty list, not {describe_type(entries)}")
            continue
        for number, entry in enumerate(entries, 1):
            item = f"{key} entry {number}"
            if not isinstance(entry, dict):
                check.add(item, "", f"must be a mapping with {id_field} and label")
                continue
            check.unknown(entry, (id_field, "label"), item)
            label = check.text(entry, "label", item)
            if key == "topics":
                ident = check.ident(entry, "id", item)
            else:
                ident = entry.get("level")
                if type(ident) is not int or ident < 1:
                    check.add(item, "level", f"{short_repr(ident)} must be a whole number from 1")
                    ident = None
            if ident is not None and ident in found[key]:
                check.add(item, id_field, f"{ident!r} is listed twice")
            elif ident is not None and label is not None:
                found[key][ident] = label
    if check.problems:
        return None
    return Vocabulary(found["topics"], found["difficulties"])


def check_vocabulary(path: str | Path | None = None) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and check the topics file (``data/topics.yaml``)."""
    raw, check = open_mapping(
        path if path is not None else data_file(TOPICS_FILE), ("topics", "difficulties")
    )
    if raw is None:
        return None, check.problems
    return _vocabulary_problems(raw, check), check.problems


@lru_cache(maxsize=8)
def _vocabulary_at(path_name: str, _stamp: int) -> Vocabulary:
    found, problems = check_vocabulary(path_name)
    if found is None:
        raise BankError(problems)
    return found


def vocabulary() -> Vocabulary:
    """The kit's topics and difficulty levels, read once per version of ``data/topics.yaml``."""
    return _vocabulary_at(*file_version(data_file(TOPICS_FILE)))


def topics() -> tuple[str, ...]:
    """The topic ids, in teaching order."""
    return tuple(vocabulary().topics)


def topic_label(topic: str) -> str:
    """What learners see for a topic id: ``"public_curiosity"`` -> ``"Public curiosity"``."""
    return vocabulary().topics.get(topic, topic.replace("_", " ").capitalize())


def difficulties() -> tuple[int, ...]:
    """The difficulty levels, lowest first."""
    return tuple(sorted(vocabulary().difficulties))


def difficulty_label(level: int) -> str:
    """``1`` -> ``"basic"``."""
    return vocabulary().difficulties.get(level, str(level))


def __getattr__(name: str) -> object:
    """``TOPICS`` and ``DIFFICULTIES``, read from the data when asked for (compatibility)."""
    if name == "TOPICS":
        return topics()
    if name == "DIFFICULTIES":
        return difficulties()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The kinds of question: one correct option, or one or more.
QUESTION_KINDS: tuple[str, ...] = ("single", "multiple")
OUTCOMES: tuple[str, ...] = ("lawful", "unlawful", "contested")


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Option:
    """One answer a learner can choose, with the feedback that explains it."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """One question: a situation, a prompt, options, and the articles that decide it."""

    id: str
    topic: str
    difficulty: int
    scenario: str
    prompt: str
    kind: str
    options: tuple[Option, ...]
    articles: tuple[str, ...]
    sources: tuple[Source, ...] = ()
    contested: bool = False
    bank: str = ""
    path: str = ""

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        """Indexes (in bank order) of the correct options."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class Bank:
    """A question bank file: an id, a title and its questions in the order written."""

    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    path: str = ""

    def __len__(self) -> int:
        return len(self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"{self.path or self.id}: no question {question_id!r}")

    def topics(self) -> list[str]:
        """The topics this bank covers, in the kit's teaching order."""
        present = {q.topic for q in self.questions}
        return [t for t in topics() if t in present]


@dataclass(frozen=True)
class Choice:
    """A decision offered at a scenario node: where it leads and why."""

    text: str
    goto: str
    feedback: str
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScenarioNode:
    """A step in a scenario. A node has either choices, or an outcome and a debrief (an end)."""

    id: str
    text: str
    choices: tuple[Choice, ...] = ()
    outcome: str = ""
    debrief: str = ""
    articles: tuple[str, ...] = ()

    @property
    def is_end(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class BranchingScenario:
    """A branching scenario: nodes keyed by id, walked from ``start`` to an end node."""

    id: str
    title: str
    start: str
    nodes: dict[str, ScenarioNode]
    sources: tuple[Source, ...] = ()
    description: str = ""
    contested: bool = False
    path: str = ""

    def node(self, node_id: str) -> ScenarioNode:
        return self.nodes[node_id]


_T = TypeVar("_T")


class BankError(ValidationError):
    """A bank or scenario that cannot be used; ``problems`` lists every reason at once."""


def default_bank_dir() -> Path:
    """The folder of question banks read first (``$POWKIT_DATA/quizzes`` if it exists)."""
    return data_file("quizzes")


def default_scenario_dir() -> Path:
    """The folder of scenarios read first (``$POWKIT_DATA/scenarios`` if it exists)."""
    return data_file("scenarios")


def bank_files() -> list[Path]:
    """Every question bank the kit offers: an instructor's (``$POWKIT_DATA``) and the shipped ones."""
    return data_files("quizzes")


def scenario_files() -> list[Path]:
    """Every branching scenario the kit offers, an instructor's first."""
    return data_files("scenarios")


def bank_paths(paths_or_dir: str | Path | Iterable[str | Path]) -> list[Path]:
    """Expand files and directories (a directory means its ``*.yaml`` and ``*.yml``), in order."""
    if isinstance(paths_or_dir, (str, Path)):
        paths_or_dir = [paths_or_dir]
    out: list[Path] = []
    for entry in paths_or_dir:
        p = Path(entry)
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out


# --------------------------------------------------------------------------- checking helpers


_BANK_KEYS = ("bank", "title", "description", "questions")
_QUESTION_KEYS = (
    "id",
    "topic",
    "difficulty",
    "scenario",
    "prompt",
    "kind",
    "options",
    "articles",
    "sources",
    "contested",
)
_OPTION_KEYS = ("text", "correct", "feedback")


def _check_bank(raw: object, check: Checker) -> Bank | None:
    if not isinstance(raw, dict):
        check.add(
            "",
            "",
            f"a bank file must be a mapping with 'bank', 'title' and 'questions', not {describe_type(raw)}",
        )
        return None
    check.unknown(raw, _BANK_KEYS, "")
    bank_id = check.ident(raw, "bank", "")
    title = check.text(raw, "title", "")
    description = check.text(raw, "description", "", required=False) or ""
    questions_raw = raw.get("questions")
    questions: list[Question] = []
    if questions_raw is None:
        check.add("", "questions", "missing; list the questions of the bank")
    elif not isinstance(questions_raw, list):
        check.add(
            "", "questions", f"must be a list of questions, not {describe_type(questions_raw)}"
        )
    elif not questions_raw:
        check.add("", "questions", "is empty; a bank needs at least one question")
    else:
        seen: dict[str, int] = {}
        for number, q_raw in enumerate(questions_raw, 1):
            q = _check_question(q_raw, number, check, bank_id or "")
            if q is None:
                continue
            if q.id in seen:
                check.add(
                    f"question {q.id}",
                    "id",
                    f"{q.id!r} is used twice in this bank (questions {seen[q.id]} and {number}); ids must be unique",
                )
                continue
            seen[q.id] = number
            questions.append(q)
    count = len(questions_raw) if isinstance(questions_raw, list) else -1
    if check.problems or bank_id is None or title is None or len(questions) != count:
        return None
    return Bank(
        id=bank_id,
        title=title,
        questions=tuple(questions),
        description=description,
        path=check.path,
    )


def _either(values: Iterable[object]) -> str:
    """[1, 2, 3] -> '1, 2 or 3'."""
    words = [str(v) for v in values]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def _question_item(raw: object, number: int) -> str:
    """How problems name a question: its id if it has a usable one, else its position."""
    if isinstance(raw, dict):
        qid = raw.get("id")
        if isinstance(qid, (str, int)) and not isinstance(qid, bool) and ID_RE.match(str(qid)):
            return f"question {qid}"
    return f"question #{number}"


def _check_question(raw: object, number: int, check: Checker, bank_id: str) -> Question | None:
    item = _question_item(raw, number)
    if not isinstance(raw, dict):
        check.add(
            item,
            "",
            f"must be a mapping with {', '.join(_QUESTION_KEYS[:8])}, not {describe_type(raw)}",
        )
        return None
    before = len(check.problems)
    check.unknown(raw, _QUESTION_KEYS, item)
    qid = check.ident(raw, "id", item)

    topic = raw.get("topic")
    if topic is None:
        check.add(item, "topic", f"missing; one of {' | '.join(topics())}")
    elif topic not in topics():
        check.add(
            item, "topic", f"{short_repr(topic)} is not a topic; use one of {' | '.join(topics())}"
        )

    difficulty = raw.get("difficulty")
    if difficulty is None:
        check.add(item, "difficulty", f"missing; write {_either(difficulties())}")
    elif type(difficulty) is not int or difficulty not in difficulties():
        check.add(item, "difficulty", f"{short_repr(difficulty)} must be {_either(difficulties())}")

    scenario = check.text(raw, "scenario", item)
    prompt = check.text(raw, "prompt", item)

    kind = raw.get("kind")
    if kind is None:
        check.add(
            item,
            "kind",
            "missing; write single (exactly one correct) or multiple (one or more correct)",
        )
    elif kind not in QUESTION_KINDS:
        check.add(item, "kind", f"{short_repr(kind)} must be single or multiple")
        kind = None

    options = _check_options(raw, item, kind, check)
    articles = check.citations(raw, "articles", item)
    sources = check.sources(raw, item)
    contested = check.boolean(raw, "contested", item, default=False)

    if len(check.problems) > before:
        return None
    return Question(
        id=str(qid),
        topic=str(topic),
        difficulty=difficulty if isinstance(difficulty, int) else 0,
        scenario=str(scenario),
        prompt=str(prompt),
        kind=str(kind),
        options=options,
        articles=articles,
        sources=sources,
        contested=bool(contested),
        bank=bank_id,
        path=check.path,
    )


def _check_options(raw: dict, item: str, kind: str | None, check: Checker) -> tuple[Option, ...]:
    value = raw.get("options")
    if value is None:
        check.add(
            item,
            "options",
            "missing; list at least two options, each with text, correct and feedback",
        )
        return ()
    if not isinstance(value, list):
        check.add(item, "options", f"must be a list of options, not {describe_type(value)}")
        return ()
    if len(value) < 2:
        check.add(item, "options", f"has {len(value)} option(s); a question needs at least two")
    out: list[Option] = []
    texts: dict[str, int] = {}
    complete = True
    for i, o_raw in enumerate(value, 1):
        where = f"option {i}: "
        if not isinstance(o_raw, dict):
            check.add(
                item,
                f"option {i}",
                f"must be a mapping with text, correct and feedback, not {describe_type(o_raw)}",
            )
            complete = False
            continue
        check.unknown(o_raw, _OPTION_KEYS, item, where)
        text = check.text(o_raw, "text", item, where)
        correct = check.boolean(o_raw, "correct", item, where)
        feedback = check.text(o_raw, "feedback", item, where)
        if text is not None and text in texts:
            check.add(
                item,
                f"option {i}: text",
                f"repeats option {texts[text]}; each option must say something different",
            )
        if text is not None:
            texts.setdefault(text, i)
        if text is None or correct is None or feedback is None:
            complete = False
            continue
        out.append(Option(text=text, correct=correct, feedback=feedback))
    if complete and kind and len(out) >= 2:
        n_correct = sum(o.correct for o in out)
        if kind == "single" and n_correct != 1:
            check.add(
                item,
                "options",
                f"exactly one option must be correct for kind 'single' (found {n_correct})",
            )
        if kind == "multiple" and n_correct < 1:
            check.add(
                item, "options", "at least one option must be correct for kind 'multiple' (found 0)"
            )
    return tuple(out)


# --------------------------------------------------------------------------- scenarios

_SCENARIO_KEYS = ("scenario", "title", "description", "start", "sources", "contested", "nodes")
_CHOICE_NODE_KEYS = ("text", "choices")
_END_NODE_KEYS = ("text", "outcome", "debrief", "articles")
_CHOICE_KEYS = ("text", "goto", "feedback", "articles")


def _check_scenario(raw: object, check: Checker) -> BranchingScenario | None:
    if not isinstance(raw, dict):
        check.add(
            "",
            "",
            f"a scenario file must be a mapping with 'scenario', 'title', 'start' and 'nodes', not {describe_type(raw)}",
        )
        return None
    check.unknown(raw, _SCENARIO_KEYS, "")
    scenario_id = check.ident(raw, "scenario", "")
    title = check.text(raw, "title", "")
    description = check.text(raw, "description", "", required=False) or ""
    sources = check.sources(raw, "")
    contested = check.boolean(raw, "contested", "", default=False)
    start = raw.get("start")
    nodes_raw = raw.get("nodes")
    nodes: dict[str, ScenarioNode] = {}
    if nodes_raw is None:
        check.add("", "nodes", "missing; give the nodes as a mapping from node id to node")
        nodes_raw = {}
    elif not isinstance(nodes_raw, dict) or not nodes_raw:
        check.add(
            "",
            "nodes",
            f"must be a non-empty mapping from node id to node, not {describe_type(nodes_raw)}",
        )
        nodes_raw = {}
    for key, n_raw in nodes_raw.items():
        node_id = str(key)
        item = f"node {node_id}"
        if isinstance(key, bool) or not ID_RE.match(node_id):
            check.add(
                item,
                "",
                f"{node_id!r} is not a valid node id; use lower-case letters, digits, '-' and '_'",
            )
            continue
        node = _check_node(n_raw, node_id, check)
        if node is not None:
            nodes[node_id] = node
    names = ", ".join(str(k) for k in nodes_raw) or "none"
    if start is None:
        check.add("", "start", "missing; name the node where the scenario begins")
    elif not isinstance(start, str) or start not in nodes_raw:
        check.add("", "start", f"{short_repr(start)} is not a node; nodes are {names}")
        start = None
    # Every goto must name a node.
    for node_id, n_raw in nodes_raw.items():
        if not isinstance(n_raw, dict) or not isinstance(n_raw.get("choices"), list):
            continue
        for i, c_raw in enumerate(n_raw["choices"], 1):
            if isinstance(c_raw, dict) and "goto" in c_raw:
                goto = c_raw["goto"]
                if not isinstance(goto, str) or goto not in nodes_raw:
                    check.add(
                        f"node {node_id}",
                        f"choice {i}: goto",
                        f"{short_repr(goto)} is not a node; nodes are {names}",
                    )
    if start is not None and not check.problems:
        _check_graph(start, nodes, check)
    if check.problems:
        return None
    return BranchingScenario(
        id=str(scenario_id),
        title=str(title),
        start=str(start),
        nodes=nodes,
        sources=sources,
        description=description,
        contested=bool(contested),
        path=check.path,
    )


def _check_node(raw: object, node_id: str, check: Checker) -> ScenarioNode | None:
    item = f"node {node_id}"
    if not isinstance(raw, dict):
        check.add(
            item,
            "",
            f"must be a mapping with text and either choices or outcome and debrief, not {describe_type(raw)}",
        )
        return None
    before = len(check.problems)
    text = check.text(raw, "text", item)
    if "choices" in raw:
        check.unknown(
            raw, _CHOICE_NODE_KEYS + ("outcome", "debrief"), item
        )  # those two get their own message
        for key in ("outcome", "debrief"):
            if key in raw:
                check.add(
                    item, key, "a node with choices is not an end; remove it, or remove the choices"
                )
        value = raw["choices"]
        choices: list[Choice] = []
        if not isinstance(value, list) or not value:
            check.add(
                item, "choices", f"must be a non-empty list of choices, not {describe_type(value)}"
            )
        else:
            for i, c_raw in enumerate(value, 1):
                where = f"choice {i}: "
                if not isinstance(c_raw, dict):
                    check.add(
                        item,
                        f"choice {i}",
                        f"must be a mapping with text, goto and feedback, not {describe_type(c_raw)}",
                    )
                    continue
                check.unknown(c_raw, _CHOICE_KEYS, item, where)
                c_text = check.text(c_raw, "text", item, where)
                if "goto" not in c_raw:
                    check.add(item, f"{where}goto", "missing; name the node this choice leads to")
                feedback = check.text(c_raw, "feedback", item, where)
                articles = check.citations(c_raw, "articles", item, where, required=False)
                goto = c_raw.get("goto")
                if c_text is not None and feedback is not None and isinstance(goto, str):
                    choices.append(
                        Choice(text=c_text, goto=goto, feedback=feedback, articles=articles)
                    )
        if len(check.problems) > before:
            return None
        return ScenarioNode(id=node_id, text=str(text), choices=tuple(choices))
    check.unknown(raw, _END_NODE_KEYS, item)
    outcome = raw.get("outcome")
    if outcome is None:
        check.add(
            item,
            "outcome",
            f"missing; a node without choices is an end and needs an outcome: {' | '.join(OUTCOMES)}",
        )
    elif outcome not in OUTCOMES:
        check.add(item, "outcome", f"{short_repr(outcome)} must be one of {' | '.join(OUTCOMES)}")
    debrief = check.text(raw, "debrief", item)
    articles = check.citations(raw, "articles", item)
    if len(check.problems) > before:
        return None
    return ScenarioNode(
        id=node_id, text=str(text), outcome=str(outcome), debrief=str(debrief), articles=articles
    )


def _check_graph(start: str, nodes: dict[str, ScenarioNode], check: Checker) -> None:
    """Every node reachable from the start, and from every node some end reachable."""
    reachable = {start}
    stack = [start]
    while stack:
        for choice in nodes[stack.pop()].choices:
            if choice.goto not in reachable:
                reachable.add(choice.goto)
                stack.append(choice.goto)
    for node_id in nodes:
        if node_id not in reachable:
            check.add(
                f"node {node_id}",
                "",
                f"cannot be reached from the start node {start!r}; add a choice that leads here or remove it",
            )
    # Nodes that can reach an end: grow backwards from the ends.
    finishing = {n for n, node in nodes.items() if node.is_end}
    changed = True
    while changed:
        changed = False
        for node_id, node in nodes.items():
            if node_id not in finishing and any(c.goto in finishing for c in node.choices):
                finishing.add(node_id)
                changed = True
    for node_id in nodes:
        if node_id in reachable and node_id not in finishing:
            check.add(
                f"node {node_id}",
                "choices",
                "no path from here reaches an end node (the choices loop); give one choice that leads towards an end",
            )


# --------------------------------------------------------------------------- public loading


def _shown(path: str | Path) -> str:
    return display_path(path)


def _kind_of(raw: object, path: Path) -> str:
    if isinstance(raw, dict):
        if "scenario" in raw or "nodes" in raw:
            return "scenario"
        if "bank" in raw or "questions" in raw:
            return "bank"
    return "scenario" if path.parent.name == "scenarios" else "bank"


def _check_file(
    path: Path, resolver: Resolver | None, cache: dict
) -> tuple[Bank | BranchingScenario | None, list[Problem]]:
    shown = _shown(path)
    raw, problems = read_yaml(path, shown)
    if problems:
        return None, problems
    check = Checker(shown, resolver or convention.resolve, cache)
    if _kind_of(raw, path) == "scenario":
        result: Bank | BranchingScenario | None = _check_scenario(raw, check)
    else:
        result = _check_bank(raw, check)
    return result, check.problems


def _load_one(path: str | Path, resolver: Resolver | None, check_fn, kind: str):
    """Read and check one file with ``check_fn``; raise :class:`BankError` listing every problem."""
    path = Path(path)
    raw, problems = read_yaml(path, _shown(path))
    if problems:
        raise BankError(problems)
    check = Checker(_shown(path), resolver or convention.resolve, {})
    result = check_fn(raw, check)
    if check.problems or result is None:
        raise BankError(check.problems or [Problem(_shown(path), "", "", f"not a valid {kind}")])
    return result


def load_bank(path: str | Path, *, resolver: Resolver | None = None) -> Bank:
    """Load and validate one bank; raise :class:`BankError` listing every problem in it."""
    return _load_one(path, resolver, _check_bank, "bank")


def _load_many(
    paths_or_dir: str | Path | Iterable[str | Path],
    check_fn: Callable[[object, Checker], _T | None],
    resolver: Resolver | None,
) -> tuple[list[_T], list[Problem]]:
    """Read and check several files of one format, sharing the citation cache between them."""
    problems: list[Problem] = []
    found: list[_T] = []
    cache: dict[str, str | None] = {}
    for path in bank_paths(paths_or_dir):
        shown = _shown(path)
        raw, read_problems = read_yaml(path, shown)
        if read_problems:
            problems.extend(read_problems)
            continue
        check = Checker(shown, resolver or convention.resolve, cache)
        loaded = check_fn(raw, check)
        problems.extend(check.problems)
        if loaded is not None:
            found.append(loaded)
    return found, problems


def load_banks(
    paths_or_dir: str | Path | Iterable[str | Path] | None = None,
    *,
    resolver: Resolver | None = None,
) -> list[Bank]:
    """Load several banks (files or directories; default: every bank the kit offers), checking
    ids across them. Raises :class:`BankError` with the problems of all files together.
    """
    found, problems = _load_many(
        bank_files() if paths_or_dir is None else paths_or_dir, _check_bank, resolver
    )
    problems.extend(_cross_file_problems(found, []))
    if problems:
        raise BankError(problems)
    return found


def load_scenario(path: str | Path, *, resolver: Resolver | None = None) -> BranchingScenario:
    """Load and validate one branching scenario; raise :class:`BankError` listing every problem."""
    return _load_one(path, resolver, _check_scenario, "scenario")


def load_scenarios(
    paths_or_dir: str | Path | Iterable[str | Path] | None = None,
    *,
    resolver: Resolver | None = None,
) -> list[BranchingScenario]:
    """Load several scenarios (default: every scenario the kit offers); raise
    :class:`BankError` for any problem."""
    found, problems = _load_many(
        scenario_files() if paths_or_dir is None else paths_or_dir, _check_scenario, resolver
    )
    problems.extend(_cross_file_problems([], found))
    if problems:
        raise BankError(problems)
    return found


def _cross_file_problems(banks: list[Bank], scenarios: list[BranchingScenario]) -> list[Problem]:
    """Ids that must be unique across files: question ids, bank ids, scenario ids."""
    problems: list[Problem] = []
    first_q: dict[str, Question] = {}
    first_bank: dict[str, Bank] = {}
    for bank in banks:
        if bank.id in first_bank:
            problems.append(
                Problem(
                    bank.path,
                    "",
                    "bank",
                    f"{bank.id!r} is already the id of {first_bank[bank.id].path}; bank ids must be unique",
                )
            )
        else:
            first_bank[bank.id] = bank
        for q in bank.questions:
            if q.id in first_q:
                other = first_q[q.id]
                problems.append(
                    Problem(
                        bank.path,
                        f"question {q.id}",
                        "id",
                        f"{q.id!r} is already used in {other.path}; question ids must be unique across all banks",
                    )
                )
            else:
                first_q[q.id] = q
    first_s: dict[str, BranchingScenario] = {}
    for scenario in scenarios:
        if scenario.id in first_s:
            problems.append(
                Problem(
                    scenario.path,
                    "",
                    "scenario",
                    f"{scenario.id!r} is already the id of {first_s[scenario.id].path}; scenario ids must be unique",
                )
            )
        else:
            first_s[scenario.id] = scenario
    return problems


@dataclass
class Validation:
    """What ``validate_paths`` found: the problems, and what loaded cleanly."""

    problems: list[Problem] = field(default_factory=list)
    banks: list[Bank] = field(default_factory=list)
    scenarios: list[BranchingScenario] = field(default_factory=list)


def validate(paths: Iterable[str | Path], *, resolver: Resolver | None = None) -> Validation:
    """Check bank and scenario files (directories mean their ``*.yaml``), collecting every problem."""
    result = Validation()
    cache: dict[str, str | None] = {}
    files = bank_paths(list(paths))
    for path in files:
        loaded, problems = _check_file(path, resolver, cache)
        result.problems.extend(problems)
        if isinstance(loaded, Bank):
            result.banks.append(loaded)
        elif isinstance(loaded, BranchingScenario):
            result.scenarios.append(loaded)
    result.problems.extend(_cross_file_problems(result.banks, result.scenarios))
    return result


def validate_paths(
    paths: Iterable[str | Path], *, resolver: Resolver | None = None
) -> list[Problem]:
    """Every problem in a set of bank and scenario files, in file order; empty when all is well."""
    return validate(paths, resolver=resolver).problems


def _find(kind: str, name: str, folder: str, files: list[Path], load: Callable[[Path], object]):
    """A bank or scenario by id: the file ``<id>.yaml`` first, else any file whose id matches."""
    path = data_file(folder, f"{name}.yaml")
    if path.exists():
        return load(path)
    available = []
    for candidate in files:
        loaded = load(candidate)
        if getattr(loaded, "id", None) == name:
            return loaded
        available.append(str(getattr(loaded, "id", candidate.stem)))
    raise FileNotFoundError(
        f"no {kind} {name!r} in data/{folder}; available: {', '.join(available) or 'none'}"
    )


def find_bank(name: str) -> Bank:
    """A bank by id, e.g. ``find_bank("public-curiosity")`` (an instructor's copy first)."""
    return _find("question bank", name, "quizzes", bank_files(), load_bank)


def find_scenario(scenario_id: str) -> BranchingScenario:
    """A scenario by id, e.g. ``find_scenario("press-officer")``."""
    return _find("scenario", scenario_id, "scenarios", scenario_files(), load_scenario)


def bank_schema() -> dict:
    """The JSON Schema of the bank format, with the kit's current topics and levels filled in.

    The shipped schema (``powkit/assets/bank.schema.json``) leaves topics open, because they are
    data (``data/topics.yaml``); ``powkit schema bank`` prints this filled-in copy for an editor.
    """
    schema = json.loads(asset_text("bank.schema.json"))
    question = schema["$defs"]["question"]["properties"]
    question["topic"] = {"enum": list(topics()), "description": question["topic"]["description"]}
    question["difficulty"] = {
        "enum": list(difficulties()),
        "description": question["difficulty"]["description"],
    }
    return schema
