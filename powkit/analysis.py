"""Item analysis of quiz results: which questions work, and which mislead.

``powkit report results/*.csv`` reads the answers learners exported with
``powkit export-progress`` (the columns are :data:`powkit.progress.EXPORT_COLUMNS`, one
definition for writing and reading) and prints, per question, the share correct, the most
chosen wrong option and a discrimination index, and saves a chart (see :func:`item_analysis`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from powkit.progress import EXPORT_COLUMNS

__all__ = [
    "GROUP_SHARE",
    "LOW_DISCRIMINATION",
    "format_report",
    "item_analysis",
    "load_results",
    "report_chart",
]


#: Share of learners in each of the upper and lower groups (Kelley's 27%).
GROUP_SHARE = 0.27
#: Below this discrimination index an item is flagged as weak (a common rule of thumb).
LOW_DISCRIMINATION = 0.2


def load_results(paths: Iterable[str | Path]):
    """Exported quiz answers from several CSV files, one row per answer, checked as read.

    Every file must have the columns of ``python -m powkit export-progress``; a bad file stops
    with an error naming the file, the line and what to fix.
    """

    rows = []
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("no result files given; export them with python -m powkit export-progress")
    for path in paths:
        try:
            handle = open(path, newline="", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as error:
            raise ValueError(f"{path}: cannot read ({error.strerror or error})") from None
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in EXPORT_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(
                    f"{path}: line 1: missing column(s) {', '.join(missing)}; export "
                    "the file with python -m powkit export-progress"
                )
            for line, raw in enumerate(reader, start=2):
                correct = (raw["correct"] or "").strip().lower()
                if correct not in ("true", "false"):
                    raise ValueError(
                        f"{path}: line {line}: correct is {raw['correct']!r}; "
                        "it must be true or false"
                    )
                rows.append(
                    {
                        "learner": raw["learner"].strip(),
                        "bank": raw["bank"].strip(),
                        "question": raw["question"].strip(),
                        "topic": raw["topic"].strip(),
                        "chosen": (raw["chosen"] or "").strip(),
                        "correct": correct == "true",
                        "answered_at": raw["answered_at"].strip(),
                        "file": str(path),
                    }
                )
    return pd.DataFrame(rows, columns=[*EXPORT_COLUMNS, "file"])


def _option_label(chosen: str) -> str:
    """'0;2' -> 'A+C': option letters in the order the bank lists them."""
    if not chosen:
        return "(none)"
    try:
        return "+".join(chr(ord("A") + int(i)) for i in chosen.split(";"))
    except ValueError:
        return chosen


def item_analysis(results: pd.DataFrame) -> pd.DataFrame:
    """Per question: how many answered, share correct, the most chosen wrong option, and the
    discrimination index D = (share correct in the upper 27%) - (share correct in the lower 27%).

    Each learner's *first* answer to a question counts (later attempts follow feedback, so they
    measure the feedback, not the learner). Learners are ranked by their number of correct first
    answers over all questions; D near 0 means the item does not tell stronger from weaker
    learners, and a negative D usually means a wrong key or a misleading question.

    Returns a DataFrame (one row per bank and question) with a ``flag`` column in words.
    """

    columns = [
        "bank",
        "question",
        "topic",
        "answered",
        "share_correct",
        "top_wrong",
        "top_wrong_share",
        "discrimination",
        "flag",
    ]
    if results.empty:
        return pd.DataFrame(columns=columns)
    first = results.sort_values(["answered_at", "learner"], kind="stable").drop_duplicates(
        ["learner", "bank", "question"], keep="first"
    )
    totals = first.groupby("learner")["correct"].sum()
    ranked = sorted(totals.index, key=lambda learner: (totals[learner], learner))  # weakest first
    size = max(1, round(len(ranked) * GROUP_SHARE))
    lower, upper = set(ranked[:size]), set(ranked[-size:])
    records = []
    for (bank, question), group in first.groupby(["bank", "question"], sort=True):
        wrong = group[~group["correct"]]
        if len(wrong):
            counts = wrong["chosen"].value_counts()
            top = counts.index[0]
            top_label, top_share = _option_label(top), counts.iloc[0] / len(group)
        else:
            top_label, top_share = "", 0.0
        up = group[group["learner"].isin(upper)]["correct"]
        low = group[group["learner"].isin(lower)]["correct"]
        d = (up.mean() - low.mean()) if len(up) and len(low) else float("nan")
        share = group["correct"].mean()
        records.append(
            {
                "bank": bank,
                "question": question,
                "topic": group["topic"].iloc[0],
                "answered": len(group),
                "share_correct": share,
                "top_wrong": top_label,
                "top_wrong_share": top_share,
                "discrimination": d,
                "flag": _flag_item(share, d),
            }
        )
    return pd.DataFrame(records, columns=columns)


def _flag_item(share: float, d: float) -> str:
    notes = []
    if not math.isnan(d):
        if d < 0:
            notes.append(
                "NEGATIVE discrimination: stronger learners get it wrong more often; "
                "check the key and the wording"
            )
        elif d < LOW_DISCRIMINATION:
            notes.append("low discrimination")
    if share > 0.95:
        notes.append("almost everyone right")
    elif share < 0.2:
        notes.append("very hard")
    return "; ".join(notes)


def format_report(table) -> str:
    """The item analysis as a plain-text table, worst discrimination first."""
    if table.empty:
        return "No answers in the files."
    shown = table.sort_values(["discrimination", "bank", "question"], na_position="last")
    lines = [f"{'question':<24} {'n':>4} {'correct':>8} {'top wrong':>11} {'D':>6}  flag"]
    for r in shown.itertuples():
        wrong = f"{r.top_wrong} ({r.top_wrong_share:.0%})" if r.top_wrong else "-"
        d = "  n/a" if math.isnan(r.discrimination) else f"{r.discrimination:+.2f}"
        lines.append(
            f"{r.bank + '/' + r.question:<24} {r.answered:>4} {r.share_correct:>8.0%} "
            f"{wrong:>11} {d:>6}  {r.flag}"
        )
    lines.append("")
    lines.append(
        f"D = share correct in the top {GROUP_SHARE:.0%} of learners minus the bottom "
        f"{GROUP_SHARE:.0%} (by total score, first attempts). Options are lettered A, B, "
        "C... in the order of the bank."
    )
    return "\n".join(lines)


def report_chart(table, path: str | Path, title: str = "Quiz item analysis"):
    """Save a two-panel chart: share correct and discrimination per question (PNG)."""
    from matplotlib.figure import Figure

    shown = table.sort_values(["bank", "question"])
    labels = [f"{b}/{q}" for b, q in zip(shown["bank"], shown["question"])]
    height = max(3.0, 0.35 * len(labels) + 1.5)
    fig = Figure(figsize=(10, height), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    y = range(len(labels))
    left.barh(list(y), shown["share_correct"], color="#4c78a8")
    left.set_xlim(0, 1)
    left.set_xlabel("Share of learners correct (first attempt)")
    left.set_ylabel("Question (bank/id)")
    left.set_yticks(list(y), labels)
    left.invert_yaxis()
    d = shown["discrimination"].fillna(0)
    colours = [
        "#a4262c" if v < 0 else ("#e0a030" if v < LOW_DISCRIMINATION else "#1e7b34") for v in d
    ]
    right.barh(list(y), d, color=colours)
    right.axvline(0, color="black", linewidth=0.8)
    right.axvline(LOW_DISCRIMINATION, color="grey", linestyle="--", linewidth=0.8)
    right.set_xlim(-1, 1)
    right.set_xlabel("Discrimination index D (upper 27% - lower 27%)")
    fig.suptitle(title)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return fig
