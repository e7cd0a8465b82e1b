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

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "DIFFICULTIES",
    "KINDS",
    "OUTCOMES",
    "TOPICS",
    "Bank",
    "BankError",
    "Choice",
    "Option",
    "Problem",
    "Question",
    "Scenario",
    "ScenarioNode",
    "Source",
    "bank_paths",
    "default_bank_dir",
    "default_scenario_dir",
    "load_bank",
    "load_banks",
    "load_scenario",
    "load_scenarios",
    "validate_paths",
]

#: The eight topics of the kit, in teaching order.
TOPICS: tuple[str, ...] = (
    "status",
    "public_curiosity",
    "interrogation",
    "conditions",
    "discipline_and_trials",
    "termination",
    "information_and_supervision",
    "enforcement",
    "non_international_conflicts",
    "surrender_missing_dead",
)
KINDS: tuple[str, ...] = ("single", "multiple")
DIFFICULTIES: tuple[int, ...] = (1, 2, 3)
OUTCOMES: tuple[str, ...] = ("lawful", "unlawful", "contested")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2})?$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class Source:
    """Where a fact about a real event comes from; a scenario based on an event cites one."""

    title: str
    publisher: str
    url: str
    date: str  # ISO YYYY-MM-DD
    note: str = ""


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
        return [t for t in TOPICS if t in present]


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
class Scenario:
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank or scenario file, worded so that its author can fix it."""

    path: str
    item: str  # "question pc-07", "node briefing", "bank", "" for the whole file
    field: str  # "options", "option 2: correct", "" when the item itself is the problem
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.path, self.item, self.field, self.message) if part)


class BankError(ValueError):
    """A bank or scenario that cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid bank")


# --------------------------------------------------------------------------- defaults


def default_bank_dir() -> Path:
    from powkit.convention import data_dir

    return data_dir() / "quizzes"


def default_scenario_dir() -> Path:
    from powkit.convention import data_dir

    return data_dir() / "scenarios"


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

Resolver = Callable[[str], object]


def _default_resolver(citation: str) -> object:
    from powkit import convention

    return convention.resolve(citation)


class _Checker:
    """Collects problems for one file; each check returns the cleaned value or None."""

    def __init__(self, path: str, resolver: Resolver | None, cache: dict[str, str | None]):
        self.path = path
        self.problems: list[Problem] = []
        self._resolver = resolver or _default_resolver
        self._cache = cache

    def add(self, item: str, fld: str, message: str) -> None:
        self.problems.append(Problem(self.path, item, fld, message))

    def unknown(self, raw: dict, allowed: Iterable[str], item: str, where: str = "") -> None:
        allowed = tuple(allowed)
        for key in raw:
            if key not in allowed:
                self.add(
                    item,
                    f"{where}{key}" if isinstance(key, str) else where.rstrip(": ") or "fields",
                    f"unknown field {key!r}; expected one of {', '.join(allowed)}",
                )

    def text(
        self, raw: dict, key: str, item: str, where: str = "", required: bool = True
    ) -> str | None:
        label = f"{where}{key}"
        if key not in raw or raw[key] is None:
            if required:
                self.add(item, label, "missing; write some text here")
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(item, label, f"must be text, not {_kind(value)}")
            return None
        value = str(value).strip()
        if required and not value:
            self.add(item, label, "is empty; write some text here")
            return None
        return value

    def boolean(
        self, raw: dict, key: str, item: str, where: str = "", default: bool | None = None
    ) -> bool | None:
        label = f"{where}{key}"
        if key not in raw:
            if default is None:
                self.add(item, label, "missing; write true or false")
            return default
        value = raw[key]
        if not isinstance(value, bool):
            self.add(item, label, f"must be true or false, not {_show(value)}")
            return None
        return value

    def ident(self, raw: dict, key: str, item: str) -> str | None:
        if key not in raw or raw[key] is None:
            self.add(
                item, key, "missing; give an id of lower-case letters, digits and '-', e.g. 'pc-01'"
            )
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.add(item, key, f"must be an id like 'pc-01', not {_kind(value)}")
            return None
        value = str(value)
        if not _ID_RE.match(value):
            self.add(
                item,
                key,
                f"{value!r} is not a valid id; use lower-case letters, digits, '-' and '_', e.g. 'pc-01'",
            )
            return None
        return value

    def citations(
        self, raw: dict, key: str, item: str, where: str = "", required: bool = True
    ) -> tuple[str, ...]:
        label = f"{where}{key}"
        if key not in raw or raw[key] is None:
            if required:
                self.add(
                    item, label, 'missing; list the articles that decide this, e.g. ["GCIII 13(2)"]'
                )
            return ()
        value = raw[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(
                item, label, f'must be a list of citations like ["GCIII 13(2)"], not {_kind(value)}'
            )
            return ()
        if required and not value:
            self.add(item, label, 'is empty; cite at least one article, e.g. ["GCIII 13(2)"]')
        out = []
        for i, citation in enumerate(value, 1):
            if not isinstance(citation, str) or not citation.strip():
                self.add(
                    item,
                    label,
                    f'citation {i} must be text like "GCIII 13(2)", not {_show(citation)}',
                )
                continue
            citation = citation.strip()
            error = self._resolve(citation)
            if error:
                self.add(item, label, error)
                continue
            out.append(citation)
        return tuple(out)

    def _resolve(self, citation: str) -> str | None:
        if citation not in self._cache:
            from powkit.convention import CitationError

            try:
                self._resolver(citation)
                self._cache[citation] = None
            except CitationError as error:
                self._cache[citation] = f"citation does not resolve: {error}"
            except OSError as error:  # the treaty text itself is missing or unreadable
                where = error.filename or "the treaty data file"
                self._cache[citation] = (
                    f"cannot check {citation!r}: cannot read {where} ({error.strerror or error})"
                )
            except (ValueError, KeyError) as error:
                self._cache[citation] = (
                    f"cannot check {citation!r}: {type(error).__name__}: {error}"
                )
        return self._cache[citation]

    def sources(self, raw: dict, item: str, required: bool = False) -> tuple[Source, ...]:
        if "sources" not in raw or raw["sources"] is None:
            if required:
                self.add(
                    item, "sources", "missing; give title, publisher, url and date for each source"
                )
            return ()
        value = raw["sources"]
        if not isinstance(value, list):
            self.add(
                item,
                "sources",
                f"must be a list of {{title, publisher, url, date}}, not {_kind(value)}",
            )
            return ()
        out = []
        for i, entry in enumerate(value, 1):
            where = f"source {i}: "
            if not isinstance(entry, dict):
                self.add(
                    item,
                    f"source {i}",
                    f"must be a mapping with title, publisher, url and date, not {_kind(entry)}",
                )
                continue
            self.unknown(entry, ("title", "publisher", "url", "date", "note"), item, where)
            title = self.text(entry, "title", item, where)
            publisher = self.text(entry, "publisher", item, where)
            url = self.text(entry, "url", item, where)
            if url is not None and not _URL_RE.match(url):
                self.add(
                    item,
                    f"{where}url",
                    f"{url!r} must be a web address starting with http:// or https://",
                )
                url = None
            date = self._date(entry, item, where)
            note = self.text(entry, "note", item, where, required=False) or ""
            if None not in (title, publisher, url, date):
                out.append(Source(title=title, publisher=publisher, url=url, date=date, note=note))
        return tuple(out)

    def _date(self, entry: dict, item: str, where: str) -> str | None:
        label = f"{where}date"
        if "date" not in entry or entry["date"] is None:
            self.add(item, label, "missing; write the publication date as YYYY-MM-DD")
            return None
        value = entry["date"]
        parsed = source_date(value)
        if parsed is None:
            self.add(
                item,
                label,
                SOURCE_DATE_RULE
                if not isinstance(value, _dt.datetime)
                else f"{value.isoformat()} has a time; write the date alone as YYYY-MM-DD",
            )
        return parsed


#: What a source date may look like, in the words every validation message uses.
SOURCE_DATE_RULE = (
    "must be YYYY-MM-DD (or YYYY-MM, or YYYY when the source gives no day), e.g. 2022-03-17"
)


def source_date(value: object) -> str | None:
    """A source's publication date as written (``2022-03-17``, ``2022-11`` or ``2020``), or None.

    One rule for every file that cites sources (banks, scenarios, case files). A source dated only
    to a month or a year stays so: it is never padded to an invented day.
    """
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2100:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _PARTIAL_DATE_RE.match(text):
        _, _, month = text.partition("-")
        return text if not month or 1 <= int(month) <= 12 else None
    if _DATE_RE.match(text):
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    return None


def _kind(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def _show(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _read_yaml(path: Path, shown: str) -> tuple[object, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(shown, "", "", "file not found")]
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                shown,
                "",
                "",
                f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
            )
        ]
    except OSError as error:
        return None, [Problem(shown, "", "", f"cannot read: {error.strerror or error}")]
    try:
        return yaml.safe_load(text), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = error.problem or error.context or "invalid YAML"
        return None, [Problem(shown, where, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "position", None)
        return None, [
            Problem(
                shown,
                "",
                "",
                f"YAML error: {error}"
                if mark is None
                else f"YAML error at character {mark}: {getattr(error, 'reason', error)}",
            )
        ]
    except RecursionError:
        return None, [Problem(shown, "", "", "YAML nested too deeply")]
    except (ValueError, TypeError, OverflowError) as error:
        # safe_load builds dates itself: "date: 2022-13-01" fails here, without a line number.
        return None, [
            Problem(
                shown,
                "",
                "",
                f"YAML value cannot be read ({error}); check that every date is a real date written YYYY-MM-DD",
            )
        ]


# --------------------------------------------------------------------------- banks

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


def _check_bank(raw: object, check: _Checker) -> Bank | None:
    if not isinstance(raw, dict):
        check.add(
            "",
            "",
            f"a bank file must be a mapping with 'bank', 'title' and 'questions', not {_kind(raw)}",
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
        check.add("", "questions", f"must be a list of questions, not {_kind(questions_raw)}")
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


def _question_item(raw: object, number: int) -> str:
    """How problems name a question: its id if it has a usable one, else its position."""
    if isinstance(raw, dict):
        qid = raw.get("id")
        if isinstance(qid, (str, int)) and not isinstance(qid, bool) and _ID_RE.match(str(qid)):
            return f"question {qid}"
    return f"question #{number}"


def _check_question(raw: object, number: int, check: _Checker, bank_id: str) -> Question | None:
    item = _question_item(raw, number)
    if not isinstance(raw, dict):
        check.add(
            item, "", f"must be a mapping with {', '.join(_QUESTION_KEYS[:8])}, not {_kind(raw)}"
        )
        return None
    before = len(check.problems)
    check.unknown(raw, _QUESTION_KEYS, item)
    qid = check.ident(raw, "id", item)

    topic = raw.get("topic")
    if topic is None:
        check.add(item, "topic", f"missing; one of {' | '.join(TOPICS)}")
    elif topic not in TOPICS:
        check.add(item, "topic", f"{_show(topic)} is not a topic; use one of {' | '.join(TOPICS)}")

    difficulty = raw.get("difficulty")
    if difficulty is None:
        check.add(item, "difficulty", "missing; write 1, 2 or 3")
    elif type(difficulty) is not int or difficulty not in DIFFICULTIES:
        check.add(item, "difficulty", f"{_show(difficulty)} must be 1, 2 or 3")

    scenario = check.text(raw, "scenario", item)
    prompt = check.text(raw, "prompt", item)

    kind = raw.get("kind")
    if kind is None:
        check.add(
            item,
            "kind",
            "missing; write single (exactly one correct) or multiple (one or more correct)",
        )
    elif kind not in KINDS:
        check.add(item, "kind", f"{_show(kind)} must be single or multiple")
        kind = None

    options = _check_options(raw, item, kind, check)
    articles = check.citations(raw, "articles", item)
    sources = check.sources(raw, item)
    contested = check.boolean(raw, "contested", item, default=False)

    if len(check.problems) > before:
        return None
    return Question(
        id=qid,
        topic=topic,
        difficulty=difficulty,
        scenario=scenario,
        prompt=prompt,
        kind=kind,
        options=options,
        articles=articles,
        sources=sources,
        contested=bool(contested),
        bank=bank_id,
        path=check.path,
    )


def _check_options(raw: dict, item: str, kind: str | None, check: _Checker) -> tuple[Option, ...]:
    value = raw.get("options")
    if value is None:
        check.add(
            item,
            "options",
            "missing; list at least two options, each with text, correct and feedback",
        )
        return ()
    if not isinstance(value, list):
        check.add(item, "options", f"must be a list of options, not {_kind(value)}")
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
                f"must be a mapping with text, correct and feedback, not {_kind(o_raw)}",
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
        if None in (text, correct, feedback):
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


def _check_scenario(raw: object, check: _Checker) -> Scenario | None:
    if not isinstance(raw, dict):
        check.add(
            "",
            "",
            f"a scenario file must be a mapping with 'scenario', 'title', 'start' and 'nodes', not {_kind(raw)}",
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
            "", "nodes", f"must be a non-empty mapping from node id to node, not {_kind(nodes_raw)}"
        )
        nodes_raw = {}
    for key, n_raw in nodes_raw.items():
        node_id = str(key)
        item = f"node {node_id}"
        if isinstance(key, bool) or not _ID_RE.match(node_id):
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
        check.add("", "start", f"{_show(start)} is not a node; nodes are {names}")
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
                        f"{_show(goto)} is not a node; nodes are {names}",
                    )
    if start is not None and not check.problems:
        _check_graph(start, nodes, check)
    if check.problems:
        return None
    return Scenario(
        id=scenario_id,
        title=title,
        start=start,
        nodes=nodes,
        sources=sources,
        description=description,
        contested=bool(contested),
        path=check.path,
    )


def _check_node(raw: object, node_id: str, check: _Checker) -> ScenarioNode | None:
    item = f"node {node_id}"
    if not isinstance(raw, dict):
        check.add(
            item,
            "",
            f"must be a mapping with text and either choices or outcome and debrief, not {_kind(raw)}",
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
            check.add(item, "choices", f"must be a non-empty list of choices, not {_kind(value)}")
        else:
            for i, c_raw in enumerate(value, 1):
                where = f"choice {i}: "
                if not isinstance(c_raw, dict):
                    check.add(
                        item,
                        f"choice {i}",
                        f"must be a mapping with text, goto and feedback, not {_kind(c_raw)}",
                    )
                    continue
                check.unknown(c_raw, _CHOICE_KEYS, item, where)
                c_text = check.text(c_raw, "text", item, where)
                if "goto" not in c_raw:
                    check.add(item, f"{where}goto", "missing; name the node this choice leads to")
                feedback = check.text(c_raw, "feedback", item, where)
                articles = check.citations(c_raw, "articles", item, where, required=False)
                goto = c_raw.get("goto")
                if None not in (c_text, feedback) and isinstance(goto, str):
                    choices.append(
                        Choice(text=c_text, goto=goto, feedback=feedback, articles=articles)
                    )
        if len(check.problems) > before:
            return None
        return ScenarioNode(id=node_id, text=text, choices=tuple(choices))
    check.unknown(raw, _END_NODE_KEYS, item)
    outcome = raw.get("outcome")
    if outcome is None:
        check.add(
            item,
            "outcome",
            f"missing; a node without choices is an end and needs an outcome: {' | '.join(OUTCOMES)}",
        )
    elif outcome not in OUTCOMES:
        check.add(item, "outcome", f"{_show(outcome)} must be one of {' | '.join(OUTCOMES)}")
    debrief = check.text(raw, "debrief", item)
    articles = check.citations(raw, "articles", item)
    if len(check.problems) > before:
        return None
    return ScenarioNode(id=node_id, text=text, outcome=outcome, debrief=debrief, articles=articles)


def _check_graph(start: str, nodes: dict[str, ScenarioNode], check: _Checker) -> None:
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
    return str(path)


def _kind_of(raw: object, path: Path) -> str:
    if isinstance(raw, dict):
        if "scenario" in raw or "nodes" in raw:
            return "scenario"
        if "bank" in raw or "questions" in raw:
            return "bank"
    return "scenario" if path.parent.name == "scenarios" else "bank"


def _check_file(
    path: Path, resolver: Resolver | None, cache: dict
) -> tuple[Bank | Scenario | None, list[Problem]]:
    shown = _shown(path)
    raw, problems = _read_yaml(path, shown)
    if problems:
        return None, problems
    check = _Checker(shown, resolver, cache)
    if _kind_of(raw, path) == "scenario":
        result: Bank | Scenario | None = _check_scenario(raw, check)
    else:
        result = _check_bank(raw, check)
    return result, check.problems


def _load_one(path: str | Path, resolver: Resolver | None, check_fn, kind: str):
    """Read and check one file with ``check_fn``; raise :class:`BankError` listing every problem."""
    path = Path(path)
    raw, problems = _read_yaml(path, _shown(path))
    if problems:
        raise BankError(problems)
    check = _Checker(_shown(path), resolver, {})
    result = check_fn(raw, check)
    if check.problems or result is None:
        raise BankError(check.problems or [Problem(_shown(path), "", "", f"not a valid {kind}")])
    return result


def load_bank(path: str | Path, *, resolver: Resolver | None = None) -> Bank:
    """Load and validate one bank; raise :class:`BankError` listing every problem in it."""
    return _load_one(path, resolver, _check_bank, "bank")


def load_banks(
    paths_or_dir: str | Path | Iterable[str | Path] | None = None,
    *,
    resolver: Resolver | None = None,
) -> list[Bank]:
    """Load several banks (files or directories; default ``data/quizzes``), checking ids across them.

    Raises :class:`BankError` with the problems of all files together.
    """
    if paths_or_dir is None:
        paths_or_dir = default_bank_dir()
    problems: list[Problem] = []
    banks: list[Bank] = []
    cache: dict[str, str | None] = {}
    for path in bank_paths(paths_or_dir):
        shown = _shown(path)
        raw, read_problems = _read_yaml(path, shown)
        if read_problems:
            problems.extend(read_problems)
            continue
        check = _Checker(shown, resolver, cache)
        bank = _check_bank(raw, check)
        problems.extend(check.problems)
        if bank is not None:
            banks.append(bank)
    problems.extend(_cross_file_problems(banks, []))
    if problems:
        raise BankError(problems)
    return banks


def load_scenario(path: str | Path, *, resolver: Resolver | None = None) -> Scenario:
    """Load and validate one branching scenario; raise :class:`BankError` listing every problem."""
    return _load_one(path, resolver, _check_scenario, "scenario")


def load_scenarios(
    paths_or_dir: str | Path | Iterable[str | Path] | None = None,
    *,
    resolver: Resolver | None = None,
) -> list[Scenario]:
    """Load several scenarios (default ``data/scenarios``); raise :class:`BankError` for any problem."""
    if paths_or_dir is None:
        paths_or_dir = default_scenario_dir()
    problems: list[Problem] = []
    out: list[Scenario] = []
    for path in bank_paths(paths_or_dir):
        try:
            out.append(load_scenario(path, resolver=resolver))
        except BankError as error:
            problems.extend(error.problems)
    problems.extend(_cross_file_problems([], out))
    if problems:
        raise BankError(problems)
    return out


def _cross_file_problems(banks: list[Bank], scenarios: list[Scenario]) -> list[Problem]:
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
    first_s: dict[str, Scenario] = {}
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
    scenarios: list[Scenario] = field(default_factory=list)


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
        elif isinstance(loaded, Scenario):
            result.scenarios.append(loaded)
    result.problems.extend(_cross_file_problems(result.banks, result.scenarios))
    return result


def validate_paths(
    paths: Iterable[str | Path], *, resolver: Resolver | None = None
) -> list[Problem]:
    """Every problem in a set of bank and scenario files, in file order; empty when all is well."""
    return validate(paths, resolver=resolver).problems
