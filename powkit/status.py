"""The StatusTree widget: walk one person through a decision tree, a yes/no question at a time.

In a notebook::

    from powkit.status import StatusTree
    StatusTree()              # the status tree: who is a prisoner of war?
    StatusTree("status")      # any tree by id (data/trees/<id>.yaml)

The tree itself (its format, loading and checks) is :mod:`powkit.trees`. The widget uses only
standard ipywidgets controls (toggle buttons for Yes/No, buttons for Next, Back and Start
again), so it works from the keyboard: Tab reaches each button, Space or Enter presses it.
Every text from the data file is escaped; treaty text comes from
:func:`powkit.convention.passage_html`.

Python API, for tests and the browser harness: ``select("yes")``, ``next()``, ``answer("no")``
(select and next), ``back()``, ``restart()``, ``walk([...])``, and the read-only ``current``,
``path`` and ``outcome``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

import ipywidgets as widgets
import traitlets

from powkit import convention
from powkit.markup import live_region, style_tag
from powkit.trees import (
    ANSWERS,
    OUTCOME_KINDS,
    DecisionNode,
    Outcome,
    Tree,
    TreeError,
    as_answer,
    default_tree_path,
    load_tree,
    parse_tree,
)

__all__ = [
    "ANSWERS",
    "OUTCOME_KINDS",
    "DecisionNode",
    "Outcome",
    "StatusTree",
    "Tree",
    "TreeError",
    "default_tree_path",
    "load_tree",
    "parse_tree",
]


# --------------------------------------------------------------------------- widget


class StatusTree(widgets.VBox):
    """Walk one person through Article 4, a yes/no question at a time.

    The panel shows the question, the provisions it tests (exact text), the path taken so far
    and, at the end, the outcome with the exact words of the deciding provisions. **Back**
    undoes the last answer; **Start again** clears the path. ``current`` (the node or outcome
    reached) and ``finished`` are traitlets that callers can observe.
    """

    current = traitlets.Unicode(
        "", read_only=True, help="The id of the question (node) or outcome the walk has reached."
    )
    finished = traitlets.Bool(False, read_only=True, help="True once an outcome is reached.")

    def __init__(self, tree: Tree | str | Path | None = None):
        self.tree = tree if isinstance(tree, Tree) else load_tree(tree)
        self._steps: list[tuple[str, str]] = []
        self._here = self.tree.start

        self._title = widgets.HTML(
            f"<h3>{html.escape(self.tree.title)}</h3>"
            + (f"<p>{html.escape(self.tree.description)}</p>" if self.tree.description else "")
        )
        self._question = widgets.HTML()
        self._question.add_class("powkit-status-question")
        self._choice = widgets.ToggleButtons(
            options=[("Yes", "yes"), ("No", "no")],
            value=None,
            tooltips=["Answer yes to this question", "Answer no to this question"],
            description="",
        )
        self._choice.add_class("powkit-status-answer")
        self._next = widgets.Button(
            description="Next",
            tooltip="Go on with the answer you chose",
            button_style="primary",
            disabled=True,
        )
        self._next.add_class("powkit-status-next")
        self._back = widgets.Button(
            description="Back", tooltip="Undo the last answer", disabled=True
        )
        self._back.add_class("powkit-status-back")
        self._restart = widgets.Button(
            description="Start again", tooltip="Clear the path and start again"
        )
        self._restart.add_class("powkit-status-restart")
        self._articles = widgets.HTML()
        self._articles.add_class("powkit-status-articles")
        self._path_html = widgets.HTML()
        self._path_html.add_class("powkit-status-path")
        self._outcome_html = widgets.HTML()
        self._outcome_html.add_class("powkit-status-outcome")

        self._choice.observe(
            lambda change: setattr(self._next, "disabled", change["new"] is None), names="value"
        )
        self._next.on_click(lambda _: self.next())
        self._back.on_click(lambda _: self.back())
        self._restart.on_click(lambda _: self.restart())

        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._title,
                self._path_html,
                self._question,
                self._choice,
                widgets.HBox([self._back, self._next, self._restart]),
                self._outcome_html,
                self._articles,
            ]
        )
        self.add_class("powkit-status")
        self._show()

    # -- public API --------------------------------------------------------------------------

    @property
    def path(self) -> list[tuple[str, str]]:
        """The answers so far, as (node id, 'yes'|'no') pairs."""
        return list(self._steps)

    @property
    def outcome(self) -> Outcome | None:
        """The outcome reached, or None while questions remain."""
        return self.tree.outcomes.get(self._here)

    def select(self, answer: str) -> None:
        """Choose Yes or No for the current question (as clicking the toggle does)."""
        if self.outcome is not None:
            raise ValueError(f"the walk has ended at {self._here!r}; press Back or Start again")
        self._choice.value = as_answer(answer)

    def next(self) -> None:
        """Go on with the chosen answer; does nothing if none is chosen."""
        if self.outcome is not None or self._choice.value is None:
            return
        answer = self._choice.value
        self._steps.append((self._here, answer))
        self._here = self.tree.nodes[self._here].goto(answer)
        self._show()

    def answer(self, answer: str) -> None:
        """Select an answer and go on, in one step."""
        self.select(answer)
        self.next()

    def walk(self, answers: Iterable[str]) -> Outcome | None:
        """Answer several questions in turn from where the walk is; returns the outcome if reached."""
        for a in answers:
            self.answer(a)
        return self.outcome

    def back(self) -> None:
        """Undo the last answer."""
        if not self._steps:
            return
        self._here, previous = self._steps.pop()
        self._show(selected=previous)

    def restart(self) -> None:
        """Clear the path and return to the first question."""
        self._steps = []
        self._here = self.tree.start
        self._show()

    # -- rendering ---------------------------------------------------------------------------

    def _show(self, selected: str | None = None) -> None:
        self.set_trait("current", self._here)
        self.set_trait("finished", self._here in self.tree.outcomes)
        self._path_html.value = self._path_markup()
        self._back.disabled = not self._steps
        outcome = self.outcome
        if outcome is None:
            node = self.tree.nodes[self._here]
            number = len(self._steps) + 1
            extra = f"<p><small>{html.escape(node.help)}</small></p>" if node.help else ""
            if node.contested:
                extra += f'<p class="powkit-contested"><strong>Contested:</strong> {html.escape(node.contested)}</p>'
            self._question.value = (
                f'<p role="heading" aria-level="4"><strong>Question {number}.</strong> '
                f"{html.escape(node.question)}</p>{extra}"
            )
            self._choice.value = selected
            self._choice.disabled = False
            self._next.disabled = selected is None
            self._outcome_html.value = ""
            self._articles.value = (
                "<details><summary>The provisions this question tests</summary>"
                + "".join(convention.passage_html(c) for c in node.articles)
                + "</details>"
            )
            return
        self._question.value = ""
        self._choice.value = None
        self._choice.disabled = True
        self._next.disabled = True
        contested = (
            f'<p class="powkit-contested"><strong>Contested:</strong> {html.escape(outcome.contested)}</p>'
            if outcome.contested
            else ""
        )
        self._outcome_html.value = live_region(
            f"<p><strong>Outcome: {html.escape(outcome.label)}.</strong></p>"
            f"<h4>{html.escape(outcome.title)}</h4><p>{html.escape(outcome.text)}</p>{contested}"
        )
        self._articles.value = (
            "<p><strong>The deciding provisions, word for word:</strong></p>"
            + "".join(convention.passage_html(c) for c in outcome.articles)
        )

    def _path_markup(self) -> str:
        if not self._steps:
            return "<p><small>Path: (no answers yet)</small></p>"
        items = "".join(
            f"<li>{html.escape(self.tree.nodes[n].question)} <strong>{a.capitalize()}</strong> "
            f"<small>({html.escape(', '.join(self.tree.nodes[n].articles))})</small></li>"
            for n, a in self._steps
        )
        return f"<details open><summary>Path taken ({len(self._steps)} answers)</summary><ol>{items}</ol></details>"
