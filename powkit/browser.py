"""ConventionBrowser: search the treaties and read an article, by mouse or by keyboard alone.

Built only from standard ipywidgets controls (a text box, a list, an HTML view), because those
already take focus with Tab, move with the arrow keys and are announced by screen readers; a
custom front-end would have to re-earn all of that.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from powkit import convention
from powkit.markup import live_region

ALL = "all"


class ConventionBrowser(widgets.VBox):
    """Treaty filter, search box, result list and article view.

    Type in the box (results update as you type), Tab to the list, move with the arrow keys:
    the article below follows the selection. The treaty menu limits the search to one treaty
    (all of them by default); the article box opens an article of the treaty shown. The "copy
    citation" line holds the citation of the best-matching paragraph, ready to select and copy
    into an answer. Under each article, the variant readings of official copies are listed.
    """

    def __init__(
        self,
        query: str = "",
        treaty: str = ALL,
        article: int | None = None,
        limit: int = 15,
    ):
        self.limit = limit
        self.treaty_filter = widgets.Dropdown(
            options=[("All treaties", ALL)]
            + [(f"{key}: {convention.TREATY_NAMES[key]}", key) for key in convention.TREATIES],
            value=treaty if treaty in convention.TREATIES else ALL,
            description="Treaty:",
            layout=widgets.Layout(width="28em"),
        )
        self.treaty_filter.add_class("powkit-browser-treaty")
        self.query = widgets.Text(
            value=query,
            placeholder="Search the treaties, e.g. public curiosity",
            description="Search:",
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
        )
        self.query.add_class("powkit-browser-query")
        #: The treaty of the article on show; the article box opens articles of this treaty.
        self.shown_treaty = self.treaty_filter.value if self.treaty_filter.value != ALL else "GCIII"
        self.number = widgets.BoundedIntText(
            value=article or 1,
            min=1,
            max=self._highest(self.shown_treaty),
            description="Article:",
            layout=widgets.Layout(width="12em"),
        )
        self.number.add_class("powkit-browser-number")
        self.results = widgets.Select(
            options=[],
            rows=10,
            description="Results:",
            layout=widgets.Layout(width="100%"),
        )
        self.results.add_class("powkit-browser-results")
        self.status = widgets.HTML()
        self.status.add_class("powkit-browser-status")
        self.view = widgets.HTML(layout=widgets.Layout(width="100%"))
        self.view.add_class("powkit-browser-view")
        self.citation = widgets.Text(
            description="Copy citation:",
            disabled=False,
            layout=widgets.Layout(width="100%"),
            style={"description_width": "initial"},
            tooltip="Select this text and copy it into your answer",
        )
        self.citation.add_class("powkit-browser-citation")
        self._best_citation: dict[str, str] = {}

        self.query.observe(self._on_query, names="value")
        self.treaty_filter.observe(self._on_treaty, names="value")
        self.results.observe(self._on_select, names="value")
        self.number.observe(self._on_number, names="value")

        super().__init__(
            [
                self.treaty_filter,
                widgets.HBox([self.query, self.number]),
                self.status,
                self.results,
                self.citation,
                self.view,
            ]
        )
        self.add_class("powkit-browser")
        if query:
            self._on_query({"new": query})
        else:
            self.show_article(article or self._first(self.shown_treaty), self.shown_treaty)

    @property
    def treaty(self) -> str:
        """The treaty filter's value: a treaty key, or ``"all"``."""
        return self.treaty_filter.value

    @staticmethod
    def _highest(treaty: str) -> int:
        return max(a.number for a in convention.articles(treaty))

    @staticmethod
    def _first(treaty: str) -> int:
        return convention.articles(treaty)[0].number

    # -- reactions -------------------------------------------------------------------------

    def _on_query(self, change: dict) -> None:
        text = change["new"]
        hits = convention.search(text, treaty=self.treaty, limit=self.limit) if text.strip() else []
        self._best_citation = {h.article.citation: h.citation for h in hits}
        self.results.options = [
            (f"{h.article.citation}: {h.article.title}", h.article.citation) for h in hits
        ]
        where = "" if self.treaty == ALL else f" in {html.escape(self.treaty)}"
        if text.strip():
            count = len(hits)
            self.status.value = (
                f"{count} article{'s match' if count != 1 else ' matches'} "
                f"<q>{html.escape(text)}</q>{where}"
                if count
                else f"No article{where} matches <q>{html.escape(text)}</q>"
            )
        else:
            self.status.value = ""
        if hits:
            self.results.value = hits[0].article.citation
            self.show_article(hits[0].article.number, hits[0].article.treaty)

    def _on_treaty(self, change: dict) -> None:
        if self.query.value.strip():
            self._on_query({"new": self.query.value})
        elif change["new"] != ALL:
            self.show_article(self._first(change["new"]), change["new"])

    def _on_select(self, change: dict) -> None:
        if change["new"] is not None:
            treaty, number = change["new"].split()
            self.show_article(int(number), treaty)

    def _on_number(self, change: dict) -> None:
        self.show_article(change["new"], self.shown_treaty)

    # -- public API ------------------------------------------------------------------------

    def search(self, text: str) -> list[str]:
        """Type ``text`` into the search box; returns the result labels now listed."""
        self.query.value = text
        return [label for label, _ in self.results.options]

    def show_article(self, number: int, treaty: str | None = None) -> None:
        """Show one article, with the current search words highlighted.

        A number the treaty does not have leaves the article on show and says which numbers
        the treaty has (the Protocols and GCI, GCIV are carried in part).
        """
        treaty = treaty or self.shown_treaty
        try:
            art = convention.article(number, treaty)
        except convention.CitationError as error:
            self.status.value = f"<p>{html.escape(str(error))}</p>"
            return
        self.shown_treaty = treaty
        self.view.value = convention.article_html(art, self.query.value)
        self.citation.value = self._best_citation.get(art.citation, art.citation)
        self.number.unobserve(self._on_number, names="value")
        self.number.max = self._highest(treaty)
        self.number.description = f"{treaty} art.:"
        if self.number.value != number:
            self.number.value = number
        self.number.observe(self._on_number, names="value")


class FindTheRule(widgets.VBox):
    """A "find the rule" task: the student looks up the article with the browser and types it.

    An answer counts when it names the right article; if the task asks for a paragraph, the
    paragraph must match too. The feedback quotes the governing words, so that a wrong answer
    still ends with the student reading the rule.
    """

    def __init__(self, task: str, answer: str, hint: str = ""):
        self.task_text = task
        self.answer = convention.resolve(answer)[0]
        self.hint = hint
        self.prompt = widgets.HTML(f"<p>{html.escape(task)}</p>")
        # Every keystroke reaches the kernel, so Check always sees what is in the box. (With
        # continuous_update=False the text arrived only on Enter or when the box lost focus;
        # in headless Chromium a click on Check once judged the previous text, most likely
        # because the click did not take the focus away.) Enter checks too: the text box sends
        # a "submit" message for it, handled below.
        self.entry = widgets.Text(
            placeholder="e.g. GCIII 13(2)",
            description="Your citation:",
            continuous_update=True,
            style={"description_width": "initial"},
        )
        self.entry.add_class("powkit-rule-entry")
        self.button = widgets.Button(
            description="Check", tooltip="Check your citation", button_style="primary"
        )
        self.button.add_class("powkit-rule-check")
        self.feedback = widgets.HTML()
        self.feedback.add_class("powkit-rule-feedback")
        self.button.on_click(lambda _: self.check())
        self.entry.on_msg(self._on_entry_message)
        super().__init__([self.prompt, widgets.HBox([self.entry, self.button]), self.feedback])
        self.add_class("powkit-rule")

    def _on_entry_message(self, _widget, content: dict, _buffers) -> None:
        """Enter in the box: ipywidgets' text view sends {"event": "submit"} (its on_submit
        is deprecated, so the message is taken directly)."""
        if isinstance(content, dict) and content.get("event") == "submit":
            self.check()

    def check(self, text: str | None = None) -> bool:
        """Check the typed citation (or ``text``); returns whether it is right and shows feedback."""
        if text is not None:
            self.entry.value = text
        typed = self.entry.value.strip()
        if typed and not typed.upper().startswith(("GC", "AP")):
            typed = f"GCIII {typed}"
        try:
            given = convention.resolve(typed)[0] if typed else None
        except convention.CitationError as error:
            self.feedback.value = live_region(
                f"<p>That citation does not exist: {html.escape(str(error))}</p>"
            )
            return False
        if given is None:
            self.feedback.value = live_region("<p>Type a citation first, e.g. GCIII 13(2).</p>")
            return False
        right_article = given.treaty == self.answer.treaty and given.article == self.answer.article
        right_place = given.path[: len(self.answer.path)] == self.answer.path
        if right_article and right_place:
            verdict = (
                f"<p><strong>Right.</strong> {html.escape(self.answer.citation)} governs this.</p>"
            )
            ok = True
        elif right_article:
            verdict = (
                f"<p><strong>Right article, other paragraph.</strong> Look again within "
                f"{html.escape(self.answer.treaty)} {self.answer.article}.</p>"
            )
            ok = False
        else:
            hint = f" Hint: {html.escape(self.hint)}" if self.hint else ""
            verdict = (
                f"<p><strong>Not this one.</strong> {html.escape(given.citation)} is about "
                f"<em>{html.escape(given.heading)}</em>.{hint}</p>"
            )
            ok = False
        # the verdict is announced; the article text follows it, outside the live region
        self.feedback.value = live_region(verdict) + (
            convention.passage_html(self.answer.citation) if ok else ""
        )
        return ok
