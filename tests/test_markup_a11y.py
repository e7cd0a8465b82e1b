"""The shared HTML helpers give assistive technology what it needs (checked without a browser)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from powkit import charts
from powkit.markup import data_table, live_region, symbol


def test_a_data_table_has_a_caption_headers_and_a_focusable_scroll_box():
    frame = pd.DataFrame(
        {"conflict": ["<b>War</b>", "Other"], "held": [pd.NA, 12], "ended": ["1953-07-27", None]}
    )
    view = data_table(frame, "Repatriations")
    assert '<div class="powkit-scroll" tabindex="0" role="region" aria-label="Repatriations">' in (
        view.html
    )
    assert "<caption>Repatriations</caption>" in view.html
    assert view.html.count('<th scope="col">') == 3
    assert "&lt;b&gt;War&lt;/b&gt;" in view.html and "<b>" not in view.html  # escaped
    assert "<td></td>" in view.html  # a gap stays a gap
    assert "Other\t12" in str(view)
    named = data_table(frame.set_index("conflict"), "By conflict")
    assert named.html.count('<th scope="col">') == 3  # a named index is a column of data


def test_a_symbol_is_hidden_from_speech_beside_its_words():
    html = symbol("\u25cf\u25cf\u25cb", "2 of 3")
    assert '<span aria-hidden="true">\u25cf\u25cf\u25cb</span>' in html
    assert '<span class="powkit-visually-hidden">2 of 3</span>' in html


def test_feedback_is_a_polite_live_region():
    assert live_region("<p>Right.</p>").startswith('<div role="status" aria-live="polite">')


@pytest.mark.parametrize(
    "make",
    [
        charts.returned_over_time,
        charts.captures_over_time,
        charts.repatriation_timelines,
        charts.articles_per_part,
        charts.misleading_chart,
    ],
    ids=lambda f: f.__name__,
)
def test_every_chart_states_its_figures_and_offers_them_as_a_table(make):
    chart = make()
    page = charts.chart_html(chart)
    alt = re.search(r'alt="([^"]*)"', page).group(1)
    assert re.search(r"\d", alt), alt  # the alt text states figures (the table, all of them)
    assert "<summary>The figures as a table</summary>" in page
    table = page.split("<summary>The figures as a table</summary>", 1)[1]
    assert table.count("<tr>") >= 2 and '<th scope="col">' in table
