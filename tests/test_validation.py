"""One validation layer: every format reports problems the same way, all at once, and
``powkit validate`` checks everything an instructor can edit and says what it checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from powkit import banks, catalog, cli, data, resources
from powkit.validation import Problem, ValidationError

REPO = Path(__file__).resolve().parent.parent
SHIPPED_BANKS = sorted((REPO / "data" / "quizzes").glob("*.yaml"))


def test_problem_prints_file_item_field_message():
    assert str(Problem("data/x.yaml", "question q1", "options", "too few")) == (
        "data/x.yaml: question q1: options: too few"
    )
    assert str(Problem("data/x.yaml", "", "", "not YAML")) == "data/x.yaml: not YAML"


def test_every_error_class_is_a_validation_error():
    from powkit.casefile import CaseError
    from powkit.course import TocError
    from powkit.trees import TreeError

    for error in (banks.BankError, CaseError, TreeError, data.DataError, TocError):
        assert issubclass(error, ValidationError), error


def test_validate_without_arguments_checks_everything_and_says_so(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    for kind in (
        "treaty text GCIII",
        "treaty text API",
        "table of contents",
        "topics",
        "question banks",
        "scenarios",
        "case files",
        "decision trees",
        "data/ru-ua-pow-figures.csv",
        "data/historical-repatriations.csv",
    ):
        assert kind in out, f"'powkit validate' does not say it checked {kind}:\n{out}"
    assert out.strip().endswith("OK: no problems")


@pytest.fixture
def broken_folder(tmp_path, monkeypatch) -> Path:
    """An instructor's folder with one mistake in each format."""
    own = tmp_path / "course-data"
    for sub in ("quizzes", "case", "trees"):
        (own / sub).mkdir(parents=True)
    bank = yaml.safe_load((REPO / "data" / "quizzes" / "status.yaml").read_text(encoding="utf-8"))
    bank["bank"] = "mine"
    for q in bank["questions"]:
        q["id"] = "mine-" + q["id"]
    bank["questions"][0]["topic"] = "no-such-topic"
    (own / "quizzes" / "mine.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    case = yaml.safe_load(
        (REPO / "data" / "case" / "kyiv-2022-03-16.yaml").read_text(encoding="utf-8")
    )
    case["items"][0]["articles"] = ["GCIII 13(9)"]
    (own / "case" / "kyiv-2022-03-16.yaml").write_text(yaml.safe_dump(case), encoding="utf-8")
    tree = yaml.safe_load((REPO / "data" / "trees" / "status.yaml").read_text(encoding="utf-8"))
    first = tree["start"]
    tree["nodes"][first]["yes"] = "nowhere"
    (own / "trees" / "status.yaml").write_text(yaml.safe_dump(tree), encoding="utf-8")
    lines = (REPO / "data" / data.FIGURES_FILE).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    value_at = header.index("value")
    for n in (1, 3):  # two broken cells in two rows: both must be reported
        cells = lines[n].split(",")
        cells[value_at] = "many"
        lines[n] = ",".join(cells)
    (own / data.FIGURES_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("POWKIT_DATA", str(own))
    return own


def test_every_problem_in_every_format_is_reported_at_once(broken_folder, capsys):
    assert cli.main(["validate"]) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    expected = [
        "course-data/quizzes/mine.yaml: question mine-",
        "course-data/case/kyiv-2022-03-16.yaml: item ",
        "course-data/trees/status.yaml: node ",
        "course-data/ru-ua-pow-figures.csv: line 2: value: 'many'",
        "course-data/ru-ua-pow-figures.csv: line 4: value: 'many'",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in out), f"no line starts {start!r}:\n{out}"
    assert all(line.count(": ") >= 2 for line in out), out
    assert "checked:" in captured.err and "problems" in captured.err


def test_validate_paths_works_out_each_format(tmp_path, capsys):
    for name in ("trees/status.yaml", "case/kyiv-2022-03-16.yaml", "toc.yaml", data.FIGURES_FILE):
        shutil.copy(REPO / "data" / name, tmp_path / Path(name).name)
    assert cli.main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for kind in ("decision trees", "case files", "table of contents", "dataset"):
        assert kind in out


def test_topics_come_from_one_definition(tmp_path, monkeypatch):
    """Adding a topic is one entry in data/topics.yaml."""
    raw = yaml.safe_load((REPO / "data" / "topics.yaml").read_text(encoding="utf-8"))
    raw["topics"].append({"id": "the_missing", "label": "The missing and the dead"})
    (tmp_path / "topics.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path))
    assert banks.topics()[-1] == "the_missing"
    assert banks.topic_label("the_missing") == "The missing and the dead"
    assert "the_missing" in banks.bank_schema()["$defs"]["question"]["properties"]["topic"]["enum"]


# --------------------------------------------------------------------------- the bank schema


def _schema() -> dict:
    return json.loads(resources.asset_text("bank.schema.json"))


@pytest.mark.parametrize("path", SHIPPED_BANKS, ids=lambda p: p.stem)
def test_schema_accepts_every_shipped_bank(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.validate(_fix_dates(raw), _schema())
    jsonschema.validate(_fix_dates(raw), banks.bank_schema())


def _fix_dates(raw):
    """YAML makes dates of unquoted 2022-03-17; an editor sees the text, so compare text."""
    return json.loads(json.dumps(raw, default=str))


@pytest.mark.parametrize(
    "breakage, where",
    [
        (lambda b: b["questions"][0].pop("options"), "options"),
        (lambda b: b["questions"][0].update(kind="several"), "several"),
        (lambda b: b["questions"][0]["options"][0].update(correct="yes"), "yes"),
        (lambda b: b["questions"][0].update(colour="red"), "colour"),
        (lambda b: b["questions"][0].update(id="Bad Id"), "Bad Id"),
        (lambda b: b["questions"][0].update(articles=["Article 13"]), "Article 13"),
    ],
)
def test_schema_rejects_a_broken_bank(breakage, where):
    raw = _fix_dates(yaml.safe_load(SHIPPED_BANKS[0].read_text(encoding="utf-8")))
    breakage(raw)
    with pytest.raises(jsonschema.ValidationError) as info:
        jsonschema.validate(raw, _schema())
    assert where in str(info.value)


def test_filled_schema_rejects_an_unknown_topic():
    raw = _fix_dates(yaml.safe_load(SHIPPED_BANKS[0].read_text(encoding="utf-8")))
    raw["questions"][0]["topic"] = "astrology"
    with pytest.raises(jsonschema.ValidationError, match="astrology"):
        jsonschema.validate(raw, banks.bank_schema())


# --------------------------------------------------------------------------- exercise check files


def test_exercise_check_files_are_checked_and_hold_the_keys():
    from powkit import grading

    report = catalog.check_all()
    checked = {c.kind: c for c in report.checked}
    assert "exercise checks" in checked
    assert f"{len(grading.checks())} checks" in checked["exercise checks"].summary
    assert grading.cases("ex4")[0][0] == "a"


def test_the_check_framework_holds_no_answers():
    """Answer keys live in solutions/*.checks.yaml, not in powkit/grading.py or powkit/checks."""
    keys = set()
    for path in (REPO / "solutions").glob("*.checks.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for spec in raw["checks"].values():
            for case in spec.get("cases", []) + ([spec["case"]] if "case" in spec else []):
                for text in (case["text"], case.get("why", "")):
                    if text:
                        keys.add(" ".join(text.split())[:40])
            for message in spec.get("messages", {}).values():
                keys.add(" ".join(message.split())[:40])
    code = "".join(
        p.read_text(encoding="utf-8")
        for p in [REPO / "powkit" / "grading.py", *(REPO / "powkit" / "checks").glob("*.py")]
    )
    code = " ".join(code.split())
    leaked = sorted(k for k in keys if k in code)
    assert not leaked, f"answer keys in the framework's code: {leaked}"


def test_a_broken_check_file_names_file_check_and_field(tmp_path, monkeypatch):
    from powkit import grading

    folder = tmp_path / "mine" / "checks"
    folder.mkdir(parents=True)
    (folder / "07-new.checks.yaml").write_text(
        "exercise: 07-new\nchecks:\n  ex7_q1:\n    title: T\n    points: 0\n    kind: magic\n"
        "    function: f\n  ex7_q2:\n    title: U\n    points: 2\n    kind: citation\n"
        "    function: f\n    hint: h\n    expected: GCIII 13(9)\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path / "mine"))
    with pytest.raises(grading.ChecksError) as info:
        grading.checks()
    text = str(info.value)
    assert "07-new.checks.yaml: check ex7_q1: points: must be a number above 0" in text
    assert "check ex7_q1: kind: 'magic' must be one of" in text
    assert "check ex7_q2: expected: citation does not resolve: GCIII 13(9)" in text


def test_fast_yaml_reading_gives_what_safe_load_gives():
    """The kit reads YAML with libyaml when it can: the same data as yaml.safe_load for every
    shipped file, and a syntax error still at PyYAML's line and column."""
    from powkit import validation

    files = sorted((REPO / "data").rglob("*.yaml")) + sorted((REPO / "solutions").glob("*.yaml"))
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert validation._safe_load(text) == yaml.safe_load(text), path.name
    with pytest.raises(yaml.MarkedYAMLError) as info:
        validation._safe_load("nodes: [unclosed")
    assert (info.value.problem_mark.line, info.value.problem_mark.column) == (0, 16)
    with pytest.raises(yaml.constructor.ConstructorError):
        validation._safe_load("!!python/object/apply:os.system ['echo no']")
