"""The Quiz and Scenario widgets: practise applying the Convention, with feedback that quotes it.

In a notebook one line is enough::

    from powkit.quiz import Quiz, Scenario
    Quiz("public-curiosity")            # a bank by id, a bank file, a folder, or a list
    Scenario("press-officer")           # a scenario by id or file

Both are built only from standard ipywidgets controls (radio buttons, checkboxes, buttons, an
accordion for an exam's review) and the browser's own disclosure panels for the cited articles,
so they work by keyboard: Tab reaches the options, buttons and panels, arrows or Space choose,
Enter or Space presses a button or opens a panel. Every text that comes from a bank is passed through
``html.escape`` before it reaches an HTML widget, and treaty text comes from
``powkit.convention.passage_html``: a bank containing ``<script>`` shows those characters and
runs nothing.

The widgets also have a small Python API (``select``, ``check``, ``next``, ``feedback_html``,
``score``, ``summary``; ``choose`` for scenarios) so that tests and the browser harness can drive
them exactly as a learner would.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import ipywidgets as widgets
import traitlets

from powkit import banks as _banks
from powkit import convention
from powkit.banks import Bank, Question, topic_label
from powkit.markup import live_region, paragraphs, source_list, style_tag, symbol, table
from powkit.progress import Progress

__all__ = ["Quiz", "Scenario", "Score", "topic_label"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _passage_title(citation: str) -> str:
    """Accordion title for a citation: 'GCIII 13(2) (Humane treatment of prisoners)'."""
    try:
        from powkit.convention import resolve

        found = resolve(citation)
    except (ValueError, OSError, KeyError):  # CitationError is a ValueError; the panel shows why
        return citation
    if len(found) == 1:
        return f"{citation} ({found[0].heading})"
    return citation


def _passage_block(citation: str) -> str:
    return convention.passages_block([citation])


def _articles_panels(citations: Iterable[str], open_first: bool = True) -> str:
    """The exact words of each cited article, one panel per citation that opens and closes.

    Native ``<details>``/``<summary>`` panels in one HTML widget, not an ipywidgets Accordion:
    Check then sends the browser one message with the text instead of creating a widget (with its
    layout and style) per article, which was most of the time between Check and the feedback.
    The panels open with Enter or Space, and screen readers announce them as expandable.
    """
    citations = list(dict.fromkeys(citations))
    if not citations:
        return ""
    panels = "".join(
        f'<details class="powkit-article-panel"{" open" if n == 0 and open_first else ""}>'
        f"<summary>{html.escape(_passage_title(c))}</summary>"
        f'<div class="powkit-passage-text">{_passage_block(c)}</div></details>'
        for n, c in enumerate(citations)
    )
    return (
        f'<div class="powkit-articles mathjax_ignore" role="group" aria-label="Articles cited">'
        f"{panels}</div>"
    )


class Score(NamedTuple):
    correct: int
    answered: int
    total: int


@dataclass
class _Answer:
    question: Question
    chosen: tuple[int, ...]  # bank order
    correct: bool
    saved: bool = False  # loaded from a previous session


def _button(description: str, tooltip: str, cls: str, style: str = "") -> widgets.Button:
    b = widgets.Button(description=description, tooltip=tooltip, button_style=style)
    b.add_class(cls)
    return b


def _as_questions(source: object) -> tuple[list[Question], str]:
    """Questions and a title from a Bank, a path, a bank id, or an iterable of those/questions."""
    if isinstance(source, Bank):
        return list(source.questions), source.title
    if isinstance(source, Question):
        return [source], ""
    if isinstance(source, (str, Path)):
        p = Path(source)
        if p.is_dir():
            found = _banks.load_banks(p)
            return [q for b in found for q in b.questions], ""
        if p.suffix in (".yaml", ".yml") or p.exists():
            bank = _banks.load_bank(p)
            return list(bank.questions), bank.title
        bank = _find_bank(str(source))
        return list(bank.questions), bank.title
    questions: list[Question] = []
    titles = []
    for item in source:  # type: ignore[attr-defined]
        qs, title = _as_questions(item)
        questions.extend(qs)
        if title:
            titles.append(title)
    return questions, " + ".join(titles) if len(titles) <= 2 else ""


def _find_bank(name: str) -> Bank:
    return _banks.find_bank(name)


_ALL = "all"  # dropdown value for "no filter" (ipywidgets treats a value of None as "nothing selected")


def _as_filter(value: object) -> tuple | None:
    if value is None or value == _ALL:
        return None
    if isinstance(value, (str, int)):
        return (value,)
    return tuple(value)  # type: ignore[arg-type]


class Quiz(widgets.VBox):
    """One question at a time: choose, Check for feedback and the articles, then Next.

    ``bank_or_questions`` is a :class:`~powkit.banks.Bank`, a bank file or folder, a bank id, or a
    list of those or of questions. ``topics`` and ``difficulty`` filter (one value or several);
    ``seed`` fixes the shuffle of questions and options (None: a fresh random seed, kept in
    ``quiz.seed``); ``exam=True`` withholds feedback until the end, then shows a review;
    ``progress=True`` saves answers to the learner's progress file (or pass a
    :class:`powkit.progress.Progress`) and resumes at the first unanswered question.

    State that callers read is declared as traitlets (observe them with ``quiz.observe``):
    ``correct``, ``answered``, ``total``, ``current_id`` and ``finished``.
    """

    correct = traitlets.Int(0, read_only=True, help="Answers right so far in this run.")
    answered = traitlets.Int(0, read_only=True, help="Questions answered so far in this run.")
    total = traitlets.Int(0, read_only=True, help="Questions in this run (after the filters).")
    current_id = traitlets.Unicode(
        "", read_only=True, help="The id of the question on screen; empty when the quiz is over."
    )
    finished = traitlets.Bool(False, read_only=True, help="True once every question is answered.")

    def __init__(
        self,
        bank_or_questions: object,
        topics: str | Iterable[str] | None = None,
        difficulty: int | Iterable[int] | None = None,
        seed: int | None = None,
        exam: bool = False,
        progress: Progress | bool | None = None,
        shuffle: bool = True,
        title: str | None = None,
    ):
        questions, default_title = _as_questions(bank_or_questions)
        if not questions:
            raise ValueError("a quiz needs at least one question")
        ids = [q.id for q in questions]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"question ids must be unique in a quiz; repeated: {', '.join(dup)}")
        self._all: list[Question] = questions
        self.title = title if title is not None else default_title
        self.seed: int = seed if seed is not None else random.SystemRandom().randrange(2**32)
        self.exam = bool(exam)
        self.shuffle = bool(shuffle)
        if progress is True:
            progress = Progress()
        self.progress: Progress | None = progress or None
        self._fresh = False  # True after "Start again": ignore saved answers

        topics_f = _as_filter(topics)
        diff_f = _as_filter(difficulty)
        for t in topics_f or ():
            if t not in _banks.topics():
                raise ValueError(f"topic {t!r} is not one of {', '.join(_banks.topics())}")

        present = [t for t in _banks.topics() if any(q.topic == t for q in questions)]
        topic_opts: list[tuple[str, object]] = [("All topics", _ALL)]
        topic_opts += [(topic_label(t), (t,)) for t in present]
        if topics_f and topics_f not in [v for _, v in topic_opts]:
            topic_opts.append((", ".join(topic_label(t) for t in topics_f), topics_f))
        diff_opts: list[tuple[str, object]] = [("Any difficulty", _ALL)]
        diff_opts += [(f"{d}: {_banks.difficulty_label(d)}", (d,)) for d in _banks.difficulties()]
        if diff_f and diff_f not in [v for _, v in diff_opts]:
            diff_opts.append((" and ".join(str(d) for d in diff_f), diff_f))

        self._topic_filter = widgets.Dropdown(
            options=topic_opts, value=topics_f or _ALL, description="Topic"
        )
        self._topic_filter.add_class("powkit-filter-topic")
        self._difficulty_filter = widgets.Dropdown(
            options=diff_opts, value=diff_f or _ALL, description="Difficulty"
        )
        self._difficulty_filter.add_class("powkit-filter-difficulty")

        self._title_html = widgets.HTML()
        self._header = widgets.HTML()
        self._header.add_class("powkit-header")
        self._score_html = widgets.HTML()
        self._score_html.add_class("powkit-score")
        self._scenario_html = widgets.HTML()
        self._scenario_html.add_class("powkit-scenario-text")
        self._prompt_html = widgets.HTML()
        self._prompt_html.add_class("powkit-prompt")
        self._options_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self._option_widgets: list[widgets.Widget] = []
        self._check_button = _button(
            "Check", "Check your answer and see the feedback", "powkit-check", "primary"
        )
        self._next_button = _button("Next", "Go to the next question", "powkit-next")
        self._restart_button = _button(
            "Start again", "Answer these questions again", "powkit-restart"
        )
        self._feedback = widgets.HTML()
        self._feedback.add_class("powkit-feedback")
        self._articles_value = ""  # the article panels shown at the end of the feedback
        # The panels for the question on screen, made while the learner reads it, so that Check
        # only has to send them (finding and formatting the articles' text takes milliseconds).
        self._prepared_articles: tuple[str, str] = ("", "")
        self._summary_html = widgets.HTML()
        self._summary_html.add_class("powkit-summary")
        self._review_box = widgets.VBox()
        self._review_box.add_class("powkit-review")

        # Pressing a button redraws the quiz; focus then goes where the learner goes on (never to
        # the page, as it would when the pressed button is disabled or hidden).
        self._check_button.on_click(lambda _: self._then_focus(self.check, self._next_button))
        self._next_button.on_click(lambda _: self._then_focus(self.next, None))
        self._restart_button.on_click(lambda _: self._then_focus(self.restart, None))
        self._topic_filter.observe(self._on_filter, names="value")
        self._difficulty_filter.observe(self._on_filter, names="value")

        self._question_box = widgets.VBox(
            [
                self._header,
                self._scenario_html,
                self._prompt_html,
                self._options_box,
                widgets.HBox([self._check_button, self._next_button]),
                self._feedback,
            ]
        )
        self._end_box = widgets.VBox([self._summary_html, self._review_box, self._restart_button])
        style = widgets.HTML(style_tag())
        super().__init__(
            [
                style,
                self._title_html,
                widgets.HBox([self._topic_filter, self._difficulty_filter]),
                self._score_html,
                self._question_box,
                self._end_box,
            ]
        )
        self.add_class("powkit-quiz")
        self._title_html.value = f"<h3>{html.escape(self.title)}</h3>" if self.title else ""
        self._build()

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_bank(cls, name: str, **kwargs) -> Quiz:
        """The same as ``Quiz(name, ...)``; kept for lessons written before ``Quiz`` took ids.

        ``Quiz("public-curiosity")`` is the one way to build a quiz."""
        return cls(_find_bank(name), **kwargs)

    def _filtered(self) -> list[Question]:
        topics = _as_filter(self._topic_filter.value)
        diff = _as_filter(self._difficulty_filter.value)
        return [
            q
            for q in self._all
            if (topics is None or q.topic in topics) and (diff is None or q.difficulty in diff)
        ]

    def _permutation(self, q: Question) -> list[int]:
        """Display order of a question's options (bank indexes); depends on seed and id only."""
        order = list(range(len(q.options)))
        if self.shuffle:
            random.Random(f"{self.seed}:{q.id}").shuffle(order)
        return order

    def _build(self) -> None:
        """(Re)start on the filtered questions, resuming from saved progress if any."""
        order = self._filtered()
        if self.shuffle:
            random.Random(self.seed).shuffle(order)
        self._order: list[Question] = order
        self._perms: dict[str, list[int]] = {q.id: self._permutation(q) for q in order}
        self._answers: dict[str, _Answer] = {}
        if self.progress is not None and not self._fresh:
            latest = self.progress.latest()
            for q in order:
                saved = latest.get((q.bank, q.id))
                if saved is not None and all(0 <= i < len(q.options) for i in saved.chosen):
                    self._answers[q.id] = _Answer(q, tuple(saved.chosen), saved.correct, saved=True)
        self._index = next(
            (i for i, q in enumerate(order) if q.id not in self._answers), len(order)
        )
        self._checked = False
        self._show()

    def _on_filter(self, _change: dict) -> None:
        self._build()

    def set_filters(
        self,
        topics: str | Iterable[str] | None = None,
        difficulty: int | Iterable[int] | None = None,
    ) -> None:
        """Change the topic and difficulty filters (as the dropdowns do); restarts the quiz."""
        for dropdown, value in (
            (self._topic_filter, _as_filter(topics) or _ALL),
            (self._difficulty_filter, _as_filter(difficulty) or _ALL),
        ):
            values = [v for _, v in dropdown.options]
            if value not in values:
                label = ", ".join(str(v) for v in value or ())
                dropdown.options = list(dropdown.options) + [(label, value)]
        self._topic_filter.unobserve(self._on_filter, names="value")
        self._difficulty_filter.unobserve(self._on_filter, names="value")
        try:
            self._topic_filter.value = _as_filter(topics) or _ALL
            self._difficulty_filter.value = _as_filter(difficulty) or _ALL
        finally:
            self._topic_filter.observe(self._on_filter, names="value")
            self._difficulty_filter.observe(self._on_filter, names="value")
        self._build()

    def _then_focus(self, action, target: widgets.Button | None) -> None:
        """Do ``action`` for a button press, then move keyboard focus to ``target``; by default
        to Check, just below the new question's options (its prompt is announced: a live
        region), or to Start again at the end. ipywidgets can focus a button or a check box but
        not a radio group or a paragraph, so focus goes to the nearest button."""
        action()
        if target is None or target.disabled:
            target = self._restart_button if self.finished else self._check_button
        target.focus()

    def restart(self) -> None:
        """Answer the current selection of questions again (saved history is kept)."""
        self._fresh = True
        self._build()

    # ------------------------------------------------------------------ state

    @property
    def questions(self) -> list[Question]:
        """The questions of this run, in the order they are asked."""
        return list(self._order)

    @property
    def current(self) -> Question | None:
        """The question on screen, or None when the quiz is over."""
        return self._order[self._index] if self._index < len(self._order) else None

    @property
    def options(self) -> list[_banks.Option]:
        """The current question's options, in display order."""
        q = self.current
        return [] if q is None else [q.options[i] for i in self._perms[q.id]]

    @property
    def correct_indexes(self) -> list[int]:
        """Display indexes of the current question's correct options."""
        return [i for i, o in enumerate(self.options) if o.correct]

    @property
    def selected(self) -> list[int]:
        """Display indexes currently chosen (read from the widgets, so clicks count too)."""
        q = self.current
        if q is None or not self._option_widgets:
            return []
        if q.kind == "single":
            value = self._option_widgets[0].value
            return [] if value is None else [value]
        return [i for i, cb in enumerate(self._option_widgets) if cb.value]

    @property
    def feedback_html(self) -> str:
        """The verdict and the feedback on each option (without the article panels)."""
        value = self._feedback.value
        if self._articles_value and value.endswith(self._articles_value):
            return value[: -len(self._articles_value)]
        return value

    @property
    def articles_html(self) -> str:
        """The HTML of the article panels currently shown."""
        return self._articles_value

    @property
    def summary_html(self) -> str:
        return self._summary_html.value

    @property
    def review_html(self) -> str:
        return "".join(
            child.value
            for acc in self._review_box.children
            for child in getattr(acc, "children", ())
        )

    @property
    def score(self) -> Score:
        return Score(self.correct, self.answered, self.total)

    def _sync_state(self) -> None:
        """Set the public traits from the quiz's internal state (after every change)."""
        self.set_trait("answered", len(self._answers))
        self.set_trait("correct", sum(a.correct for a in self._answers.values()))
        self.set_trait("total", len(self._order))
        self.set_trait("finished", self._index >= len(self._order))
        q = self.current
        self.set_trait("current_id", "" if q is None else q.id)

    def summary(self) -> dict:
        """Totals and a breakdown by topic of this run's answers."""
        by_topic: dict[str, dict[str, int]] = {}
        for q in self._order:
            entry = by_topic.setdefault(q.topic, {"total": 0, "answered": 0, "correct": 0})
            entry["total"] += 1
            a = self._answers.get(q.id)
            if a is not None:
                entry["answered"] += 1
                entry["correct"] += int(a.correct)
        s = self.score
        ordered = {t: by_topic[t] for t in _banks.topics() if t in by_topic}
        return {"total": s.total, "answered": s.answered, "correct": s.correct, "by_topic": ordered}

    # ------------------------------------------------------------------ actions

    def select(self, indexes: int | Iterable[int]) -> None:
        """Choose options by display index (0 = the first shown), as clicking them would."""
        q = self.current
        if q is None:
            raise RuntimeError("the quiz is over; call restart() to answer again")
        if self._checked:
            raise RuntimeError("this answer is already checked; call next()")
        chosen = [indexes] if isinstance(indexes, int) else list(indexes)
        n = len(q.options)
        for i in chosen:
            if not isinstance(i, int) or not 0 <= i < n:
                raise ValueError(
                    f"option index {i!r} out of range: question {q.id} has options 0-{n - 1}"
                )
        if q.kind == "single":
            if len(chosen) > 1:
                raise ValueError(f"question {q.id} takes one answer; got {len(chosen)}")
            self._option_widgets[0].value = chosen[0] if chosen else None
        else:
            for i, cb in enumerate(self._option_widgets):
                cb.value = i in chosen

    def check(self) -> bool | None:
        """Record the chosen answer and show feedback (in exam mode, only that it was recorded).

        Returns whether the answer was right, or None if nothing was chosen yet.
        """
        q = self.current
        if q is None or self._checked:
            return None
        chosen_display = self.selected
        if not chosen_display:
            self._feedback.value = live_region("<p>Choose an answer first.</p>")
            return None
        perm = self._perms[q.id]
        chosen = tuple(sorted(perm[i] for i in chosen_display))
        correct = set(chosen) == set(q.correct_indexes)
        self._answers[q.id] = _Answer(q, chosen, correct)
        self._checked = True
        # Feedback first, so the learner sees it as soon as possible; saving comes last.
        if self.exam:
            self._feedback.value = live_region(
                "<p>Answer recorded. Feedback and the articles follow in the review at the end.</p>"
            )
        else:
            # The verdict, the feedback and the articles in one message: they appear together.
            self._articles_value = self._articles_for(q)
            feedback = self._feedback_for(q, chosen, in_review=False)
            self._feedback.value = feedback + self._articles_value
        for w in self._option_widgets:
            w.disabled = True
        self._check_button.disabled = True
        with self._next_button.hold_sync():
            self._next_button.disabled = False
            self._next_button.description = (
                "Next" if self._index + 1 < len(self._order) else "Finish"
            )
        self._update_score()
        if self.progress is not None:
            self.progress.record(
                bank=q.bank,
                question=q.id,
                chosen=chosen,
                correct=correct,
                topic=q.topic,
                mode="exam" if self.exam else "practice",
            )
        return correct

    def next(self) -> None:
        """Move to the next question (or to the summary after the last one)."""
        if self.finished:
            return
        if not self._checked:
            raise RuntimeError("check the answer before moving on (call check())")
        self._index += 1
        self._checked = False
        self._show()

    # ------------------------------------------------------------------ rendering

    def _update_score(self) -> None:
        self._sync_state()
        s = self.score
        if self.exam and not self.finished:
            text = f"Answered {s.answered} of {s.total}"
        else:
            text = f"Score: {s.correct} of {s.answered} answered ({s.total} questions)"
        self._score_html.value = live_region(f"<p><strong>{html.escape(text)}</strong></p>")

    def _articles_for(self, q: Question) -> str:
        """The article panels of ``q``: those prepared when it was shown, or made now."""
        qid, panels = self._prepared_articles
        if qid != q.id:
            panels = _articles_panels(q.articles)
            self._prepared_articles = (q.id, panels)
        return panels

    def _show(self) -> None:
        self._feedback.value = self._articles_value = ""
        self._update_score()
        q = self.current
        if q is None:
            self._question_box.layout.display = "none"
            self._end_box.layout.display = None
            self._option_widgets = []
            self._options_box.children = []
            self._show_end()
            return
        self._question_box.layout.display = None
        self._end_box.layout.display = "none"
        self._summary_html.value = ""
        self._review_box.children = []
        n = len(self._order)
        top = max(_banks.difficulties())
        stars = "\u25cf" * q.difficulty + "\u25cb" * (top - q.difficulty)
        contested = (
            " \u00b7 <em>contested question: the feedback sets out the competing views</em>"
            if q.contested
            else ""
        )
        self._header.value = (
            f"<p><strong>Question {self._index + 1} of {n}</strong> \u00b7 {html.escape(topic_label(q.topic))}"
            f" \u00b7 difficulty {symbol(stars, f'{q.difficulty} of {top}')}{contested}</p>"
        )
        self._scenario_html.value = paragraphs(q.scenario) + source_list(q.sources)
        self._prompt_html.value = live_region(f"<p><strong>{html.escape(q.prompt)}</strong></p>")
        labels = [
            f"{_LETTERS[i]}. {o.text}" if i < 26 else o.text for i, o in enumerate(self.options)
        ]
        if q.kind == "single":
            radio = widgets.RadioButtons(
                options=[(label, i) for i, label in enumerate(labels)],
                value=None,
                layout=widgets.Layout(width="100%"),
            )
            radio.add_class("powkit-option")
            self._option_widgets = [radio]
            hint = widgets.HTML("<p><small>Choose one answer.</small></p>")
        else:
            boxes = []
            for label in labels:
                cb = widgets.Checkbox(
                    value=False,
                    description=label,
                    indent=False,
                    layout=widgets.Layout(width="100%"),
                )
                cb.add_class("powkit-option")
                boxes.append(cb)
            self._option_widgets = boxes
            hint = widgets.HTML(
                "<p><small>Choose every answer that is right (one or more).</small></p>"
            )
        self._options_box.children = [hint, *self._option_widgets]
        self._check_button.disabled = False
        self._check_button.description = "Submit" if self.exam else "Check"
        self._next_button.disabled = True
        self._next_button.description = "Next"
        if not self.exam:
            self._articles_for(q)  # ready before Check

    def _feedback_for(self, q: Question, chosen: tuple[int, ...], in_review: bool) -> str:
        """Verdict and per-option feedback, in display order, all escaped."""
        correct = set(chosen) == set(q.correct_indexes)
        verdict = (
            '<p class="powkit-verdict-right">Right.</p>'
            if correct
            else '<p class="powkit-verdict-wrong">Not quite.</p>'
        )
        rows = []
        for shown, i in enumerate(self._perms.get(q.id) or self._permutation(q)):
            o = q.options[i]
            picked = i in chosen
            marks = []
            if picked:
                marks.append("your answer")
            marks.append("correct" if o.correct else "incorrect")
            icon = symbol("\u2714" if o.correct else "\u2718", "")
            letter = _LETTERS[shown] if shown < 26 else str(shown + 1)
            rows.append(
                f'<li class="powkit-option-feedback{" powkit-picked" if picked else ""}">'
                f"<strong>{icon} {letter}. {html.escape(o.text)}</strong> <em>({', '.join(marks)})</em>"
                f"<br>{html.escape(o.feedback)}</li>"
            )
        cites = ", ".join(html.escape(c) for c in q.articles)
        contested = (
            "<p><em>The law on this point is contested; read the competing views above.</em></p>"
            if q.contested
            else ""
        )
        head = ""
        if in_review:
            head = paragraphs(q.scenario) + f"<p><strong>{html.escape(q.prompt)}</strong></p>"
        return (
            f'<div class="powkit-feedback-body mathjax_ignore">{head}{live_region(verdict)}'
            f'<ul class="powkit-plain-list">{"".join(rows)}</ul>{contested}'
            f"<p>Decided by: {cites}</p></div>"
        )

    def _show_end(self) -> None:
        s = self.summary()
        rows = [
            (html.escape(topic_label(t)), f"{e['correct']} of {e['answered']}", str(e["total"]))
            for t, e in s["by_topic"].items()
        ]
        if not self._order:
            self._summary_html.value = (
                "<p>No question matches these filters. Choose another topic or difficulty.</p>"
            )
            self._review_box.children = []
            return
        earlier = sum(a.saved for a in self._answers.values())
        resumed = (
            f"<p><small>{earlier} of these answers are from an earlier session.</small></p>"
            if earlier
            else ""
        )
        self._summary_html.value = live_region(
            f"<h4>Summary</h4><p>You answered <strong>{s['correct']} of {s['total']}</strong> "
            f"questions correctly.</p>{resumed}"
            + table(("Topic", "Right", "Questions"), rows, caption="Your answers by topic")
        )
        if self.exam:
            children, titles = [], []
            for n, q in enumerate(self._order, 1):
                a = self._answers.get(q.id)
                if a is None:
                    continue
                body = self._feedback_for(q, a.chosen, in_review=True)
                body += "".join(_passage_block(c) for c in q.articles)
                child = widgets.HTML(body)
                child.add_class("powkit-review-item")
                children.append(child)
                titles.append(f"{n}. {'right' if a.correct else 'wrong'}: {q.prompt[:80]}")
            acc = widgets.Accordion(children=children, titles=tuple(titles))
            acc.selected_index = None
            self._review_box.children = [widgets.HTML("<h4>Review</h4>"), acc]
        else:
            self._review_box.children = []


# =========================================================================== scenarios


class Scenario(widgets.VBox):
    """Walk a branching scenario: read, decide, see what follows, and at the end the debrief.

    ``path_or_id`` is a scenario file, a :class:`powkit.banks.BranchingScenario`, or the id of a
    shipped scenario (``data/scenarios/<id>.yaml``). State that callers read is declared as
    traitlets: ``node_id``, ``finished`` and ``outcome``.
    """

    node_id = traitlets.Unicode("", read_only=True, help="The id of the node on screen.")
    finished = traitlets.Bool(False, read_only=True, help="True once an end node is reached.")
    outcome = traitlets.Unicode(
        None, allow_none=True, read_only=True, help="lawful, unlawful or contested at the end."
    )

    def __init__(self, path_or_id: object):
        if isinstance(path_or_id, _banks.BranchingScenario):
            self.data = path_or_id
        else:
            p = Path(str(path_or_id))
            if p.suffix in (".yaml", ".yml") or p.exists():
                self.data = _banks.load_scenario(p)
            else:
                self.data = _find_scenario(str(path_or_id))
        self._title_html = widgets.HTML(
            f"<h3>{html.escape(self.data.title)}</h3>"
            + (paragraphs(self.data.description) if self.data.description else "")
            + source_list(self.data.sources)
        )
        self._path_html = widgets.HTML()
        self._path_html.add_class("powkit-path")
        self._feedback = widgets.HTML()
        self._feedback.add_class("powkit-feedback")
        self._choice_articles = widgets.HTML()
        self._node_html = widgets.HTML()
        self._node_html.add_class("powkit-node")
        self._choices = widgets.RadioButtons(
            options=[], value=None, layout=widgets.Layout(width="100%")
        )
        self._choices.add_class("powkit-option")
        self._decide_button = _button(
            "Decide", "Take the chosen decision", "powkit-check", "primary"
        )
        self._decide_button.on_click(lambda _: self._then_focus(self.decide))
        self._end_html = widgets.HTML()
        self._end_html.add_class("powkit-debrief")
        self._end_articles = widgets.HTML()
        self._restart_button = _button(
            "Start again", "Walk the scenario again from the start", "powkit-restart"
        )
        self._restart_button.on_click(lambda _: self._then_focus(self.restart))
        self._decision_box = widgets.VBox([self._choices, self._decide_button])
        super().__init__(
            [
                widgets.HTML(style_tag()),
                self._title_html,
                self._path_html,
                self._feedback,
                self._choice_articles,
                self._node_html,
                self._decision_box,
                self._end_html,
                self._end_articles,
                self._restart_button,
            ]
        )
        self.add_class("powkit-scenario")
        self.restart()

    @classmethod
    def from_id(cls, scenario_id: str) -> Scenario:
        """The same as ``Scenario(scenario_id)``; kept for lessons written before it took ids."""
        return cls(_find_scenario(scenario_id))

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> _banks.ScenarioNode:
        return self.data.nodes[self._node_id]

    @property
    def path(self) -> list[tuple[str, int]]:
        """The decisions taken so far: (node id, choice index) pairs."""
        return list(self._path)

    @property
    def choices(self) -> list[_banks.Choice]:
        return list(self.current.choices)

    @property
    def feedback_html(self) -> str:
        return self._feedback.value

    @property
    def debrief_html(self) -> str:
        return self._end_html.value

    @property
    def articles_html(self) -> str:
        return self._choice_articles.value + self._end_articles.value

    # ------------------------------------------------------------------ actions

    def _then_focus(self, action) -> None:
        """Do ``action`` for a button press, then keep keyboard focus in the scenario: on Decide
        for the next decision (the new situation is announced: a live region), on Start again
        at an ending (Decide is hidden then, and a hidden button loses focus)."""
        action()
        (self._restart_button if self.finished else self._decide_button).focus()

    def restart(self) -> None:
        self._node_id = self.data.start
        self._path: list[tuple[str, int]] = []
        self._feedback.value = ""
        self._choice_articles.value = ""
        self._show()

    def select(self, index: int) -> None:
        if self.finished:
            raise RuntimeError("the scenario has ended; call restart() to walk it again")
        n = len(self.current.choices)
        if not isinstance(index, int) or not 0 <= index < n:
            raise ValueError(
                f"choice {index!r} out of range: node {self._node_id} has choices 0-{n - 1}"
            )
        self._choices.value = index

    def decide(self) -> bool:
        """Take the selected choice; returns False (and asks for a choice) if none is selected."""
        if self.finished:
            return False
        index = self._choices.value
        if index is None:
            self._feedback.value = live_region("<p>Choose what to do first.</p>")
            return False
        choice = self.current.choices[index]
        self._path.append((self._node_id, index))
        self._feedback.value = live_region(
            f"<p><strong>You chose:</strong> {html.escape(choice.text)}</p>"
            f"{paragraphs(choice.feedback)}"
        )
        self._choice_articles.value = _articles_panels(choice.articles, open_first=False)
        self._node_id = choice.goto
        self._show()
        return True

    def choose(self, index: int) -> None:
        """Select a choice (by index, 0 = first shown) and decide, as a learner would."""
        self.select(index)
        self.decide()

    # ------------------------------------------------------------------ rendering

    def _show(self) -> None:
        node = self.current
        self.set_trait("node_id", self._node_id)
        self.set_trait("finished", node.is_end)
        self.set_trait("outcome", node.outcome if node.is_end else None)
        steps = []
        for node_id, index in self._path:
            choice = self.data.nodes[node_id].choices[index]
            steps.append(f"<li>{html.escape(choice.text)}</li>")
        self._path_html.value = (
            f"<div><strong>Your path so far</strong><ol>{''.join(steps)}</ol></div>"
            if steps
            else ""
        )
        node = self.current
        self._node_html.value = live_region(paragraphs(node.text))  # announced at each step
        if node.is_end:
            self._decision_box.layout.display = "none"
            self._choices.options = []
            labels = {
                "lawful": "Outcome: lawful",
                "unlawful": "Outcome: unlawful",
                "contested": "Outcome: contested (the law is debated)",
            }
            self._end_html.value = live_region(
                f'<h4 class="powkit-outcome powkit-outcome-{html.escape(node.outcome)}">'
                f"{html.escape(labels.get(node.outcome, node.outcome))}</h4>"
                f'<div class="powkit-debrief-text"><strong>Debrief.</strong> '
                f"{paragraphs(node.debrief)}</div>"
            )
            cited = list(node.articles) + [
                c for node_id, i in self._path for c in self.data.nodes[node_id].choices[i].articles
            ]
            self._end_articles.value = _articles_panels(cited)
            self._restart_button.layout.display = None
        else:
            self._decision_box.layout.display = None
            self._choices.options = [(c.text, i) for i, c in enumerate(node.choices)]
            self._choices.value = None
            self._end_html.value = ""
            self._end_articles.value = ""
            self._restart_button.layout.display = "none"


def _find_scenario(scenario_id: str) -> _banks.BranchingScenario:
    return _banks.find_scenario(scenario_id)
