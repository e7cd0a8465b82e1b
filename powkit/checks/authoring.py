"""Kinds of check for writing content: a question bank that passes the kit's own validator.

The check runs the same validation as ``powkit validate`` (:mod:`powkit.banks`), against the
shipped banks too (so a reused question id is caught), and reports the same messages.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from powkit.banks import Bank
from powkit.checks.base import Outcome, call, guarded


def _validate_bank_text(text: str) -> tuple[list[str], Bank | None]:
    """Problems the kit's validator finds in a bank written as YAML text (and the loaded bank)."""
    from powkit import banks

    with tempfile.TemporaryDirectory(prefix="powkit-ex5-") as tmp:
        path = Path(tmp) / "your-bank.yaml"
        path.write_text(text, encoding="utf-8")
        result = banks.validate([path, *banks.bank_files()])
        mine = str(path)
        problems = [str(p).replace(mine, "your bank") for p in result.problems if p.path == mine]
        loaded = next((b for b in result.banks if b.path == mine), None)
    return problems, loaded


@guarded
def valid_bank(answer: object, spec: dict) -> Outcome:
    """A question bank, written as YAML text, that passes the kit's validator."""
    text = call(answer)
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
    wanted = int(spec.get("questions", 2))
    if len(bank.questions) != wanted:
        messages.append(f"Write exactly {wanted} questions; your bank has {len(bank.questions)}.")
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
