"""What every kind of check shares: calling the student's code safely, and reading citations.

A check never crashes the student's notebook: an unfinished answer (``...``, or a function that
still raises ``NotImplementedError``) is *not yet done*, and an answer whose code raises is
reported in one line. Nothing here holds an answer: the answers are in the exercise's check file
(``solutions/<exercise>.checks.yaml``) or are computed from the kit's data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from string import Template

from powkit.convention import CitationError, article, cite, resolve

#: What a kind of check returns: the fraction of the points earned, and messages in plain words.
Outcome = tuple[float, list[str]]


class NotDone(Exception):
    """The student's answer is still the placeholder."""


class StudentError(Exception):
    """The student's code raised, or returned something of the wrong shape; the message says so."""


def call(answer: object, *args: object) -> object:
    """Call the student's function; an unfinished one means 'not yet done', not a crash."""
    if not callable(answer):
        return answer
    try:
        value = answer(*args)
    except NotImplementedError:
        raise NotDone from None
    except NotDone:
        raise
    except Exception as error:
        raise StudentError(f"your function raised {type(error).__name__}: {error}") from None
    if value is ...:
        raise NotDone
    return value


def guarded(run: Callable[[object, dict], Outcome]) -> Callable[[object, dict], Outcome]:
    """Turn a :class:`StudentError` raised inside a check into a message, not a traceback."""

    def wrapped(answer: object, spec: dict) -> Outcome:
        try:
            return run(answer, spec)
        except StudentError as error:
            return 0.0, [f"{error}. Fix the error, run the cell, then check again."]

    wrapped.__doc__ = run.__doc__
    wrapped.__name__ = run.__name__
    return wrapped


def fill(template: str, **values: object) -> str:
    """A message from its check file, with ``${name}`` filled in (nothing else is evaluated)."""
    return Template(" ".join(template.split())).safe_substitute(
        {k: str(v) for k, v in values.items()}
    )


def clause(citation: str) -> str:
    """A lettered condition as a phrase, from the treaty text: 'that of carrying arms openly;'
    becomes 'carrying arms openly'."""
    text = " ".join(cite(citation).split())
    text = re.sub(r"^that of ", "", text)
    return text.rstrip(";.,").removesuffix(" and").removesuffix(" or").rstrip(";,")


def same_citation(given: str, expected: str) -> tuple[bool, str]:
    """Does a student's citation name the expected provision? (ok, message if not)."""
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


def as_int_mapping(value: object, what: str) -> dict[str, int]:
    import pandas as pd

    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, dict):
        raise StudentError(
            f"{what} should be a dict or a pandas Series, not {type(value).__name__}"
        )
    out: dict[str, int] = {}
    for key, number in value.items():
        try:
            out[str(key)] = int(number)
        except (TypeError, ValueError):
            raise StudentError(
                f"{what}[{key!r}] should be a whole number, not {number!r}"
            ) from None
    return out
