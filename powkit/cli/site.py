"""The ``build-site`` command: the course as a website that runs in the browser.

``powkit build-site OUT/`` builds a JupyterLite site (Pyodide from the CDN at run time);
``--offline`` makes it self-contained. The work is done by :mod:`powkit.site`; this module only
reads the command line, so ``powkit --help`` does not import the build tools.
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "build-site",
        help="build the course as a website that runs in the browser (JupyterLite)",
        description="Build every lesson and exercise (student versions) as a static JupyterLite "
        "site that runs Python in the browser. Serve the folder with any web server. "
        "Needs the site tools: pip install -e '.[site]'.",
    )
    parser.add_argument("out", nargs="?", help="the folder to build into (emptied first)")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="put Pyodide and every package in the site (no CDN, no PyPI at run time); "
        "needs npm to fetch Pyodide once",
    )
    parser.add_argument("--source", help="the course folder (default: the current folder)")
    parser.add_argument(
        "--cache",
        help="where downloads are kept between builds "
        "(default: $POWKIT_SITE_CACHE or ~/.cache/powkit-site)",
    )
    parser.add_argument(
        "--fetch-only",
        action="store_true",
        help="only download and verify what an offline build needs (into the cache), "
        "e.g. before building on a machine without the internet",
    )
    parser.set_defaults(handler=_build_site)


def _build_site(args: argparse.Namespace) -> int:
    from powkit.site import SiteBuildError, build_site, prefetch

    def log(message: str) -> None:
        print(f"  {message}", file=sys.stderr)

    if args.fetch_only:
        try:
            cache = prefetch(args.cache, log=log)
        except SiteBuildError as error:
            print(f"powkit build-site: {error}", file=sys.stderr)
            return 2
        print(f"Pyodide and the site's wheels are in {cache}, verified.")
        return 0
    if not args.out:
        print("powkit build-site: say which folder to build into, e.g. site/", file=sys.stderr)
        return 2
    try:
        report = build_site(
            args.out,
            offline=args.offline,
            source=args.source,
            cache=args.cache,
            log=log,
        )
    except SiteBuildError as error:
        print(f"powkit build-site: {error}", file=sys.stderr)
        return 2
    print(report.summary())
    return 0
