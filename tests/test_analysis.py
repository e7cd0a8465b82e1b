"""Item analysis of exported quiz results, and the pseudonym that exports carry."""

from __future__ import annotations

import math
import multiprocessing

from powkit import analysis
from powkit.progress import EXPORT_COLUMNS, Progress


def test_export_and_analysis_share_one_column_definition(tmp_path):
    store = Progress(tmp_path / "home")
    store.record("b", "q1", [0], True, topic="status")
    out = tmp_path / "x.csv"
    store.export_csv(out)
    assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(EXPORT_COLUMNS)
    table = analysis.load_results([out])
    assert list(table.columns)[: len(EXPORT_COLUMNS)] == list(EXPORT_COLUMNS)


def test_flag_item_treats_nan_as_unknown_not_as_a_number():
    """One group of learners only: D is NaN and must not be flagged as low or negative."""
    assert analysis._flag_item(0.5, math.nan) == ""
    assert analysis._flag_item(0.5, float("nan")) == ""
    assert "NEGATIVE" in analysis._flag_item(0.5, -0.3)
    assert analysis._flag_item(0.5, 0.1) == "low discrimination"


def _pseudonym(args):
    home, barrier = args
    barrier.wait()
    return Progress(home).learner_id()


def test_learner_id_is_the_same_for_processes_racing_to_create_it(tmp_path):
    """Before the fix a process could read the salt file while another was still writing it."""
    for attempt in range(3):
        home = tmp_path / f"home-{attempt}"
        with multiprocessing.Manager() as manager:
            barrier = manager.Barrier(6)
            with multiprocessing.Pool(6) as pool:
                ids = pool.map(_pseudonym, [(home, barrier)] * 6)
        assert len(set(ids)) == 1, ids
        assert len((home / "learner.salt").read_text(encoding="ascii").strip()) == 64
        assert not [p for p in home.iterdir() if p.name.startswith(".salt-")]
        assert Progress(home).learner_id() == ids[0]


def test_chart_check_reads_a_title_given_as_suptitle():
    """The check used the private Figure._suptitle; a suptitle alone must count as a title."""
    from matplotlib.figure import Figure

    from powkit.grading import check

    def draw(durations):
        fig = Figure()
        ax = fig.subplots()
        ax.barh(range(len(durations)), durations["days_to_complete"].astype(float))
        ax.set_xlabel("days")
        ax.set_ylabel("conflict")
        fig.suptitle("Days from the end of hostilities to the last repatriation")
        return fig

    assert check("ex3_chart", draw, strict=False).passed

    def untitled(durations):
        fig = draw(durations)
        fig.suptitle("")
        return fig

    result = check("ex3_chart", untitled, strict=False)
    assert not result.passed and "title" in str(result)
