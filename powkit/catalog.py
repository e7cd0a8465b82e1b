"""Everything an instructor can edit, found and checked in one pass (``powkit validate``).

Each content format checks itself in its own module (banks and scenarios in
:mod:`powkit.banks`, exercise check files in :mod:`powkit.grading`, case files in :mod:`powkit.casefile`, decision trees in
:mod:`powkit.trees`, the table of contents in :mod:`powkit.course`, datasets in
:mod:`powkit.data`, treaty texts in :mod:`powkit.convention`), all reporting
:class:`~powkit.validation.Problem` s the same way. This module only knows which files there are
and asks each format, so that ``powkit validate`` with no argument checks everything and says
what it checked; given paths, it works out each file's format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from powkit import banks, casefile, convention, course, data, grading, trees
from powkit.resources import display_path, exercise_check_files
from powkit.validation import Problem, ValidationError, read_yaml

__all__ = ["Checked", "Report", "check_all", "check_paths"]


@dataclass(frozen=True)
class Checked:
    """One kind of content that was checked: what, which files, and a count in words."""

    kind: str
    files: tuple[str, ...]
    summary: str


@dataclass
class Report:
    """What a validation run checked, and every problem it found."""

    checked: list[Checked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """What was checked, one line per kind of content, for the command line."""
        width = max((len(c.kind) for c in self.checked), default=0)
        out = []
        for c in self.checked:
            if len(c.files) <= 3:
                shown = ", ".join(c.files)
            else:
                folders = sorted({str(Path(f).parent) for f in c.files})
                shown = f"{len(c.files)} files in {', '.join(folders)}"
            out.append(f"  {c.kind:<{width}}  {shown}: {c.summary}")
        return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _treaties(report: Report) -> None:
    for treaty in convention.TREATIES:
        count, problems = convention.check_treaty(treaty)
        report.problems.extend(problems)
        shown = display_path(convention.data_file(convention.TREATIES[treaty]))
        report.checked.append(Checked(f"treaty text {treaty}", (shown,), _plural(count, "article")))


def _toc(report: Report, path: Path | None = None) -> None:
    toc, problems = course.check_toc(path)
    report.problems.extend(problems)
    shown = display_path(path or course.data_file(course.TOC_FILE))
    summary = (
        f"{_plural(len(toc['lessons']), 'lesson')}, {_plural(len(toc['exercises']), 'exercise')}"
        if toc
        else "not usable"
    )
    report.checked.append(Checked("table of contents", (shown,), summary))


def _topics(report: Report) -> None:
    found, problems = banks.check_vocabulary()
    report.problems.extend(problems)
    shown = display_path(banks.data_file(banks.TOPICS_FILE))
    summary = (
        f"{_plural(len(found.topics), 'topic')}, {_plural(len(found.difficulties), 'difficulty level')}"
        if found
        else "not usable"
    )
    report.checked.append(Checked("topics", (shown,), summary))


def _banks_and_scenarios(report: Report, files: list[Path]) -> None:
    if not files:
        return
    result = banks.validate(files)
    report.problems.extend(result.problems)
    bank_files = [b.path for b in result.banks]
    scenario_files = [s.path for s in result.scenarios]
    questions = sum(len(b.questions) for b in result.banks)
    if bank_files or not scenario_files:
        report.checked.append(
            Checked(
                "question banks",
                tuple(bank_files),
                f"{_plural(len(bank_files), 'bank')}, {_plural(questions, 'question')}",
            )
        )
    if scenario_files:
        report.checked.append(
            Checked("scenarios", tuple(scenario_files), _plural(len(scenario_files), "scenario"))
        )


def _cases(report: Report, files: list[Path]) -> None:
    items = 0
    for path in files:
        case, problems = casefile.check_case(path)
        report.problems.extend(problems)
        items += len(case.items) if case else 0
    if files:
        shown = tuple(display_path(p) for p in files)
        report.checked.append(
            Checked("case files", shown, f"{_plural(len(files), 'file')}, {_plural(items, 'item')}")
        )


def _trees(report: Report, files: list[Path]) -> None:
    questions = outcomes = 0
    for path in files:
        tree, problems = trees.check_tree(path)
        report.problems.extend(problems)
        if tree:
            questions += len(tree.nodes)
            outcomes += len(tree.outcomes)
    if files:
        shown = tuple(display_path(p) for p in files)
        report.checked.append(
            Checked(
                "decision trees",
                shown,
                f"{_plural(questions, 'question')}, {_plural(outcomes, 'outcome')}",
            )
        )


_DATASETS = {
    data.FIGURES_FILE: data.load_figures,
    data.REPATRIATIONS_FILE: data.load_repatriations,
}


def _dataset(report: Report, path: Path) -> None:
    loader = _DATASETS.get(path.name)
    shown = display_path(path)
    if loader is None:
        report.problems.append(
            Problem(shown, "", "", f"not a dataset the kit knows; name it {' or '.join(_DATASETS)}")
        )
        return
    try:
        rows = len(loader(path))
    except ValidationError as error:
        report.problems.extend(error.problems)
        rows = 0
    except FileNotFoundError as error:
        report.problems.append(Problem(shown, "", "", str(error)))
        rows = 0
    report.checked.append(Checked("dataset", (shown,), _plural(rows, "row")))


def check_all() -> Report:
    """Check every content file the kit reads, an instructor's (``$POWKIT_DATA``) included."""
    report = Report()
    _treaties(report)
    _toc(report)
    _topics(report)
    _banks_and_scenarios(report, [*banks.bank_files(), *banks.scenario_files()])
    _cases(report, casefile.case_files())
    _trees(report, trees.tree_files())
    for name in _DATASETS:
        _dataset(report, data.data_file(name))
    _exercise_checks(report, exercise_check_files())
    return report


def _exercise_checks(report: Report, files: list[Path]) -> None:
    count = 0
    for path in files:
        specs, problems = grading.check_file_problems(path)
        report.problems.extend(problems)
        count += len(specs)
    if files:
        shown = tuple(display_path(p) for p in files)
        summary = f"{_plural(len(files), 'exercise')}, {_plural(count, 'check')}"
        report.checked.append(Checked("exercise checks", shown, summary))


def _kind_of(path: Path) -> str:
    """Which format a file is in: by its ending, then by the key that opens it."""
    if path.suffix == ".csv":
        return "dataset"
    if path.name.endswith(".checks.yaml"):
        return "checks"
    raw, _ = read_yaml(path)
    if isinstance(raw, dict):
        for key, kind in (("case", "case"), ("tree", "tree"), ("lessons", "toc")):
            if key in raw:
                return kind
    return "bank-or-scenario"


def check_paths(paths: Iterable[str | Path]) -> Report:
    """Check the given files (a folder means its ``*.yaml``, ``*.yml`` and ``*.csv``)."""
    files: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            files.extend(
                sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml", ".csv"))
            )
        else:
            files.append(entry)
    report = Report()
    by_kind: dict[str, list[Path]] = {}
    for path in files:
        if not path.exists():
            report.problems.append(Problem(display_path(path), "", "", "file not found"))
            continue
        by_kind.setdefault(_kind_of(path), []).append(path)
    _banks_and_scenarios(report, by_kind.get("bank-or-scenario", []))
    _cases(report, by_kind.get("case", []))
    _trees(report, by_kind.get("tree", []))
    for path in by_kind.get("toc", []):
        _toc(report, path)
    for path in by_kind.get("dataset", []):
        _dataset(report, path)
    _exercise_checks(report, by_kind.get("checks", []))
    return report
