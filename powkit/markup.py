"""The kit's HTML: one stylesheet, shared building blocks, and one way to display a result.

Why one module: widgets, lessons and checks all show the same few things (escaped paragraphs,
lists of sources, live feedback, tables, symbols with their words), and an accessibility fix
must be made once. Every helper escapes the text it is given, emits valid HTML (lists as
``<ul><li>``; a feedback region with ``aria-live="polite"``; a symbol beside its words for
screen readers) and uses classes from the one stylesheet, ``powkit/assets/powkit.css``, never
inline styles.

:class:`HTMLView` is the display idiom for everything a lesson calls that is not a widget: an
object that shows itself as HTML in a notebook (``_repr_html_``) and as readable text when
printed (``__str__``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from powkit.resources import asset_text
from powkit.validation import Source

__all__ = [
    "HTMLView",
    "definition_list",
    "escape",
    "live_region",
    "paragraphs",
    "plain_list",
    "source_item",
    "source_list",
    "style_tag",
    "symbol",
    "table",
]

escape = html.escape


@lru_cache(maxsize=1)
def _css() -> str:
    return asset_text("powkit.css")


def style_tag() -> str:
    """The kit's stylesheet as a ``<style>`` element (once per output or widget)."""
    return f"<style>{_css()}</style>"


@dataclass(frozen=True)
class HTMLView:
    """Something a lesson shows: HTML in a notebook, text when printed.

    ``html`` is the escaped markup (without the stylesheet, which is added when displayed);
    ``text`` is the same content as plain text, for ``print`` and for tests.
    """

    html: str
    text: str

    def _repr_html_(self) -> str:
        return style_tag() + self.html

    def __str__(self) -> str:
        return self.text


def paragraphs(text: str, cls: str = "") -> str:
    """Escaped text as HTML paragraphs (blank lines separate paragraphs, line breaks kept)."""
    attr = f' class="{escape(cls)}"' if cls else ""
    blocks = [b.strip() for b in text.strip().split("\n\n") if b.strip()]
    return "".join(
        f"<p{attr}>{'<br>'.join(escape(line) for line in b.splitlines())}</p>" for b in blocks
    )


def symbol(glyph: str, words: str) -> str:
    """A symbol (✓, ✗, ●●○) for the eye and its words for a screen reader."""
    return (
        f'<span aria-hidden="true">{escape(glyph)}</span>'
        f'<span class="powkit-visually-hidden">{escape(words)}</span>'
    )


def live_region(inner: str, cls: str = "") -> str:
    """A region whose changes a screen reader announces (feedback, verdicts, counts)."""
    attr = f' class="{escape(cls)}"' if cls else ""
    return f'<div role="status" aria-live="polite"{attr}>{inner}</div>'


def plain_list(items: Iterable[str], cls: str = "", ordered: bool = False) -> str:
    """A list of already-escaped HTML items, each in its own ``<li>``."""
    tag = "ol" if ordered else "ul"
    attr = f' class="{escape(cls)}"' if cls else ""
    return f"<{tag}{attr}>{''.join(f'<li>{item}</li>' for item in items)}</{tag}>"


def definition_list(pairs: Iterable[tuple[str, str]], cls: str = "") -> str:
    """Terms and their descriptions (both escaped) as a ``<dl>``."""
    attr = f' class="{escape(cls)}"' if cls else ""
    body = "".join(
        f"<dt><code>{escape(term)}</code></dt><dd>{escape(text)}</dd>" for term, text in pairs
    )
    return f"<dl{attr}>{body}</dl>"


def source_item(source: Source) -> str:
    """One source as a line of HTML: linked title, publisher, date, note; all escaped."""
    note = f" {escape(source.note)}" if source.note else ""
    return (
        f'<a href="{escape(source.url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(source.title)}</a>, {escape(source.publisher)}, {escape(source.date)}.{note}"
    )


def source_list(sources: Sequence[Source], heading: str = "Sources", cls: str = "") -> str:
    """Sources under a heading, as a real list; empty when there are none."""
    if not sources:
        return ""
    extra = f" {escape(cls)}" if cls else ""
    items = plain_list(source_item(s) for s in sources)
    return f'<div class="powkit-sources{extra}"><p>{escape(heading)}:</p>{items}</div>'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    caption: str = "",
    cls: str = "",
) -> str:
    """A table of already-escaped cells, headed by ``headers``, in a scroll box that the
    keyboard can reach (a wide table must not be cut off for keyboard users)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    label = escape(caption or "table", quote=True)
    return (
        f'<div class="powkit-scroll" tabindex="0" role="region" aria-label="{label}">'
        f'<table class="powkit-table {escape(cls)}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )
