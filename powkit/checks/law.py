"""Kinds of check that apply a rule of law: cumulative conditions, classifying cases, citing.

Each kind reads its answer key and its messages from the exercise's check file (the ``spec``),
so that the wording of the law lives with the exercise and not in code. Messages are filled
with :func:`~powkit.checks.base.fill` (``${missing}``, ``${count}``); nothing else in a check
file is evaluated.
"""

from __future__ import annotations

import itertools

from powkit.checks.base import (
    NotDone,
    Outcome,
    call,
    clause,
    fill,
    guarded,
    same_citation,
)
from powkit.convention import articles

_NONE = (None, "", "none", "None")


def _condition_phrase(condition: dict) -> str:
    """How a failed condition is named: its own phrase, or the treaty's words and citation."""
    if condition.get("phrase"):
        return str(condition["phrase"])
    citation = str(condition["citation"])
    return f"{clause(citation)} ({citation})"


@guarded
def cumulative_conditions(answer: object, spec: dict) -> Outcome:
    """A function of yes/no facts that must say True exactly when every condition holds.

    Every combination of the facts is tried; the messages name the conditions a wrongly
    accepted case lacks (at most three cases), in the words of the treaty.
    """
    name = spec["function"]
    if not callable(answer):
        return 0.0, [f"Give the function {name} itself (without brackets), not its result."]
    conditions = spec["conditions"]
    keys = [str(c["key"]) for c in conditions]
    messages_of = spec["messages"]
    wrong_accept: list[tuple[int, list[str]]] = []
    wrongly_rejected = 0
    for values in itertools.product((True, False), repeat=len(keys)):
        facts = dict(zip(keys, values))
        got = call(answer, dict(facts))
        if not isinstance(got, bool):
            return 0.0, [f"{name} must return True or False; for {facts} it returned {got!r}"]
        expected = all(values)
        if got and not expected:
            missing = [_condition_phrase(c) for c, v in zip(conditions, values) if not v]
            wrong_accept.append((len(missing), missing))
        elif expected and not got:
            wrongly_rejected += 1
    messages = []
    if wrongly_rejected:
        messages.append(fill(messages_of["rejected"]))
    joiner = str(spec.get("joiner", "; "))
    for _, missing in sorted(wrong_accept)[:3]:
        messages.append(fill(messages_of["accepted"], missing=joiner.join(missing)))
    if len(wrong_accept) > 3:
        messages.append(fill(messages_of["more"], count=len(wrong_accept) - 3))
    if not messages:
        return 1.0, []
    total = 2 ** len(keys)
    right = total - len(wrong_accept) - wrongly_rejected
    return (right / total / 2 if spec.get("partial_credit") else 0.0), messages


def _extra_cases(given: dict, spec: dict) -> list[str]:
    """A message for answers to cases the exercise does not have (a typo in a key)."""
    keys = [str(c["key"]) for c in spec["cases"]]
    extra = sorted(set(map(str, given)) - set(keys))
    if not extra:
        return []
    return [f"There is no case {', '.join(extra)}; the cases are {', '.join(keys)}."]


def _case_verdicts(given: dict, spec: dict, judge) -> Outcome:
    """Judge every case; the messages start with how many are right, and name stray keys."""
    messages, right = [], 0
    for case in spec["cases"]:
        verdict = judge(case, given)
        if verdict is None:
            right += 1
        else:
            messages.append(f"Case {case['key']}: {verdict}")
    total = len(spec["cases"])
    messages.extend(_extra_cases(given, spec))
    if messages:
        messages.insert(0, f"{right} of {total} cases right.")
    return right / total, messages


@guarded
def classify_citations(answer: object, spec: dict) -> Outcome:
    """A dict from case letter to the citation that decides it, or "none"."""
    given = call(answer)
    if not isinstance(given, dict):
        return 0.0, [
            f"Return a dict from case letter to citation, like {{'a': 'GCIII 4A(1)'}}, "
            f"not {type(given).__name__}."
        ]

    def judge(case: dict, given: dict) -> str | None:
        key, expected, why = str(case["key"]), str(case["expected"]), " ".join(case["why"].split())
        if key not in given:
            return "no answer yet."
        value = given[key]
        if expected == "none":
            if value in _NONE:
                return None
            return f"you chose {value!r}, but {why}. Answer 'none'."
        if value in _NONE:
            return f"you answered 'none', but {why}."
        ok, problem = same_citation(str(value), expected)
        return None if ok else f"{problem}; {why}."

    return _case_verdicts(given, spec, judge)


@guarded
def classify_choices(answer: object, spec: dict) -> Outcome:
    """A dict from case letter to one of a fixed list of answers (``choices``)."""
    choices = [str(c) for c in spec["choices"]]
    given = call(answer)
    if not isinstance(given, dict):
        return 0.0, [f"Return a dict from case letter to one of {', '.join(choices)}."]

    def judge(case: dict, given: dict) -> str | None:
        value = given.get(str(case["key"]))
        if value is None:
            return "no answer yet."
        if value not in choices:
            return f"{value!r} is not one of {', '.join(choices)}."
        if value == case["expected"]:
            return None
        return f"not {value!r}; {' '.join(case['why'].split())}."

    return _case_verdicts(given, spec, judge)


@guarded
def decision_rules(answer: object, spec: dict) -> Outcome:
    """A function of yes/no ``facts`` that must give the answer of the first rule that applies.

    The check file lists ``rules`` in order, each with the facts it needs (``when``), the
    ``answer`` and the reason in the words of the law (``why``); every combination of facts is
    tried, and the messages name at most three combinations the function gets wrong.
    """
    name = spec["function"]
    if not callable(answer):
        return 0.0, [f"Give the function {name} itself (without brackets), not its result."]
    facts_names = [str(f) for f in spec["facts"]]
    answers = [str(a) for a in spec["answers"]]
    wrong: list[tuple[dict, object, str, str]] = []
    total = 0
    for values in itertools.product((True, False), repeat=len(facts_names)):
        facts = dict(zip(facts_names, values))
        got = call(answer, dict(facts))
        if got not in answers:
            return 0.0, [
                f"{name} must return one of {', '.join(map(repr, answers))}; "
                f"for {facts} it returned {got!r}."
            ]
        total += 1
        rule = next(r for r in spec["rules"] if all(facts[str(k)] for k in r.get("when") or []))
        expected, why = str(rule["answer"]), " ".join(str(rule["why"]).split())
        if got != expected:
            wrong.append((facts, got, expected, why))
    messages = []
    for facts, got, expected, why in wrong[:3]:
        shown = ", ".join(k for k, v in facts.items() if v) or "none of the facts"
        messages.append(f"With {shown}: you said {got!r}, but it is {expected!r}: {why}.")
    if len(wrong) > 3:
        messages.append(f"... and {len(wrong) - 3} more combinations of facts.")
    return (total - len(wrong)) / total, messages


def _paragraph_with(words: str, treaty: str) -> str:
    """The paragraph of a treaty whose words include ``words``, found in the data."""
    for art in articles(treaty):
        for para in art.paragraphs:
            if words.lower() in para.full_text().lower():
                return f"{treaty} {art.number}({para.label})"
    raise LookupError(f"no paragraph of {treaty} mentions {words!r}")


@guarded
def citation(answer: object, spec: dict) -> Outcome:
    """The citation of the provision that governs a situation.

    With ``case``, the answer is a dict from situation letter to citation (one check per
    situation); otherwise it is the citation itself. The expected provision is ``expected``,
    or the paragraph whose words include ``expected_words`` (so a correction of the treaty text
    corrects the key with it).
    """
    expected = spec.get("expected") or _paragraph_with(
        spec["expected_words"], spec.get("treaty", "GCIII")
    )
    case = spec.get("case")
    given = call(answer)
    if case is not None:
        key = str(case["key"])
        if not isinstance(given, dict):
            return 0.0, [
                f"{spec['function']}() should return a dict like {{'{key}': 'GCIII 13(2)'}}, "
                f"not {type(given).__name__}."
            ]
        if key not in given or given[key] in (None, "", ...):
            raise NotDone
        ok, problem = same_citation(given[key], expected)
        return (1.0, []) if ok else (0.0, [f"Situation {key}: {problem}. {fill(spec['hint'])}"])
    ok, problem = same_citation(given if isinstance(given, str) else repr(given), expected)
    if ok:
        return 1.0, []
    return 0.0, [f"{problem[:1].upper()}{problem[1:]}. {fill(spec['hint'])}"]
