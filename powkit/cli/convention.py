"""The ``cite`` and ``search`` commands: the treaties from a terminal."""

from __future__ import annotations

import argparse
import sys
import textwrap

from powkit import convention


def _variant_lines(citation: str) -> list[str]:
    """The variant readings within a citation, as lines to print under its text."""
    found = convention.variants(citation)
    if not found:
        return []
    lines = ["", f"Variant readings ({len(found)}): official copies word this differently"]
    for v in found:
        names = ", ".join(convention.SOURCE_NAMES.get(s, s) for s in v.kept.sources)
        lines.append(f'  {v.provision}: kept   "{v.kept.text}" ({names})')
        for other in v.others:
            names = ", ".join(convention.SOURCE_NAMES.get(s, s) for s in other.sources)
            lines.append(f'  {"":<{len(v.provision)}}  other  "{other.text}" ({names})')
        why = textwrap.wrap(f"why: {v.reason}", width=96)
        lines.extend(f"  {'':<{len(v.provision)}}  {line}" for line in why)
    return lines


def _cite(args: argparse.Namespace) -> int:
    try:
        passages = convention.resolve(args.citation)
    except convention.CitationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for i, passage in enumerate(passages):
        if i:
            print()
        print(f"{passage.citation} ({passage.heading})")
        print(passage.text)
        for line in _variant_lines(passage.citation):
            print(line)
    return 0


def _search(args: argparse.Namespace) -> int:
    hits = convention.search(args.query, treaty=args.treaty, limit=args.limit)
    if not hits:
        where = "any treaty the kit carries" if args.treaty == "all" else args.treaty
        print(f"nothing in {where} matches {args.query!r}")
        return 1
    for hit in hits:
        snippet = hit.snippet if len(hit.snippet) <= 160 else hit.snippet[:157] + "..."
        print(f"{hit.citation:<18} {hit.article.title}")
        print(f"{'':<18} {snippet}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    cite = sub.add_parser(
        "cite",
        help="print the exact words at a citation, and the variant readings of official copies",
    )
    cite.add_argument(
        "citation", help="e.g. 'GCIII 13(2)', 'GCIII 109-117', 'API 75(4)(e)', 'APII 5(1)(b)'"
    )
    cite.set_defaults(handler=_cite)

    search = sub.add_parser("search", help="find the articles that mention some words")
    search.add_argument("query")
    search.add_argument(
        "--treaty",
        default="all",
        choices=[*convention.TREATIES, "all"],
        help="search one treaty only (default: all the treaties the kit carries)",
    )
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(handler=_search)
