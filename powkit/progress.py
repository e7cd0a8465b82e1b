"""A learner's saved answers, so that self-study survives closing the notebook.

Answers live in one JSON file per user, ``progress.json`` in ``$POWKIT_HOME`` (default
``~/.powkit/``; in the browser copy of the course, ``/drive/my-answers/``, see below). Nothing
a learner did may be lost, so:

- every change is a read-modify-write done under an inter-process lock (``progress.lock``),
  so two notebooks answering at the same moment both keep their answers;
- the file is replaced atomically (a temporary file in the same folder, then ``os.replace``),
  so a crash mid-write leaves the old file, never half a file;
- a file that cannot be read is moved aside to ``progress.json.corrupt-<timestamp>`` with a
  warning naming both paths, and never silently overwritten.

In the browser (JupyterLite, where Python is Pyodide): the home folder is in memory and lost
when the page is reloaded, but JupyterLite mounts the browser's own storage for the site at
``/drive`` (what the file browser shows). Answers go to ``/drive/my-answers/``, so they survive
a reload and the learner can see and download them. Pyodide's ``fcntl`` has no ``flock``; there
the lock is a lock file created exclusively (``O_EXCL``), removed after use and broken when
older than :data:`STALE_LOCK_SECONDS` (a tab closed mid-write must not block the others for
ever). :func:`storage` says in words where answers are kept, and the progress table shows it.

For instructors, ``export_csv`` writes one row per answer with a pseudonymous learner id: the
SHA-256 of a random salt created once per install (``learner.salt``), never the user name.

The file format (version 1)::

    {"version": 1,
     "answers": [{"bank": "public-curiosity", "question": "pc-01", "topic": "public_curiosity",
                  "chosen": [1], "correct": true, "mode": "practice",
                  "answered_at": "2025-01-31T10:02:03.123456+00:00"}, ...]}

``chosen`` holds option indexes (0-based) in the order the options are written in the bank.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import hashlib
import html
import json
import os
import secrets
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from powkit.markup import HTMLView, table

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

__all__ = [
    "EXPORT_COLUMNS",
    "Answer",
    "Progress",
    "Storage",
    "default_home",
    "export_csv",
    "in_browser",
    "show_summary",
    "storage",
    "summary",
    "summary_html",
]

FILE_NAME = "progress.json"
LOCK_NAME = "progress.lock"
SALT_NAME = "learner.salt"
VERSION = 1
#: The columns of an export, in order: written by :meth:`Progress.export_csv`, read by
#: :func:`powkit.analysis.load_results`.
EXPORT_COLUMNS = ("learner", "bank", "question", "topic", "chosen", "correct", "answered_at")


#: JupyterLite mounts the browser's storage for the site here (the file browser's root).
BROWSER_DRIVE = Path("/drive")
#: The folder, visible in JupyterLite's file browser, that holds a learner's answers there.
BROWSER_FOLDER = "my-answers"
#: A lock file older than this is left over from a tab closed mid-write, and is broken.
STALE_LOCK_SECONDS = 10.0
#: How long to wait for another tab's lock before breaking it (answers are never dropped).
LOCK_WAIT_SECONDS = 5.0


def in_browser() -> bool:
    """True when Python runs inside a browser tab (Pyodide, as in the JupyterLite site)."""
    return sys.platform == "emscripten"


def _browser_drive() -> Path | None:
    """JupyterLite's ``/drive`` when this is a browser kernel that has it, else None."""
    return BROWSER_DRIVE if in_browser() and BROWSER_DRIVE.is_dir() else None


def default_home() -> Path:
    """``$POWKIT_HOME`` if set; in the browser ``/drive/my-answers``; else ``~/.powkit``."""
    override = os.environ.get("POWKIT_HOME")
    if override:
        return Path(override).expanduser()
    drive = _browser_drive()
    if drive is not None:
        return drive / BROWSER_FOLDER
    return Path.home() / ".powkit"


@dataclass(frozen=True)
class Storage:
    """Where a learner's answers are kept, in words a learner understands."""

    kind: str  # "folder" (a computer's disk), "browser" (kept by the browser) or "memory"
    home: Path

    @property
    def kept(self) -> bool:
        """Whether answers survive closing the notebook (or reloading the page)."""
        return self.kind != "memory"

    def sentences(self) -> list[str]:
        """What a learner should know: where the answers are, how long, how to keep a copy."""
        export = "progress.export_csv('quiz-answers.csv')"
        if self.kind == "browser":
            return [
                (
                    "Your answers are saved in this browser, for this website only, in the "
                    f"folder {self.home.name}/ of the file browser on the left. They stay when "
                    "you reload or come back later on this computer, but another browser or "
                    "computer will not see them, and clearing this site's data in your browser "
                    "deletes them."
                ),
                (
                    f"To keep a copy or hand your answers in, run  {export}  in a cell, then "
                    "right-click quiz-answers.csv in the file browser and choose Download."
                ),
            ]
        if self.kind == "memory":
            return [
                (
                    "Warning: this page cannot save files (in a private window, for example), "
                    "so your answers last only until you reload or close it."
                ),
                (
                    f"To keep them, run  {export}  before you leave and download the file "
                    "(right-click it in the file browser, then Download)."
                ),
            ]
        return [
            f"Your answers are saved in {self.home} on this computer.",
            (
                "To hand them in, run  powkit export-progress quiz-answers.csv  in a terminal "
                f"(or {export} in a cell)."
            ),
        ]


def storage(home: str | Path | None = None) -> Storage:
    """Where answers saved in ``home`` (default: :func:`default_home`) are kept."""
    folder = Path(home).expanduser() if home is not None else default_home()
    if not in_browser():
        return Storage("folder", folder)
    drive = _browser_drive()
    if drive is not None and (folder == drive or drive in folder.parents):
        return Storage("browser", folder)
    return Storage("memory", folder)


@dataclass(frozen=True)
class Answer:
    """One answer as saved: which options were chosen, and whether that was right."""

    bank: str
    question: str
    topic: str
    chosen: tuple[int, ...]
    correct: bool
    answered_at: str
    mode: str = "practice"

    def to_json(self) -> dict:
        return {
            "bank": self.bank,
            "question": self.question,
            "topic": self.topic,
            "chosen": list(self.chosen),
            "correct": self.correct,
            "mode": self.mode,
            "answered_at": self.answered_at,
        }

    @classmethod
    def from_json(cls, raw: object) -> Answer | None:
        """The answer in a saved entry, or None if the entry is not one (it is kept, not used)."""
        if not isinstance(raw, dict):
            return None
        try:
            chosen = tuple(int(i) for i in raw.get("chosen", ()))
            bank, question = raw["bank"], raw["question"]
            correct = raw["correct"]
        except (KeyError, TypeError, ValueError):
            return None
        if (
            not isinstance(bank, str)
            or not isinstance(question, str)
            or not isinstance(correct, bool)
        ):
            return None
        return cls(
            bank=bank,
            question=question,
            topic=str(raw.get("topic", "")),
            chosen=chosen,
            correct=correct,
            answered_at=str(raw.get("answered_at", "")),
            mode=str(raw.get("mode", "practice")),
        )


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


class Progress:
    """The progress store of one learner (one folder)."""

    def __init__(self, home: str | Path | None = None):
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.path = self.home / FILE_NAME
        self.lock_path = self.home / LOCK_NAME
        self.salt_path = self.home / SALT_NAME

    def __repr__(self) -> str:
        return f"Progress({str(self.home)!r})"

    # ------------------------------------------------------------------ locking and files

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the inter-process lock: only one process reads-modifies-writes at a time."""
        self.home.mkdir(parents=True, exist_ok=True)
        if fcntl is not None and hasattr(fcntl, "flock"):
            with open(self.lock_path, "a+b") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        elif fcntl is None:  # pragma: no cover - Windows
            with open(self.lock_path, "a+b") as handle:
                handle.seek(0)
                while True:
                    try:
                        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                        break
                    except OSError:
                        continue
                try:
                    yield
                finally:
                    handle.seek(0)
                    msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:  # Pyodide: fcntl without flock
            with self._lock_file():
                yield

    @contextlib.contextmanager
    def _lock_file(self) -> Iterator[None]:
        """A lock without ``flock``: a file created exclusively, removed when done.

        Another holder's file older than :data:`STALE_LOCK_SECONDS` is broken at once; after
        :data:`LOCK_WAIT_SECONDS` of waiting the lock is broken anyway, with a warning, so that
        an answer is saved rather than lost.
        """
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                try:
                    age = time.time() - self.lock_path.stat().st_mtime
                except FileNotFoundError:
                    continue  # released this instant: try again
                if age > STALE_LOCK_SECONDS or time.monotonic() > deadline:
                    if age <= STALE_LOCK_SECONDS:
                        warnings.warn(
                            f"powkit progress: {self.lock_path} was held for over "
                            f"{LOCK_WAIT_SECONDS:.0f} s by another notebook; saving anyway",
                            RuntimeWarning,
                            stacklevel=4,
                        )
                    with contextlib.suppress(FileNotFoundError):
                        self.lock_path.unlink()
                    continue
                time.sleep(0.05)
                continue
            os.close(fd)
            break
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.lock_path.unlink()

    def _read_raw(self) -> dict:
        """The stored document; call with the lock held. A broken file is moved aside."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {"version": VERSION, "answers": []}
        problem = ""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            problem = f"it is not valid JSON ({error})"
            doc = None
        if doc is not None and not (isinstance(doc, dict) and isinstance(doc.get("answers"), list)):
            problem = "it does not hold a list of answers"
        if problem:
            aside = self._move_aside()
            warnings.warn(
                f"powkit progress file {self.path} could not be read: {problem}. "
                f"It was moved to {aside} (nothing deleted) and a new progress file was started; "
                "an instructor can recover answers from the moved file.",
                RuntimeWarning,
                stacklevel=3,
            )
            return {"version": VERSION, "answers": []}
        return doc

    def _move_aside(self) -> Path:
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}-{n}")
            n += 1
        os.replace(self.path, aside)
        return aside

    def _write_raw(self, doc: dict) -> None:
        """Replace the file atomically; call with the lock held."""
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=self.home)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, ensure_ascii=False, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable
            with contextlib.suppress(OSError):
                dir_fd = os.open(self.home, os.O_DIRECTORY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)

    # ------------------------------------------------------------------ public API

    def record(
        self,
        bank: str,
        question: str,
        chosen: Iterable[int],
        correct: bool,
        topic: str = "",
        mode: str = "practice",
        answered_at: str | None = None,
    ) -> Answer:
        """Save one answer (read-modify-write under the lock, then an atomic replace)."""
        answer = Answer(
            bank=str(bank),
            question=str(question),
            topic=str(topic),
            chosen=tuple(int(i) for i in chosen),
            correct=bool(correct),
            answered_at=answered_at or _now(),
            mode=str(mode),
        )
        with self._locked():
            doc = self._read_raw()
            doc.setdefault("version", VERSION)
            doc["answers"].append(answer.to_json())
            self._write_raw(doc)
        return answer

    def answers(self, bank: str | None = None) -> list[Answer]:
        """Every saved answer, oldest first (optionally of one bank)."""
        if not self.path.exists():
            return []
        with self._locked():
            doc = self._read_raw()
        found = [a for a in (Answer.from_json(raw) for raw in doc["answers"]) if a is not None]
        return [a for a in found if bank is None or a.bank == bank]

    def latest(self, bank: str | None = None) -> dict[tuple[str, str], Answer]:
        """The most recent answer to each question, keyed by (bank, question)."""
        out: dict[tuple[str, str], Answer] = {}
        for answer in self.answers(bank):
            out[(answer.bank, answer.question)] = answer
        return out

    def answered(self, bank: str) -> set[str]:
        """Ids of the questions of a bank the learner has answered at least once."""
        return {a.question for a in self.answers(bank)}

    def clear(self, bank: str | None = None) -> None:
        """Forget answers (of one bank, or all); the old file is kept as ``progress.json.bak``."""
        with self._locked():
            doc = self._read_raw()
            if self.path.exists():
                backup = self.path.with_name(FILE_NAME + ".bak")
                backup.write_bytes(self.path.read_bytes())
            doc["answers"] = [
                raw
                for raw in doc["answers"]
                if bank is not None and not (isinstance(raw, dict) and raw.get("bank") == bank)
            ]
            self._write_raw(doc)

    def learner_id(self) -> str:
        """A pseudonymous id for exports: a hash of a random salt stored in this folder.

        The salt file appears complete or not at all: it is written to a temporary file and
        then hard-linked into place, which fails if another process got there first (then its
        salt is used). So two processes can never read a half-written salt, and every export
        from this folder carries the same pseudonym.
        """
        self.home.mkdir(parents=True, exist_ok=True)
        if not self.salt_path.exists():
            self._create_salt()
        salt = self.salt_path.read_text(encoding="ascii").strip()
        if not salt:
            raise RuntimeError(f"{self.salt_path} is empty; delete it to make a new pseudonym")
        return hashlib.sha256(("powkit-learner:" + salt).encode("ascii")).hexdigest()[:16]

    def _create_salt(self) -> None:
        fd, tmp = tempfile.mkstemp(prefix=".salt-", dir=self.home)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(tmp, self.salt_path)  # atomic, and refuses to replace a salt
            except FileExistsError:
                pass  # another process made it first: use theirs
            except OSError:  # a file system without hard links: claim the name, then fill it
                with contextlib.suppress(FileExistsError), self._locked():
                    if not self.salt_path.exists():
                        os.replace(tmp, self.salt_path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def summary(self) -> dict[str, dict]:
        """Per bank: questions answered, how many of them right at the last attempt, last activity."""
        out: dict[str, dict] = {}
        for (bank, _), answer in sorted(self.latest().items()):
            entry = out.setdefault(bank, {"answered": 0, "correct": 0, "last_answered_at": ""})
            entry["answered"] += 1
            entry["correct"] += int(answer.correct)
            entry["last_answered_at"] = max(entry["last_answered_at"], answer.answered_at)
        return out

    def export_csv(self, out_path: str | Path) -> int:
        """Write one row per answer for an instructor; return the number of rows."""
        learner = self.learner_id()
        rows = self.answers()
        out_path = Path(out_path)
        with open(out_path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_COLUMNS)
            for a in rows:
                writer.writerow(
                    [
                        learner,
                        _cell(a.bank),
                        _cell(a.question),
                        _cell(a.topic),
                        ";".join(str(i) for i in a.chosen),
                        "true" if a.correct else "false",
                        _cell(a.answered_at),
                    ]
                )
        return len(rows)


def _cell(value: str) -> str:
    """Keep spreadsheets from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


# --------------------------------------------------------------------------- module helpers


def summary(home: str | Path | None = None) -> dict[str, dict]:
    """``Progress(home).summary()``, for a quick look in a notebook."""
    return Progress(home).summary()


def export_csv(out_path: str | Path, home: str | Path | None = None) -> int:
    """``Progress(home).export_csv(out_path)``."""
    return Progress(home).export_csv(out_path)


def summary_html(home: str | Path | None = None, banks: Iterable | None = None) -> str:
    """An escaped HTML table of progress per bank; with ``banks`` (objects with ``id``, ``title``
    and ``questions``), also how many questions each has."""
    data = Progress(home).summary()
    totals: dict[str, tuple[str, int]] = {}
    for bank in banks or ():
        totals[bank.id] = (bank.title, len(bank.questions))
    where = "".join(
        f'<p class="powkit-storage">{html.escape(sentence)}</p>'
        for sentence in storage(home).sentences()
    )
    if not data and not totals:
        return (
            '<p class="powkit-progress">No answers saved yet. '
            "Your answers to quizzes are saved as you go.</p>" + where
        )
    rows = []
    for bank_id in list(totals) + [b for b in data if b not in totals]:
        entry = data.get(bank_id, {"answered": 0, "correct": 0, "last_answered_at": ""})
        title, total = totals.get(bank_id, (bank_id, None))
        answered = (
            f"{entry['answered']} of {total}" if total is not None else str(entry["answered"])
        )
        last = entry["last_answered_at"][:10] or "not started"
        rows.append(
            (html.escape(title), html.escape(answered), str(entry["correct"]), html.escape(last))
        )
    return (
        table(
            ("Quiz", "Answered", "Right at last attempt", "Last activity"),
            rows,
            caption="Your progress",
            cls="powkit-progress",
        )
        + where
    )


def show_summary(home: str | Path | None = None, banks: Iterable | None = None) -> HTMLView:
    """The progress table: shows itself in a notebook, prints as text."""
    data = Progress(home).summary()
    text = (
        "\n".join(
            f"{bank}: {e['answered']} answered, {e['correct']} right at last attempt"
            for bank, e in data.items()
        )
        or "No answers saved yet."
    )
    return HTMLView(summary_html(home, banks), text)
