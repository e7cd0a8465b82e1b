"""One validation layer for everything an instructor can edit.

Every content format of the kit (question banks, scenarios, case files, decision trees, the
table of contents, datasets, treaty texts) reports what is wrong with it the same way: a list of
:class:`Problem` s, all at once, each printed as ``file: item: field: message``, e.g.::

    data/quizzes/x.yaml: question pc-07: options: exactly one option must be correct for kind 'single'

so that an author fixes a file in one pass, and :class:`ValidationError` (the base of
``BankError``, ``CaseError``, ``TreeError``, ``DataError`` ...) carries them when a file cannot
be used. :class:`Checker` holds the rules the formats share (ids, text, true/false, citations,
sources and their dates), worded once. Nothing here runs anything from a file: YAML is read with
``yaml.safe_load`` and every text stays a plain string until a widget escapes it.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from powkit.resources import display_path

__all__ = [
    "ID_RE",
    "SOURCE_DATE_RULE",
    "Checker",
    "CitationError",
    "Problem",
    "Resolver",
    "Source",
    "ValidationError",
    "describe_type",
    "open_mapping",
    "read_yaml",
    "short_repr",
    "source_date",
]

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2})?$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, worded so that its author can fix it."""

    path: str  # the file as the reader knows it, e.g. "data/quizzes/status.yaml"
    item: str  # "question pc-07", "node briefing", "line 14", "" for the whole file
    field: str  # "options", "option 2: correct", "" when the item itself is the problem
    message: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.path, self.item, self.field, self.message) if part)


class ValidationError(ValueError):
    """A content file that cannot be used; ``problems`` lists every reason at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid file")


class CitationError(ValueError):
    """A citation that does not name an existing article or paragraph.

    The message always says what does exist, so that the reader can correct the citation.
    (Defined here, below the treaty module, so that every format can tell a wrong citation
    from a broken file without importing the treaties.)
    """


@dataclass(frozen=True)
class Source:
    """Where a fact about a real event comes from: title, publisher, URL and date."""

    title: str
    publisher: str
    url: str
    date: str  # YYYY-MM-DD, or YYYY-MM / YYYY when the source gives no day
    note: str = ""


#: Turns a citation into its passages, raising :class:`CitationError` if it names nothing.
Resolver = Callable[[str], object]


class Checker:
    """Collects the problems of one file; each check returns the cleaned value, or None.

    The checks are the rules every content format shares (ids, text, true/false, citations,
    sources and their dates), worded once so that every file reports them the same way.
    ``resolver`` resolves citations (the kit passes ``powkit.convention.resolve``); ``cache``
    may be shared between files so that a citation is resolved once per run.
    """

    def __init__(
        self,
        path: str,
        resolver: Resolver | None = None,
        cache: dict[str, str | None] | None = None,
    ):
        self.path = path
        self.problems: list[Problem] = []
        self._resolver = resolver
        self._cache = cache if cache is not None else {}

    def add(self, item: str, fld: str, message: str) -> None:
        self.problems.append(Problem(self.path, item, fld, message))

    def unknown(self, raw: dict, allowed: Iterable[str], item: str, where: str = "") -> None:
        allowed = tuple(allowed)
        for key in raw:
            if key not in allowed:
                self.add(
                    item,
                    f"{where}{key}" if isinstance(key, str) else where.rstrip(": ") or "fields",
                    f"unknown field {key!r}; expected one of {', '.join(allowed)}",
                )

    def text(
        self, raw: dict, key: str, item: str, where: str = "", required: bool = True
    ) -> str | None:
        label = f"{where}{key}"
        if key not in raw or raw[key] is None:
            if required:
                self.add(item, label, "missing; write some text here")
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(item, label, f"must be text, not {describe_type(value)}")
            return None
        value = str(value).strip()
        if required and not value:
            self.add(item, label, "is empty; write some text here")
            return None
        return value

    def boolean(
        self, raw: dict, key: str, item: str, where: str = "", default: bool | None = None
    ) -> bool | None:
        label = f"{where}{key}"
        if key not in raw:
            if default is None:
                self.add(item, label, "missing; write true or false")
            return default
        value = raw[key]
        if not isinstance(value, bool):
            self.add(item, label, f"must be true or false, not {short_repr(value)}")
            return None
        return value

    def ident(self, raw: dict, key: str, item: str) -> str | None:
        if key not in raw or raw[key] is None:
            self.add(
                item, key, "missing; give an id of lower-case letters, digits and '-', e.g. 'pc-01'"
            )
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.add(item, key, f"must be an id like 'pc-01', not {describe_type(value)}")
            return None
        value = str(value)
        if not ID_RE.match(value):
            self.add(
                item,
                key,
                f"{value!r} is not a valid id; use lower-case letters, digits, '-' and '_', e.g. 'pc-01'",
            )
            return None
        return value

    def citations(
        self, raw: dict, key: str, item: str, where: str = "", required: bool = True
    ) -> tuple[str, ...]:
        label = f"{where}{key}"
        if key not in raw or raw[key] is None:
            if required:
                self.add(
                    item, label, 'missing; list the articles that decide this, e.g. ["GCIII 13(2)"]'
                )
            return ()
        value = raw[key]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(
                item,
                label,
                f'must be a list of citations like ["GCIII 13(2)"], not {describe_type(value)}',
            )
            return ()
        if required and not value:
            self.add(item, label, 'is empty; cite at least one article, e.g. ["GCIII 13(2)"]')
        out = []
        for i, citation in enumerate(value, 1):
            if not isinstance(citation, str) or not citation.strip():
                self.add(
                    item,
                    label,
                    f'citation {i} must be text like "GCIII 13(2)", not {short_repr(citation)}',
                )
                continue
            citation = citation.strip()
            error = self._resolve(citation)
            if error:
                self.add(item, label, error)
                continue
            out.append(citation)
        return tuple(out)

    def _resolve(self, citation: str) -> str | None:
        if self._resolver is None:
            raise TypeError("this Checker was made without a resolver; it cannot check citations")
        if citation not in self._cache:
            try:
                self._resolver(citation)
                self._cache[citation] = None
            except CitationError as error:
                self._cache[citation] = f"citation does not resolve: {error}"
            except OSError as error:  # the treaty text itself is missing or unreadable
                where = error.filename or "the treaty data file"
                self._cache[citation] = (
                    f"cannot check {citation!r}: cannot read {where} ({error.strerror or error})"
                )
            except (ValueError, KeyError) as error:
                self._cache[citation] = (
                    f"cannot check {citation!r}: {type(error).__name__}: {error}"
                )
        return self._cache[citation]

    def sources(self, raw: dict, item: str, required: bool = False) -> tuple[Source, ...]:
        """A ``sources`` list of {title, publisher, url, date, note} mappings."""
        if "sources" not in raw or raw["sources"] is None:
            if required:
                self.add(
                    item, "sources", "missing; give title, publisher, url and date for each source"
                )
            return ()
        value = raw["sources"]
        if not isinstance(value, list):
            self.add(
                item,
                "sources",
                f"must be a list of {{title, publisher, url, date}}, not {describe_type(value)}",
            )
            return ()
        found = [self.source(entry, item, f"source {i}") for i, entry in enumerate(value, 1)]
        return tuple(s for s in found if s is not None)

    def source(self, entry: object, item: str, label: str = "source") -> Source | None:
        """One source: a mapping with title, publisher, url, date and an optional note."""
        if not isinstance(entry, dict):
            self.add(
                item,
                label,
                f"must be a mapping with title, publisher, url and date, not {describe_type(entry)}",
            )
            return None
        where = f"{label}: "
        self.unknown(entry, ("title", "publisher", "url", "date", "note"), item, where)
        title = self.text(entry, "title", item, where)
        publisher = self.text(entry, "publisher", item, where)
        url = self.text(entry, "url", item, where)
        if url is not None and not _URL_RE.match(url):
            self.add(
                item,
                f"{where}url",
                f"{url!r} must be a web address starting with http:// or https://",
            )
            url = None
        date = self._date(entry, item, where)
        note = self.text(entry, "note", item, where, required=False) or ""
        if title is None or publisher is None or url is None or date is None:
            return None
        return Source(title=title, publisher=publisher, url=url, date=date, note=note)

    def _date(self, entry: dict, item: str, where: str) -> str | None:
        label = f"{where}date"
        if "date" not in entry or entry["date"] is None:
            self.add(item, label, "missing; write the publication date as YYYY-MM-DD")
            return None
        value = entry["date"]
        parsed = source_date(value)
        if parsed is None:
            self.add(
                item,
                label,
                SOURCE_DATE_RULE
                if not isinstance(value, _dt.datetime)
                else f"{value.isoformat()} has a time; write the date alone as YYYY-MM-DD",
            )
        return parsed


#: What a source date may look like, in the words every validation message uses.
SOURCE_DATE_RULE = (
    "must be YYYY-MM-DD (or YYYY-MM, or YYYY when the source gives no day), e.g. 2022-03-17"
)


def source_date(value: object) -> str | None:
    """A source's publication date as written (``2022-03-17``, ``2022-11`` or ``2020``), or None.

    One rule for every file that cites sources (banks, scenarios, case files). A source dated only
    to a month or a year stays so: it is never padded to an invented day.
    """
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2100:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _PARTIAL_DATE_RE.match(text):
        _, _, month = text.partition("-")
        return text if not month or 1 <= int(month) <= 12 else None
    if _DATE_RE.match(text):
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    return None


def describe_type(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def short_repr(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


#: libyaml's parser with PyYAML's safe constructor when PyYAML was built with libyaml (about ten
#: times faster on the banks, the same data), else PyYAML's own safe loader. Either way only plain
#: data (strings, numbers, lists, mappings, dates) is built.
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_load(text: str) -> object:
    """``yaml.safe_load``, fast. A file that does not parse is read again by PyYAML's own parser,
    so that the error names the line and column exactly as it always did (libyaml reports some
    errors, such as an unclosed bracket, at another place)."""
    try:
        return yaml.load(text, Loader=_FAST_SAFE_LOADER)
    except yaml.YAMLError:
        if _FAST_SAFE_LOADER is yaml.SafeLoader:
            raise
        return yaml.safe_load(text)


def read_yaml(path: Path, shown: str | None = None) -> tuple[object, list[Problem]]:
    """Read a YAML file safely (``yaml.safe_load``: nothing in it is ever run).

    Returns the data and, instead of raising, the problems that kept it from being read, each
    naming the file (as ``shown``) and, for a syntax error, the line and column.
    """
    shown = display_path(path) if shown is None else shown
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(shown, "", "", "file not found")]
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                shown,
                "",
                "",
                f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
            )
        ]
    except OSError as error:
        return None, [Problem(shown, "", "", f"cannot read: {error.strerror or error}")]
    try:
        return _safe_load(text), []
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = error.problem or error.context or "invalid YAML"
        return None, [Problem(shown, where, "", f"YAML syntax error: {what}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "position", None)
        return None, [
            Problem(
                shown,
                "",
                "",
                f"YAML error: {error}"
                if mark is None
                else f"YAML error at character {mark}: {getattr(error, 'reason', error)}",
            )
        ]
    except RecursionError:
        return None, [Problem(shown, "", "", "YAML nested too deeply")]
    except (ValueError, TypeError, OverflowError) as error:
        # safe_load builds dates itself: "date: 2022-13-01" fails here, without a line number.
        return None, [
            Problem(
                shown,
                "",
                "",
                f"YAML value cannot be read ({error}); check that every date is a real date written YYYY-MM-DD",
            )
        ]


def open_mapping(
    path: str | Path,
    fields: Iterable[str],
    resolver: Resolver | None = None,
) -> tuple[dict | None, Checker]:
    """Read a YAML file that must hold a mapping, and a :class:`Checker` for it.

    The first steps of every format's check: read safely, report a syntax error with its line,
    and say which fields the mapping should have if the file is something else. Returns the
    mapping (None if unusable; the checker then holds the reason) and the checker, whose
    unknown-field check is already done.
    """
    path = Path(path)
    shown = display_path(path)
    check = Checker(shown, resolver)
    raw, problems = read_yaml(path, shown)
    check.problems.extend(problems)
    if problems:
        return None, check
    fields = tuple(fields)
    if not isinstance(raw, dict):
        check.add("", "", f"must be a mapping with {', '.join(fields)}, not {describe_type(raw)}")
        return None, check
    check.unknown(raw, fields, "")
    return raw, check
