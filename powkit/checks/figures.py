"""Kinds of check for exercise 3 (returns in numbers): answers computed from the datasets.

These checks hold no numbers: every expected figure is computed from ``data/`` by the same
functions the lessons use (:mod:`powkit.data`), so a corrected dataset row corrects the key
with it, and the messages explain the rule (count each exchange once, a gap stays a gap).
"""

from __future__ import annotations

from powkit import data
from powkit.checks.base import Outcome, as_int_mapping, call, guarded


def _figures():
    return data.load_figures()


def _repatriations():
    return data.load_repatriations()


def _expected_totals() -> dict[str, int]:
    table = data.returned_totals(_figures())
    return {side: int(table.loc[side, "sum_of_listed"]) for side in table.index}


def _side_name(side: str) -> str:
    return {"ukraine": "Ukraine", "russia": "Russia"}.get(side, side)


@guarded
def returned_totals(answer: object, spec: dict) -> Outcome:
    """Soldiers returned to each side in the listed exchanges (the receiving side's count)."""
    df = _figures()
    given = as_int_mapping(call(answer, df.copy()), "totals_returned(figures)")
    expected = _expected_totals()
    messages, right = [], 0
    pairs = data.exchanges(df)
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


@guarded
def announced_gap(answer: object, spec: dict) -> Outcome:
    """How much of the latest announced total the listed exchanges do not account for."""
    df = _figures()
    table = data.returned_totals(df)
    announced = int(table.loc["ukraine", "announced_total"])
    listed = int(table.loc["ukraine", "sum_of_listed"])
    want = announced - listed
    given = call(answer, df.copy())
    try:
        got = int(given)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0.0, [f"Return one whole number, not {given!r}."]
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


@guarded
def days_to_last_repatriation(answer: object, spec: dict) -> Outcome:
    """Days from the end of hostilities to the last repatriation, where both dates are known."""
    df = _repatriations()
    given = as_int_mapping(call(answer, df.copy()), "days_to_last_repatriation(repatriations)")
    known = data.repatriation_durations(df).set_index("id")
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


@guarded
def chart_explains_itself(answer: object, spec: dict) -> Outcome:
    """A chart of the durations with a title and both axes labelled."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    durations = data.repatriation_durations(_repatriations())
    figure = call(answer, durations.copy())
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
    title = ax.get_title() or figure.get_suptitle()
    if not title.strip():
        messages.append("Give the chart a title that says what it shows (ax.set_title).")
    if not ax.get_xlabel().strip() or not ax.get_ylabel().strip():
        messages.append(
            "Label both axes, with units where there are any (ax.set_xlabel, ax.set_ylabel)."
        )
    return (1.0 if not messages else 0.5), messages
