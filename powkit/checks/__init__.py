"""The kinds of check an exercise can use, by the name its check file gives them.

An exercise's checks are declared in its check file, ``solutions/<exercise>.checks.yaml``,
beside the solution notebook: each check names a *kind* from :data:`CHECK_KINDS` and gives the
answer key, the cases and the messages that kind needs. The kinds are code and hold no answers;
the framework that loads the files and runs the checks is :mod:`powkit.grading` (the
otter-grader idea: per-question checks beside the assignment, a framework without answers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from powkit.checks import authoring, figures, law
from powkit.checks.base import NotDone, Outcome

__all__ = ["CHECK_KINDS", "CheckKind", "NotDone", "Outcome"]


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: the function that runs it and the fields its check file must give."""

    run: Callable[[object, dict], Outcome]
    required: tuple[str, ...] = ()
    #: Of these, exactly one must be given.
    one_of: tuple[str, ...] = ()
    #: Fields that hold citations (or lists of mappings with a ``citation``/``expected`` field).
    citations: tuple[str, ...] = ()


#: Every kind of check, by the name a check file uses.
CHECK_KINDS: dict[str, CheckKind] = {
    "cumulative-conditions": CheckKind(
        law.cumulative_conditions, ("conditions", "messages"), citations=("conditions",)
    ),
    "classify-citations": CheckKind(law.classify_citations, ("cases",), citations=("cases",)),
    "classify-choices": CheckKind(law.classify_choices, ("cases", "choices")),
    "decision-rules": CheckKind(law.decision_rules, ("facts", "answers", "rules")),
    "citation": CheckKind(
        law.citation, ("hint",), one_of=("expected", "expected_words"), citations=("expected",)
    ),
    "valid-bank": CheckKind(authoring.valid_bank),
    "returned-totals": CheckKind(figures.returned_totals),
    "announced-gap": CheckKind(figures.announced_gap),
    "days-to-last-repatriation": CheckKind(figures.days_to_last_repatriation),
    "chart-explains-itself": CheckKind(figures.chart_explains_itself),
}
