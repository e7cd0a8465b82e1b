"""Friendly checks for the exercises: ``check("ex1_q1", answer)`` says what is still wrong.

Why checks and not ``assert`` statements in the notebooks: a failed ``assert`` tells a student
nothing, and the Data 8 habit is that every check answers in words the student understands.
Here that means the words of the law: "GCIII 4A(2) requires four conditions ...; your function
accepted a group that lacks: carrying arms openly (GCIII 4A(2)(c))".

This module is the framework, and holds no answers (otter-grader's split). Each exercise's
checks are declared in its check file, ``solutions/<exercise>.checks.yaml`` beside the solution
notebook: the answer keys, the cases the student sees and the feedback. Each check names a kind
of check from :mod:`powkit.checks`, code that applies a rule without knowing the answer.
Expected answers are computed from the shipped data wherever they can be (the treaty text
through :mod:`powkit.convention`, the figures through :mod:`powkit.data`), so a correction to
the data corrects the key with it. The check files ship inside the package, so the checks work
in an installed kit, a JupyterLite site or a student tree without ``solutions/``.

A check returns a :class:`CheckResult`, which prints as one line and shows as a box in a
notebook. Three states:

``passed``    every part is right;
``failed``    something is wrong; the messages say what, with the provision that decides it;
``not_done``  the answer is still the placeholder (``...``, or a function that raises
              ``NotImplementedError``), so an untouched exercise runs top to bottom without a
              red error box.

Autograding: nbgrader gives the points of a test cell when the cell raises no error. So when
nbgrader runs a notebook (it sets ``NBGRADER_EXECUTION``), or when ``POWKIT_GRADING_STRICT=1``
is set, a check that does not pass raises :class:`CheckFailed`, carrying the same message.
Students working on their own never see that exception.

The check files can be read by students. That is deliberate for self-study; an instructor who
wants secret keys uses nbgrader's hidden tests (see ``docs/instructors.md``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from powkit.checks import CHECK_KINDS
from powkit.checks.base import NotDone
from powkit.markup import (
    HTMLView,
    definition_list,
    escape,
    live_region,
    plain_list,
    style_tag,
    symbol,
)
from powkit.resources import exercise_check_files, file_version
from powkit.validation import (
    ID_RE,
    Checker,
    Problem,
    ValidationError,
    describe_type,
    open_mapping,
)

__all__ = [
    "NOT_DONE",
    "CheckFailed",
    "CheckResult",
    "CheckSpec",
    "ChecksError",
    "case_list",
    "cases",
    "check",
    "check_file_problems",
    "checks",
    "points",
    "show_cases",
]

PASSED, FAILED, NOT_DONE = "passed", "failed", "not_done"
_LABELS = {PASSED: "Passed", FAILED: "Not yet right", NOT_DONE: "Not yet done"}
_SYMBOLS = {PASSED: "\u2713", FAILED: "\u2717", NOT_DONE: "\u2026"}


class CheckFailed(Exception):
    """Raised (only under nbgrader or ``POWKIT_GRADING_STRICT=1``) when a check does not pass.

    Not an ``AssertionError``: the message is the full explanation a student would have seen.
    """


@dataclass(frozen=True)
class CheckResult:
    """What one check found; prints as a line of text and shows as a box in a notebook."""

    question: str
    title: str
    status: str
    score: float
    max_points: float
    messages: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def not_done(self) -> bool:
        return self.status == NOT_DONE

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        head = f"{_SYMBOLS[self.status]} {self.question} ({self.title}): {_LABELS[self.status]}"
        head += f" [{_fmt(self.score)}/{_fmt(self.max_points)} points]"
        return "\n".join([head, *(f"  - {m}" for m in self.messages)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        items = plain_list(escape(m) for m in self.messages) if self.messages else ""
        state = symbol(_SYMBOLS[self.status], "") + " " + escape(_LABELS[self.status])
        body = (
            f'<div class="powkit-check powkit-check-{self.status}">'
            f'<strong class="powkit-check-state">{state}</strong> &middot; '
            f"{escape(self.question)}: {escape(self.title)} "
            f"<small>({_fmt(self.score)}/{_fmt(self.max_points)} points)</small>{items}</div>"
        )
        return style_tag() + live_region(body)


def _fmt(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- check files


class ChecksError(ValidationError):
    """An exercise check file that cannot be used; ``problems`` lists every reason at once."""


@dataclass(frozen=True)
class CheckSpec:
    """One check as its file declares it: what it is worth, its kind and its answer key."""

    id: str
    title: str
    points: float
    kind: str
    spec: dict
    exercise: str
    path: str

    @property
    def cases(self) -> tuple[tuple[str, str], ...]:
        """The (key, description) pairs the student is asked about."""
        found = self.spec.get("cases") or ([self.spec["case"]] if self.spec.get("case") else [])
        return tuple((str(c["key"]), " ".join(str(c["text"]).split())) for c in found)


def _citation_fields(spec: dict, field_name: str, item: str, check: Checker) -> None:
    value = spec.get(field_name)
    if isinstance(value, str):
        check.citations(spec, field_name, item)
        return
    if isinstance(value, list):
        for number, entry in enumerate(value, 1):
            if not isinstance(entry, dict):
                continue
            for key in ("citation", "expected"):
                cited = entry.get(key)
                if isinstance(cited, str) and cited != "none":
                    check.citations({key: cited}, key, item, where=f"{field_name} {number}: ")


def _check_one(check_id: str, raw: object, exercise: str, check: Checker) -> CheckSpec | None:
    item = f"check {check_id}"
    if not ID_RE.match(check_id):
        check.add(item, "", "a check id is lower-case letters, digits, '-' and '_', e.g. ex1_q1")
    if not isinstance(raw, dict):
        check.add(
            item, "", f"must be a mapping with title, points and kind, not {describe_type(raw)}"
        )
        return None
    before = len(check.problems)
    title = check.text(raw, "title", item)
    points_value = raw.get("points")
    if (
        isinstance(points_value, bool)
        or not isinstance(points_value, (int, float))
        or points_value <= 0
    ):
        check.add(item, "points", f"must be a number above 0, not {points_value!r}")
    kind_name = raw.get("kind")
    kind = CHECK_KINDS.get(str(kind_name))
    if kind is None:
        check.add(item, "kind", f"{kind_name!r} must be one of {', '.join(CHECK_KINDS)}")
    else:
        for name in kind.required:
            if raw.get(name) in (None, "", [], {}):
                check.add(item, name, f"missing; a {kind_name} check needs it")
        if kind.one_of and sum(raw.get(name) is not None for name in kind.one_of) != 1:
            check.add(item, kind.one_of[0], f"give exactly one of {', '.join(kind.one_of)}")
        for name in kind.citations:
            _citation_fields(raw, name, item, check)
        for key in ("cases",):
            for number, case in enumerate(raw.get(key) or [], 1):
                if not isinstance(case, dict) or not case.get("key") or not case.get("text"):
                    check.add(item, f"{key} {number}", "needs a key and a text")
    check.text(raw, "function", item, required=kind_name not in (None,))
    if len(check.problems) > before or kind is None:
        return None
    return CheckSpec(
        check_id, str(title), float(points_value or 0), str(kind_name), raw, exercise, check.path
    )


def check_file_problems(path: str | Path) -> tuple[list[CheckSpec], list[Problem]]:
    """Read and check one exercise check file: its checks, and every problem."""
    from powkit import convention

    path = Path(path)
    raw, check = open_mapping(path, ("exercise", "checks"), convention.resolve)
    if raw is None:
        return [], check.problems
    exercise = check.text(raw, "exercise", "") or path.name.removesuffix(".checks.yaml")
    declared = raw.get("checks")
    if not isinstance(declared, dict) or not declared:
        check.add("", "checks", "must be a mapping from check id to check")
        return [], check.problems
    found = [_check_one(str(k), v, exercise, check) for k, v in declared.items()]
    return [s for s in found if s is not None], check.problems


@lru_cache(maxsize=4)
def _registry_of(files: tuple[tuple[str, int], ...]) -> dict[str, CheckSpec]:
    registry: dict[str, CheckSpec] = {}
    problems: list[Problem] = []
    for name, _stamp in files:
        specs, found = check_file_problems(name)
        problems.extend(found)
        for spec in specs:
            if spec.id in registry:
                problems.append(
                    Problem(
                        spec.path,
                        f"check {spec.id}",
                        "",
                        f"already declared in {registry[spec.id].path}",
                    )
                )
            registry.setdefault(spec.id, spec)
    if problems:
        raise ChecksError(problems)
    return registry


def _registry() -> dict[str, CheckSpec]:
    """Every check of every exercise, read once per version of the check files."""
    return _registry_of(tuple(file_version(path) for path in exercise_check_files()))


def checks() -> list[str]:
    """The ids of every check, in exercise order."""
    return list(_registry())


def _lookup(question_id: str) -> CheckSpec:
    registry = _registry()
    try:
        return registry[question_id]
    except KeyError:
        raise KeyError(
            f"no check called {question_id!r}; the checks are {', '.join(registry)}"
        ) from None


def points(question_id: str) -> float:
    """How many points a check is worth (the same number as the nbgrader cell's ``points``)."""
    return _lookup(question_id).points


def _strict() -> bool:
    return (
        bool(os.environ.get("NBGRADER_EXECUTION")) or os.environ.get("POWKIT_GRADING_STRICT") == "1"
    )


def check(question_id: str, answer: object, *, strict: bool | None = None) -> CheckResult:
    """Check an answer and say, in the words of the law, what is right and what is not.

    ``answer`` is whatever the exercise asks for: usually the function the student wrote (it is
    called here, so that an unfinished function is reported as not yet done rather than crashing
    the notebook). With ``strict`` (default: under nbgrader or ``POWKIT_GRADING_STRICT=1``), a
    result that is not ``passed`` raises :class:`CheckFailed`.
    """
    spec = _lookup(question_id)
    if answer is ...:
        result = CheckResult(
            spec.id,
            spec.title,
            NOT_DONE,
            0,
            spec.points,
            ("Replace the ... with your answer, then run this cell again.",),
        )
    else:
        try:
            fraction, messages = CHECK_KINDS[spec.kind].run(answer, spec.spec)
        except NotDone:
            result = CheckResult(
                spec.id,
                spec.title,
                NOT_DONE,
                0,
                spec.points,
                (
                    "Write your answer in the cell above (replace the "
                    "'raise NotImplementedError' line), run it, then run this "
                    "cell again.",
                ),
            )
        else:
            status = PASSED if fraction >= 1 and not messages else FAILED
            if status == PASSED:
                messages = messages or ["Well reasoned."]
            score = round(spec.points * max(0.0, min(1.0, fraction)), 2)
            result = CheckResult(spec.id, spec.title, status, score, spec.points, tuple(messages))
    if (_strict() if strict is None else strict) and not result.passed:
        raise CheckFailed(str(result))
    return result


# --------------------------------------------------------------------------- cases for notebooks


def cases(question_id: str) -> list[tuple[str, str]]:
    """The (key, description) pairs a check asks about, so a notebook shows them from one source.

    ``cases("ex4")`` gives the cases of every check of exercise 4 (``ex4_a``, ``ex4_b`` ...).
    """
    registry = _registry()
    if question_id in registry:
        return list(registry[question_id].cases)
    found = [
        c
        for spec_id, spec in registry.items()
        if spec_id.startswith(f"{question_id}_")
        for c in spec.cases
    ]
    if not found:
        _lookup(question_id)  # raises, naming the checks there are
    return found


def case_list(question_id: str) -> str:
    """The cases of a check as escaped HTML (a definition list)."""
    return definition_list(cases(question_id), cls="powkit-cases")


def show_cases(question_id: str) -> HTMLView:
    """The cases of a check (``show_cases("ex1_q2")``, or ``"ex4"`` for all of exercise 4):
    shows itself in a notebook, prints as text."""
    text = "\n".join(f"{key}: {description}" for key, description in cases(question_id))
    return HTMLView(case_list(question_id), text)
