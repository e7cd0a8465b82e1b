"""Friendly checks for the exercises: ``check("ex1_q1", answer)`` says what is still wrong.

Why a module and not ``assert`` statements in the notebooks: a failed ``assert`` tells a student
nothing, and the Data 8 habit is that every check answers in words the student understands. Here
that means the words of the law: "GCIII 4A(2) has four conditions; your function accepted a group
without a fixed distinctive sign". Expected answers are computed from the shipped data wherever
they can be (the treaty text through :mod:`powkit.convention`, the figures through
:mod:`powkit.data`), so a correction to the data corrects the answer key with it.

A check returns a :class:`CheckResult`, which prints as one line and shows as a coloured box in a
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

The answer keys are in this file, which students can read. That is deliberate for self-study;
an instructor who wants secret keys uses nbgrader's hidden tests (see ``docs/instructors.md``).
"""

from __future__ import annotations

import html
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CheckFailed",
    "CheckResult",
    "NOT_DONE",
    "case_list",
    "cases",
    "check",
    "checks",
    "points",
    "show_cases",
]

PASSED, FAILED, NOT_DONE = "passed", "failed", "not_done"
_LABELS = {PASSED: "Passed", FAILED: "Not yet right", NOT_DONE: "Not yet done"}
_SYMBOLS = {PASSED: "\u2713", FAILED: "\u2717", NOT_DONE: "\u2026"}
_COLOURS = {
    PASSED: ("#e6f4ea", "#1e7b34"),
    FAILED: ("#fdecea", "#a4262c"),
    NOT_DONE: ("#f3f2f1", "#555555"),
}


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
        background, ink = _COLOURS[self.status]
        items = "".join(f"<li>{html.escape(m)}</li>" for m in self.messages)
        body = f"<ul style='margin:0.3em 0 0 1.2em;padding:0'>{items}</ul>" if items else ""
        return (
            f"<div class='powkit-check powkit-check-{self.status}' role='status' "
            f"style='background:{background};border-left:4px solid {ink};padding:0.5em 0.8em;"
            f"margin:0.3em 0'><strong style='color:{ink}'>{_SYMBOLS[self.status]} "
            f"{html.escape(_LABELS[self.status])}</strong> &middot; {html.escape(self.question)}: "
            f"{html.escape(self.title)} <small>({_fmt(self.score)}/{_fmt(self.max_points)} points)"
            f"</small>{body}</div>"
        )


def _fmt(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- registry


class _NotDone(Exception):
    """The student's answer is still the placeholder."""


@dataclass(frozen=True)
class _Check:
    id: str
    title: str
    points: float
    run: Callable[[object], tuple[float, list[str]]]  # -> (fraction right, messages)
    cases: tuple[tuple[str, str], ...] = field(default=())


_REGISTRY: dict[str, _Check] = {}


def _register(qid: str, title: str, points: float, cases: tuple[tuple[str, str], ...] = ()):
    def wrap(fn: Callable[[object], tuple[float, list[str]]]):
        _REGISTRY[qid] = _Check(qid, title, points, fn, cases)
        return fn

    return wrap


def checks() -> list[str]:
    """The ids of every check, in exercise order."""
    return list(_REGISTRY)


def points(question_id: str) -> float:
    """How many points a check is worth (the same number as the nbgrader cell's ``points``)."""
    return _lookup(question_id).points


def _lookup(question_id: str) -> _Check:
    try:
        return _REGISTRY[question_id]
    except KeyError:
        raise KeyError(
            f"no check called {question_id!r}; the checks are {', '.join(_REGISTRY)}"
        ) from None


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
            fraction, messages = spec.run(answer)
        except _NotDone:
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


def _call(answer: object, *args: object) -> object:
    """Call the student's function; an unfinished one means 'not yet done', not a crash."""
    if not callable(answer):
        return answer
    try:
        value = answer(*args)
    except NotImplementedError:
        raise _NotDone from None
    except _NotDone:
        raise
    except Exception as error:  # the student's code broke: say how, in one line
        raise _StudentError(f"your function raised {type(error).__name__}: {error}") from None
    if value is ...:
        raise _NotDone
    return value


class _StudentError(Exception):
    pass


def _guarded(
    fn: Callable[[object], tuple[float, list[str]]],
) -> Callable[[object], tuple[float, list[str]]]:
    def run(answer: object) -> tuple[float, list[str]]:
        try:
            return fn(answer)
        except _StudentError as error:
            return 0.0, [f"{error}. Fix the error, run the cell, then check again."]

    return run


# --------------------------------------------------------------------------- cases for notebooks


def cases(question_id: str) -> list[tuple[str, str]]:
    """The (key, description) pairs a check asks about, so a notebook shows them from one source.

    ``cases("ex4")`` gives all of exercise 4's situations at once.
    """
    if question_id in _CASE_SETS:
        return list(_CASE_SETS[question_id])
    return list(_lookup(question_id).cases)


def case_list(question_id: str) -> str:
    """The cases of a check as escaped HTML (a definition list)."""
    items = "".join(
        f"<dt><code>{html.escape(key)}</code></dt><dd>{html.escape(text)}</dd>"
        for key, text in cases(question_id)
    )
    return f"<dl class='powkit-cases'>{items}</dl>"


def show_cases(question_id: str) -> None:
    """Display the cases of a check in a notebook."""
    from IPython.display import HTML, display

    display(HTML(case_list(question_id)))


# --------------------------------------------------------------------------- shared helpers


def _clause(citation: str) -> str:
    """A lettered condition as a phrase, from the treaty text: 'that of carrying arms openly;'
    becomes 'carrying arms openly'."""
    from powkit.convention import cite

    text = " ".join(cite(citation).split())
    text = re.sub(r"^that of ", "", text)
    return text.rstrip(";.,").removesuffix(" and").removesuffix(" or").rstrip(";,")


def _same_citation(given: str, expected: str) -> tuple[bool, str]:
    """Does a student's citation name the expected provision? (ok, message if not)."""
    from powkit.convention import CitationError, article, resolve

    if not isinstance(given, str) or not given.strip():
        return False, f'give a citation as text, like "GCIII 13(2)", not {given!r}'
    try:
        found = resolve(given)
    except CitationError as error:
        return False, f"{given!r} is not a citation that exists: {error}"
    if len(found) != 1:
        return (
            False,
            f"{given!r} names {len(found)} passages; name the single provision that decides it",
        )
    got = found[0]
    want = resolve(expected)[0]
    if got.treaty != want.treaty or got.article != want.article:
        return False, (
            f"{got.citation} is about \u201c{got.heading}\u201d; that is not the provision that "
            f"decides this situation"
        )
    if got.path[: len(want.path)] == want.path:
        return True, ""
    if not got.path:
        if len(article(want.article, want.treaty).paragraphs) == 1:
            return True, ""
        return False, (
            f"right article ({got.citation}, \u201c{got.heading}\u201d); now name the paragraph "
            f"that decides it"
        )
    return False, f"right article, but {got.citation} is not the paragraph that decides this"


def _as_int_mapping(value: object, what: str) -> dict[str, int]:
    import pandas as pd

    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, dict):
        raise _StudentError(
            f"{what} should be a dict or a pandas Series, not {type(value).__name__}"
        )
    out: dict[str, int] = {}
    for key, number in value.items():
        try:
            out[str(key)] = int(number)
        except (TypeError, ValueError):
            raise _StudentError(
                f"{what}[{key!r}] should be a whole number, not {number!r}"
            ) from None
    return out


# --------------------------------------------------------------------------- exercise 1: Article 4

_4A2_CONDITIONS = (
    ("belongs_to_party", None),
    ("commanded", "GCIII 4A(2)(a)"),
    ("distinctive_sign", "GCIII 4A(2)(b)"),
    ("arms_openly", "GCIII 4A(2)(c)"),
    ("laws_of_war", "GCIII 4A(2)(d)"),
)


def _4a2_phrase(key: str, citation: str | None) -> str:
    if citation is None:
        return "belonging to a Party to the conflict (GCIII 4A(2))"
    return f"{_clause(citation)} ({citation})"


@_register("ex1_q1", "the four conditions of GCIII 4A(2)", 4)
@_guarded
def _ex1_q1(answer: object) -> tuple[float, list[str]]:
    if not callable(answer):
        return 0.0, ["Give the function meets_4A2 itself (without brackets), not its result."]
    keys = [k for k, _ in _4A2_CONDITIONS]
    wrong_accept: list[tuple[int, list[str]]] = []
    wrong_reject: list[dict] = []
    for values in itertools.product((True, False), repeat=len(keys)):
        group = dict(zip(keys, values))
        got = _call(answer, dict(group))
        if not isinstance(got, bool):
            return 0.0, [f"meets_4A2 must return True or False; for {group} it returned {got!r}"]
        expected = all(values)
        if got and not expected:
            missing = [_4a2_phrase(k, c) for (k, c), v in zip(_4A2_CONDITIONS, values) if not v]
            wrong_accept.append((len(missing), missing))
        elif expected and not got:
            wrong_reject.append(group)
    messages = []
    if wrong_reject:
        messages.append(
            "Your function rejected a group that belongs to a Party to the conflict and meets all "
            "four conditions of GCIII 4A(2); its members are prisoners of war when captured."
        )
    for _, missing in sorted(wrong_accept)[:3]:
        messages.append(
            "GCIII 4A(2) requires four conditions, and the group must belong to a Party to the "
            "conflict; your function accepted a group that lacks: " + "; ".join(missing) + "."
        )
    if len(wrong_accept) > 3:
        messages.append(
            f"... and {len(wrong_accept) - 3} more groups wrongly accepted. The "
            "conditions are cumulative: one missing condition is enough to fail."
        )
    total = 2 ** len(keys)
    right = total - len(wrong_accept) - len(wrong_reject)
    return (1.0 if not messages else right / total / 2), messages


_EX1_CASES: tuple[tuple[str, str, str, str], ...] = (
    # key, description, expected ("none" = not a prisoner of war under Article 4A), why
    (
        "a",
        "A conscript serving in the regular army of a State at war, captured in uniform.",
        "GCIII 4A(1)",
        "members of the armed forces of a Party to the conflict come first in "
        "GCIII 4A(1); how they came to serve does not matter, and this one was captured in uniform",
    ),
    (
        "b",
        "A civilian driver of a supply contractor who delivers food to an army's bases and "
        "carries the identity card the army issued to him.",
        "GCIII 4A(4)",
        "people who accompany the armed forces without being members, such as supply contractors, "
        "are covered by GCIII 4A(4) when the forces have authorised them with an identity card",
    ),
    (
        "c",
        "A militia that is not part of the army but belongs to a Party to the conflict: it has "
        "a responsible commander, its members wear a fixed yellow armband visible at a distance, "
        "carry their rifles openly and obey the laws of war.",
        "GCIII 4A(2)",
        "an independent militia belonging to a Party is covered by GCIII 4A(2) when it meets all "
        "four conditions, as this one does",
    ),
    (
        "d",
        "Residents of a town not yet occupied who, as enemy columns approach, take the rifles "
        "from the police station and fight, carrying them openly and respecting the laws of war, "
        "with no time to organise.",
        "GCIII 4A(6)",
        "this is the levee en masse of GCIII 4A(6): a spontaneous rising on the approach of the "
        "enemy, with arms carried openly and the laws of war respected",
    ),
    (
        "e",
        "The master of a merchant ship flying the flag of a Party to the conflict, captured "
        "when the enemy seizes the ship.",
        "GCIII 4A(5)",
        "crews of the merchant marine, including masters, are named in GCIII 4A(5)",
    ),
    (
        "f",
        "Soldiers of a regular army who stay loyal to their government in exile, which the "
        "capturing State does not recognise.",
        "GCIII 4A(3)",
        "GCIII 4A(3) covers regular armed forces whose government or authority the Detaining "
        "Power does not recognise",
    ),
    (
        "g",
        "A farmer who never took part in the fighting, detained at a checkpoint because the "
        "soldiers found him suspicious.",
        "none",
        "a civilian who took no part in hostilities fits none of the categories of GCIII 4A; he is "
        "protected, but as a civilian (by the Fourth Convention if he is an enemy national in a "
        "party's hands, and by the fundamental guarantees in every case), not as a prisoner of war",
    ),
)


def _ex1_expected() -> dict[str, str]:
    return {key: expected for key, _, expected, _ in _EX1_CASES}


@_register(
    "ex1_q2",
    "who is a prisoner of war under GCIII 4A",
    6,
    cases=tuple((k, d) for k, d, _, _ in _EX1_CASES),
)
@_guarded
def _ex1_q2(answer: object) -> tuple[float, list[str]]:
    given = _call(answer)
    if not isinstance(given, dict):
        return 0.0, [
            f"Return a dict from case letter to citation, like {{'a': 'GCIII 4A(1)'}}, "
            f"not {type(given).__name__}."
        ]
    messages, right = [], 0
    for key, _, expected, why in _EX1_CASES:
        if key not in given:
            messages.append(f"Case {key}: no answer yet.")
            continue
        value = given[key]
        if expected == "none":
            if value in (None, "", "none", "None"):
                right += 1
            else:
                messages.append(f"Case {key}: you chose {value!r}, but {why}. Answer 'none'.")
            continue
        if value in (None, "", "none", "None"):
            messages.append(f"Case {key}: you answered 'none', but {why}.")
            continue
        ok, problem = _same_citation(str(value), expected)
        if ok:
            right += 1
        else:
            messages.append(f"Case {key}: {problem}; {why}.")
    extra = sorted(set(map(str, given)) - set(_ex1_expected()))
    if extra:
        messages.append(
            f"There is no case {', '.join(extra)}; the cases are {', '.join(_ex1_expected())}."
        )
    if messages:
        messages.insert(0, f"{right} of {len(_EX1_CASES)} cases right.")
    return right / len(_EX1_CASES), messages


# --------------------------------------------------------------------------- exercise 2: public curiosity


def _public_curiosity_citation() -> str:
    """The paragraph of GCIII whose words include 'public curiosity', found in the data."""
    from powkit.convention import articles

    for art in articles("GCIII"):
        for para in art.paragraphs:
            if "public curiosity" in para.full_text().lower():
                return f"GCIII {art.number}({para.label})"
    raise LookupError("data/gc3.json: no paragraph mentions 'public curiosity'")


@_register("ex2_q1", "the provision on public curiosity", 2)
@_guarded
def _ex2_q1(answer: object) -> tuple[float, list[str]]:
    given = _call(answer)
    ok, problem = _same_citation(
        given if isinstance(given, str) else repr(given), _public_curiosity_citation()
    )
    if ok:
        return 1.0, []
    return 0.0, [
        problem[:1].upper() + problem[1:] + ". Search the Convention for the words "
        "'public curiosity': search(\"public curiosity\")."
    ]


# --------------------------------------------------------------------------- exercise 3: numbers


def _figures():
    from powkit.data import load_figures

    return load_figures()


def _repatriations():
    from powkit.data import load_repatriations

    return load_repatriations()


def _expected_totals() -> dict[str, int]:
    from powkit.data import returned_totals

    table = returned_totals(_figures())
    return {side: int(table.loc[side, "sum_of_listed"]) for side in table.index}


def _side_name(side: str) -> str:
    return {"ukraine": "Ukraine", "russia": "Russia"}.get(side, side)


@_register("ex3_q1", "soldiers returned to each side in the listed exchanges", 3)
@_guarded
def _ex3_q1(answer: object) -> tuple[float, list[str]]:
    from powkit.data import exchanges

    df = _figures()
    given = _as_int_mapping(_call(answer, df.copy()), "totals_returned(figures)")
    expected = _expected_totals()
    messages, right = [], 0
    pairs = exchanges(df)
    for side, want in expected.items():
        got = given.get(side)
        if got is None:
            messages.append(
                f"No total for the key {side!r}; return {{'ukraine': ..., 'russia': ...}}."
            )
            continue
        if got == want:
            right += 1
            continue
        hint = ""
        disputed = pairs[pairs["disputed"]]
        if got > want and len(disputed):
            days = ", ".join(f"{d:%d %B %Y}" for d in disputed["date"])
            hint = (
                f" Yours is {got - want} too high: on {days} two sources give different "
                "counts for the same exchange. Count each exchange once, using the receiving "
                "side's own government's count."
            )
        elif got < want:
            hint = (
                " Yours is too low: include every row with counts == 'returned_in_exchange' "
                "for that side (not the cumulative totals, which count something else)."
            )
        messages.append(
            f"Soldiers returned to {_side_name(side)}: you have {got}, the listed "
            f"exchanges give {want}.{hint}"
        )
    return right / len(expected), messages


@_register("ex3_q2", "announced total against the listed exchanges", 2)
@_guarded
def _ex3_q2(answer: object) -> tuple[float, list[str]]:
    from powkit.data import returned_totals

    df = _figures()
    table = returned_totals(df)
    announced = int(table.loc["ukraine", "announced_total"])
    listed = int(table.loc["ukraine", "sum_of_listed"])
    want = announced - listed
    got = _call(answer, df.copy())
    try:
        got = int(got)
    except (TypeError, ValueError):
        return 0.0, [f"Return one whole number, not {got!r}."]
    if got == want:
        return 1.0, []
    if got == -want:
        return 0.0, [
            "The sign is the wrong way round: subtract the sum of the listed exchanges "
            "from the announced total."
        ]
    if got == announced:
        return 0.0, [
            "That is the announced total itself; the question asks how much of it the "
            "listed exchanges do not account for."
        ]
    return 0.0, [
        f"You have {got}. Take the latest figure Ukraine's government announced for all "
        f"soldiers returned (counts == 'cumulative_returned', soldiers_of == 'ukraine'; "
        f"the latest is dated {table.loc['ukraine', 'announced_on']:%d %B %Y}) and "
        "subtract your total from question 1 for Ukraine."
    ]


@_register("ex3_q3", "days from the end of hostilities to the last repatriation", 3)
@_guarded
def _ex3_q3(answer: object) -> tuple[float, list[str]]:
    from powkit.data import repatriation_durations

    df = _repatriations()
    given = _as_int_mapping(_call(answer, df.copy()), "days_to_last_repatriation(repatriations)")
    known = repatriation_durations(df).set_index("id")
    expected = {str(i): int(v) for i, v in known["days_to_complete"].items()}
    messages, right = [], 0
    names = df.set_index("id")["conflict"].to_dict()
    for ident, want in expected.items():
        if ident not in given:
            messages.append(f"{ident} ({names[ident]}) is missing; both of its dates are known.")
            continue
        if given[ident] == want:
            right += 1
            continue
        row = known.loc[ident]
        messages.append(
            f"{ident} ({names[ident]}): you have {given[ident]} days; from the end of hostilities "
            f"({row['hostilities_ended']:%d %B %Y}) to the last repatriation "
            f"({row['repatriation_completed']:%d %B %Y}) is {want} days."
        )
    for ident in sorted(set(given) - set(expected)):
        if ident in names:
            messages.append(
                f"{ident} ({names[ident]}) should be left out: the dataset has no "
                "date for one end of the period, and a gap stays a gap. Do not fill it."
            )
        else:
            messages.append(f"{ident} is not a row of the dataset.")
    score = right / len(expected) if expected else 1.0
    if messages and score == 1:
        score = 0.5
    return score, messages


@_register("ex3_chart", "a chart that explains itself", 1)
@_guarded
def _ex3_chart(answer: object) -> tuple[float, list[str]]:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from powkit.data import repatriation_durations

    durations = repatriation_durations(_repatriations())
    figure = _call(answer, durations.copy())
    if isinstance(figure, Axes):
        figure = figure.figure
    if not isinstance(figure, Figure):
        return 0.0, [
            f"draw_chart should return the matplotlib Figure it drew, not {type(figure).__name__}."
        ]
    axes = [ax for ax in figure.axes if ax.has_data()]
    if not axes:
        return 0.0, ["The figure has no data drawn on it."]
    ax = axes[0]
    messages = []
    title = ax.get_title() or (figure._suptitle.get_text() if figure._suptitle else "")
    if not title.strip():
        messages.append("Give the chart a title that says what it shows (ax.set_title).")
    if not ax.get_xlabel().strip() or not ax.get_ylabel().strip():
        messages.append(
            "Label both axes, with units where there are any (ax.set_xlabel, ax.set_ylabel)."
        )
    return (1.0 if not messages else 0.5), messages


# --------------------------------------------------------------------------- exercise 4: find the article

_EX4_SITUATIONS: tuple[tuple[str, str, str, str], ...] = (
    # key, situation, expected citation, what to search for (a hint, in our words)
    (
        "a",
        "Camp guards film a prisoner being mocked and post the clip online with jeering comments.",
        "GCIII 13(2)",
        "protection against insults",
    ),
    (
        "b",
        "A prisoner gives his name, rank, date of birth and service number and refuses to say "
        "more. The interrogator tells him his rations will be cut until he talks.",
        "GCIII 17(4)",
        "what may happen to prisoners who refuse to answer",
    ),
    (
        "c",
        "Ten days after arriving at a camp, a prisoner has still not been allowed to send a "
        "card telling his family he has been captured.",
        "GCIII 70",
        "the card a prisoner writes on capture",
    ),
    (
        "d",
        "The Detaining Power holds prisoners in a school next to its artillery position, hoping "
        "the enemy will not fire there.",
        "GCIII 23(1)",
        "where prisoners may not be detained, and using them as a shield",
    ),
    (
        "e",
        "Six months after a ceasefire ended active hostilities, prisoners are still held and "
        "no release has been planned.",
        "GCIII 118(1)",
        "release and repatriation after hostilities end",
    ),
    (
        "f",
        "In return for better food, a prisoner signs a statement giving up his rights as a "
        "prisoner of war.",
        "GCIII 7",
        "whether a prisoner can renounce his rights",
    ),
)


def _ex4_check(key: str, expected: str, hint: str) -> Callable[[object], tuple[float, list[str]]]:
    @_guarded
    def run(answer: object) -> tuple[float, list[str]]:
        given = _call(answer)
        if not isinstance(given, dict):
            return 0.0, [
                f"my_citations() should return a dict like {{'{key}': 'GCIII 13(2)'}}, "
                f"not {type(given).__name__}."
            ]
        if key not in given or given[key] in (None, "", ...):
            raise _NotDone
        ok, problem = _same_citation(given[key], expected)
        if ok:
            return 1.0, []
        return 0.0, [f"Situation {key}: {problem}. Try searching for {hint}."]

    return run


for _key, _text, _expected, _hint in _EX4_SITUATIONS:
    _REGISTRY[f"ex4_{_key}"] = _Check(
        f"ex4_{_key}", f"situation {_key}", 2, _ex4_check(_key, _expected, _hint), ((_key, _text),)
    )


def _ex4_all_cases() -> tuple[tuple[str, str], ...]:
    return tuple((k, t) for k, t, _, _ in _EX4_SITUATIONS)


# --------------------------------------------------------------------------- exercise 5: write questions


def _validate_bank_text(text: str) -> tuple[list[str], object]:
    """Problems the kit's validator finds in a bank written as YAML text (and the loaded bank)."""
    from powkit import banks

    with tempfile.TemporaryDirectory(prefix="powkit-ex5-") as tmp:
        path = Path(tmp) / "your-bank.yaml"
        path.write_text(text, encoding="utf-8")
        shipped = (
            banks.bank_paths(banks.default_bank_dir()) if banks.default_bank_dir().is_dir() else []
        )
        result = banks.validate([path, *shipped])
        mine = str(path)
        problems = [str(p).replace(mine, "your bank") for p in result.problems if p.path == mine]
        loaded = next((b for b in result.banks if b.path == mine), None)
    return problems, loaded


@_register("ex5_q1", "two questions that pass the validator", 6)
@_guarded
def _ex5_q1(answer: object) -> tuple[float, list[str]]:
    text = _call(answer)
    if not isinstance(text, str):
        return 0.0, [
            f"my_bank_yaml() should return the YAML as one string, not {type(text).__name__}."
        ]
    problems, bank = _validate_bank_text(text)
    if problems:
        shown = problems[:8]
        more = [f"... and {len(problems) - 8} more."] if len(problems) > 8 else []
        return 0.0, [
            f"The validator found {len(problems)} problem(s), the same ones "
            "`python -m powkit validate` would print:",
            *shown,
            *more,
        ]
    if bank is None:
        return 0.0, ["The text is not a question bank: it needs bank, title and questions."]
    messages = []
    if len(bank.questions) != 2:
        messages.append(f"Write exactly two questions; your bank has {len(bank.questions)}.")
    for q in bank.questions:
        wrong = [o for o in q.options if not o.correct]
        if not wrong:
            messages.append(
                f"Question {q.id}: give at least one wrong option, with feedback "
                "that explains the mistake."
            )
        cited = any(re.search(r"\b(GCIII|API)\s*\d", o.feedback) for o in q.options)
        if not cited:
            messages.append(
                f"Question {q.id}: the feedback should cite the provision that "
                "decides it (e.g. GCIII 13(2)), so a learner can look it up."
            )
    return (1.0 if not messages else 0.5), messages


# --------------------------------------------------------------------------- exercise 6: status debates

_47_CONDITIONS = (
    ("recruited_to_fight", "API 47(2)(a)"),
    ("takes_direct_part", "API 47(2)(b)"),
    ("private_gain_and_excess_pay", "API 47(2)(c)"),
    ("not_national_or_resident", "API 47(2)(d)"),
    ("not_member_of_armed_forces", "API 47(2)(e)"),
    ("not_sent_on_official_duty", "API 47(2)(f)"),
)


@_register("ex6_q1", "the six cumulative conditions of API 47(2)", 4)
@_guarded
def _ex6_q1(answer: object) -> tuple[float, list[str]]:
    if not callable(answer):
        return 0.0, ["Give the function is_mercenary itself (without brackets), not its result."]
    keys = [k for k, _ in _47_CONDITIONS]
    wrong_accept: list[tuple[int, list[str]]] = []
    wrong_reject = False
    for values in itertools.product((True, False), repeat=len(keys)):
        person = dict(zip(keys, values))
        got = _call(answer, dict(person))
        if not isinstance(got, bool):
            return 0.0, [
                f"is_mercenary must return True or False; for {person} it returned {got!r}"
            ]
        expected = all(values)
        if got and not expected:
            failed = [f"{_clause(c)} ({c})" for (k, c), v in zip(_47_CONDITIONS, values) if not v]
            wrong_accept.append((len(failed), failed))
        elif expected and not got:
            wrong_reject = True
    messages = []
    if wrong_reject:
        messages.append(
            "Your function rejected a person who meets all six conditions of API "
            "47(2); API 47(1) denies such a person the right to be a combatant or a "
            "prisoner of war."
        )
    for _, failed in sorted(wrong_accept)[:3]:
        messages.append(
            "API 47(2) is cumulative: all six conditions must hold. Your function "
            "called someone a mercenary who does not meet the condition that a "
            "mercenary " + "; nor that he ".join(failed) + "."
        )
    if len(wrong_accept) > 3:
        messages.append(f"... and {len(wrong_accept) - 3} more people wrongly called mercenaries.")
    return (1.0 if not messages else 0.0), messages


_EX6_CASES: tuple[tuple[str, str, str, str], ...] = (
    (
        "a",
        "A foreign national who enlisted in the regular armed forces of a Party to the "
        "conflict (for example a foreign legion that is part of its army), captured in uniform.",
        "prisoner_of_war",
        "members of the armed forces are prisoners of war under GCIII 4A(1), and API 47(2)(e) "
        "excludes members of the armed forces from the definition of a mercenary, whatever their "
        "nationality",
    ),
    (
        "b",
        "A person who meets every one of the six conditions of API 47(2), captured while fighting.",
        "mercenary",
        "API 47(1): a mercenary has no right to be a combatant or a prisoner of war (he keeps the "
        "fundamental guarantees of API 75 and, depending on his nationality and where he is held, "
        "may be a protected person under the Fourth Convention: API 45(3))",
    ),
    (
        "c",
        "A fighter captured after an attack; he says he is a soldier, his captors doubt it, "
        "and no tribunal has yet ruled.",
        "protected_until_tribunal",
        "GCIII 5(2) (and API 45(1)): when there is doubt, the person is protected by the "
        "Convention until a competent tribunal has determined his status",
    ),
    (
        "d",
        "A member of a volunteer corps that forms part of a State's armed forces, captured "
        "in battle.",
        "prisoner_of_war",
        "GCIII 4A(1) names members of militias or volunteer corps forming part of the armed forces "
        "alongside the armed forces themselves",
    ),
)
_EX6_CHOICES = ("prisoner_of_war", "mercenary", "protected_until_tribunal")


@_register("ex6_q2", "clear cases of status", 4, cases=tuple((k, d) for k, d, _, _ in _EX6_CASES))
@_guarded
def _ex6_q2(answer: object) -> tuple[float, list[str]]:
    given = _call(answer)
    if not isinstance(given, dict):
        return 0.0, [f"Return a dict from case letter to one of {', '.join(_EX6_CHOICES)}."]
    messages, right = [], 0
    for key, _, expected, why in _EX6_CASES:
        value = given.get(key)
        if value is None:
            messages.append(f"Case {key}: no answer yet.")
        elif value not in _EX6_CHOICES:
            messages.append(f"Case {key}: {value!r} is not one of {', '.join(_EX6_CHOICES)}.")
        elif value == expected:
            right += 1
        else:
            messages.append(f"Case {key}: not {value!r}; {why}.")
    if messages:
        messages.insert(0, f"{right} of {len(_EX6_CASES)} cases right.")
    return right / len(_EX6_CASES), messages


# --------------------------------------------------------------------------- exercise 7: conflicts and detainees

#: The facts that classify an armed conflict, in the order the lesson asks about them.
_EX7_FACTS = (
    "states_fighting",
    "foreign_overall_control",
    "organised_group",
    "protracted_and_intense",
)
_EX7_TYPES = ("international", "non-international", "none")


def _ex7_expected_type(facts: dict) -> tuple[str, str]:
    """The conflict type for a set of facts, and the reason in the words of the law."""
    if facts["states_fighting"]:
        return "international", (
            "armed force between States is an international armed conflict, however brief "
            "(GCIII 2(1) applies to 'any other armed conflict' between States)"
        )
    if facts["organised_group"] and facts["foreign_overall_control"]:
        return "international", (
            "a State's overall control of the armed group makes the conflict international "
            "(ICTY, Tadić, 1999; lesson 10, section 4)"
        )
    if facts["organised_group"] and facts["protracted_and_intense"]:
        return "non-international", (
            "protracted armed violence between a State and an organised armed group is a "
            "non-international armed conflict (GCIII 3(1))"
        )
    if facts["organised_group"]:
        return "none", (
            "violence that is not protracted and intense enough is an internal disturbance, "
            "not an armed conflict (APII 1(2))"
        )
    return "none", (
        "without fighting between States or an organised armed group there is no armed "
        "conflict (APII 1(2)); domestic law and human rights law govern"
    )


@_register("ex7_q1", "classifying an armed conflict", 4)
@_guarded
def _ex7_q1(answer: object) -> tuple[float, list[str]]:
    if not callable(answer):
        return 0.0, ["Give the function conflict_type itself (without brackets), not its result."]
    wrong: list[tuple[dict, str, str, str]] = []
    total = 0
    for values in itertools.product((True, False), repeat=len(_EX7_FACTS)):
        facts = dict(zip(_EX7_FACTS, values))
        got = _call(answer, dict(facts))
        if got not in _EX7_TYPES:
            return 0.0, [
                f"conflict_type must return one of {', '.join(map(repr, _EX7_TYPES))}; "
                f"for {facts} it returned {got!r}."
            ]
        total += 1
        expected, why = _ex7_expected_type(facts)
        if got != expected:
            wrong.append((facts, got, expected, why))
    messages = []
    for facts, got, expected, why in wrong[:3]:
        shown = ", ".join(k for k, v in facts.items() if v) or "none of the facts"
        messages.append(f"With {shown}: you said {got!r}, but it is {expected!r}: {why}.")
    if len(wrong) > 3:
        messages.append(f"... and {len(wrong) - 3} more combinations of facts.")
    return (total - len(wrong)) / total, messages


_EX7_CASES: tuple[tuple[str, str, str, str], ...] = (
    (
        "a",
        "A Russian conscript captured by Ukrainian forces near Kharkiv in May 2022.",
        "GCIII",
        "a member of the armed forces of a party to an international armed conflict is a "
        "prisoner of war (GCIII 4A(1))",
    ),
    (
        "b",
        "A Ukrainian nurse, a civilian, detained by Russian forces in occupied territory in 2022 "
        "on suspicion of helping Ukraine's army.",
        "GCIV",
        "a civilian in the hands of an occupying power of which she is not a national is a "
        "protected person (GCIV 4); suspicion allows some rights to be restricted (GCIV 5), "
        "not humane treatment or a fair trial",
    ),
    (
        "c",
        "A fighter of an armed group captured by government forces, in a State that is a party "
        "to Protocol II, where the group holds a province and carries out sustained operations; "
        "no foreign State controls the group.",
        "CA3+APII",
        "in a non-international conflict that meets APII 1(1), common Article 3 and Protocol II "
        "protect every detainee; there is no prisoner-of-war status",
    ),
    (
        "d",
        "A member of a small armed group that holds no territory, captured by the forces of a "
        "State that is not a party to Protocol II, in an armed conflict with that group.",
        "CA3",
        "common Article 3 (GCIII 3(1)(1)) and customary law protect him; Protocol II does not "
        "apply, because the State is not a party and APII 1(1) is not met",
    ),
    (
        "e",
        "In an international armed conflict, a man in civilian clothes is captured after firing "
        "on soldiers; he says he belongs to the enemy's army, and his captors doubt it.",
        "tribunal",
        "he committed a belligerent act and his status is in doubt, so he is protected by the "
        "Convention until a competent tribunal decides (GCIII 5(2); API 45(1))",
    ),
    (
        "f",
        "A government soldier captured by an armed group that is under the overall control of a "
        "foreign State fighting the government.",
        "GCIII",
        "overall control makes the conflict international, and a member of a State's armed "
        "forces who falls into the enemy's power is a prisoner of war (GCIII 4A(1)); the "
        "controlling State answers for him (GCIII 12(1))",
    ),
)
_EX7_REGIMES = ("GCIII", "GCIV", "tribunal", "CA3+APII", "CA3")


@_register(
    "ex7_q2",
    "which law protects each detainee",
    6,
    cases=tuple((k, d) for k, d, _, _ in _EX7_CASES),
)
@_guarded
def _ex7_q2(answer: object) -> tuple[float, list[str]]:
    given = _call(answer)
    if not isinstance(given, dict):
        return 0.0, [f"Return a dict from case letter to one of {', '.join(_EX7_REGIMES)}."]
    messages, right = [], 0
    for key, _, expected, why in _EX7_CASES:
        value = given.get(key)
        if value is None:
            messages.append(f"Case {key}: no answer yet.")
        elif value not in _EX7_REGIMES:
            messages.append(f"Case {key}: {value!r} is not one of {', '.join(_EX7_REGIMES)}.")
        elif value == expected:
            right += 1
        else:
            messages.append(f"Case {key}: not {value!r}; {why}.")
    extra = sorted(set(map(str, given)) - {k for k, _, _, _ in _EX7_CASES})
    if extra:
        messages.append(f"There is no case {', '.join(extra)}; the cases are a to f.")
    if messages:
        messages.insert(0, f"{right} of {len(_EX7_CASES)} cases right.")
    return right / len(_EX7_CASES), messages


#: Case lists asked as one question but checked one by one (exercise 4's situations).
_CASE_SETS: dict[str, tuple[tuple[str, str], ...]] = {"ex4": _ex4_all_cases()}
