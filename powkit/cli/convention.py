"""The ``cite`` and ``search`` commands: the Convention from a terminal."""

from __future__ import annotations

import argparse
import sys

from powkit import convention


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
    return 0


def _search(args: argparse.Namespace) -> int:
    hits = convention.search(args.query, treaty=args.treaty, limit=args.limit)
    if not hits:
        print(f"no article of {args.treaty} matches {args.query!r}")
        return 1
    for hit in hits:
        snippet = hit.snippet if len(hit.snippet) <= 160 else hit.snippet[:157] + "..."
        print(f"{hit.citation:<18} {hit.article.title}")
        print(f"{'':<18} {snippet}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    cite = sub.add_parser("cite", help="print the exact words at a citation, e.g. 'GCIII 17(4)'")
    cite.add_argument("citation", help="e.g. 'GCIII 13(2)', 'GCIII 109-117', 'API 75(4)(e)'")
    cite.set_defaults(handler=_cite)

    search = sub.add_parser("search", help="find the articles that mention some words")
    search.add_argument("query")
    search.add_argument("--treaty", default="GCIII", choices=sorted(convention.TREATIES))
    search.add_argument("--limit", type=int, default=10)
    search.set_defaults(handler=_search)
