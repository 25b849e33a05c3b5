"""The table helper: what a reader sees in the cells, headers and notes of every table in the report."""

import re

import numpy as np
import pandas as pd
import pytest

from startup_report.report.tables import KINDS, MISSING, Table, publisher, table


def cells(t: Table) -> list[list[str]]:
    """The body cells' text as a reader sees it (tags removed)."""
    rows = re.findall(r"<tr>(.*?)</tr>", t.html, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in rows
        if "<td" in row
    ]


def headers(t: Table) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", t.html, re.S)]


def test_no_index_column_and_readable_headers():
    frame = pd.DataFrame({"cost_of_revenue (USD m)": [1.5, 2.25], "model_name": ["a", "b"]})
    t = table(frame)
    assert headers(t) == ["cost of revenue (USD m)", "model name"]
    assert [row[0] for row in cells(t)] == ["1.50", "2.25"]  # no 0, 1 index before the values
    assert "row_heading" not in t.html and "index_name" not in t.html


def test_a_meaningful_index_becomes_a_column():
    frame = pd.DataFrame({"count": [3, 4]}, index=pd.Index(["train", "test"], name="split"))
    assert headers(table(frame)) == ["split", "count"]
    assert cells(table(frame))[0] == ["train", "3"]
    unnamed = pd.DataFrame({"count": [3]}, index=["messages"])
    assert cells(table(unnamed)) == [["messages", "3"]]


def test_numbers_formatted_by_kind():
    frame = pd.DataFrame(
        {
            "price": [74800.0, 0.85],
            "total": [250000.0, 12.0],
            "share": [0.1234, 0.5],
            "accuracy": [0.91234, 1.0],
            "runs": [12345, 7],
            "revenue": [12.345, -3.0],
            "day": pd.to_datetime(["2026-11-26", "2025-01-02"]),
        }
    )
    t = table(
        frame,
        formats={"price": "usd", "total": "usd:0", "share": "pct", "accuracy": "accuracy", "runs": "int",
                 "revenue": "usd_m", "day": "date"},
    )
    assert cells(t) == [
        ["$74,800", "$250,000", "12.3 %", "91.2 %", "12,345", "$12.3 m", "2026-11-26"],
        ["$0.85", "$12", "50.0 %", "100.0 %", "7", "−$3.0 m", "2025-01-02"],
    ]


def test_default_kinds_never_print_long_floats():
    t = table(pd.DataFrame({"x": [74800.0, 0.123456789, 3.14159], "flag": [True, False, True]}))
    assert [row[0] for row in cells(t)] == ["74,800", "0.123", "3.14"]
    assert [row[1] for row in cells(t)] == ["yes", "no", "yes"]


def test_missing_values_show_a_dash_and_the_reason():
    frame = pd.DataFrame({"model": ["a", "b", "c"], "std": [0.01, np.nan, None], "when": ["x", None, "y"]})
    t = table(frame, formats={"std": "pct"}, missing_note="— : a single seed has no spread.")
    text = re.sub(r"<[^>]+>", " ", t.html)
    assert "NaN" not in text and "nan" not in text and "None" not in text
    assert [row[1] for row in cells(t)] == ["1.0 %", MISSING, MISSING]
    assert "a single seed has no spread" in t.html
    assert t.notes[0] == "— : a single seed has no spread."


def test_a_table_without_missing_values_has_no_missing_note():
    assert table(pd.DataFrame({"x": [1.0]}), missing_note="why").notes == ()


def test_infinity_in_a_number_column_reads_as_the_symbol():
    t = table(pd.DataFrame({"epsilon": [1.0, np.inf]}), formats={"epsilon": "number:1"})
    assert [row[0] for row in cells(t)] == ["1.0", "∞"]


def test_sources_are_publisher_names_linked_not_url_columns():
    frame = pd.DataFrame(
        {
            "figure": ["cost per contact", "market size"],
            "publisher": ["Gartner", "MarketsandMarkets"],
            "url": ["https://www.gartner.com/en/newsroom/x", "https://www.marketsandmarkets.com/y"],
        }
    )
    named = table(frame, sources=("publisher", "url"))
    assert headers(named) == ["figure", "publisher"]
    assert '<a href="https://www.gartner.com/en/newsroom/x" rel="noopener">Gartner</a>' in named.html
    assert ">https://" not in named.html  # no URL shown as text
    hosts = table(frame[["figure", "url"]], sources="url")
    assert headers(hosts) == ["figure", "source"]
    assert [row[1] for row in cells(hosts)] == ["gartner.com", "marketsandmarkets.com"]
    assert publisher("https://www.callcentrehelper.com/a/b") == "callcentrehelper.com"


def test_columns_choose_order_and_headers():
    frame = pd.DataFrame({"a_b": [1], "cost": [2.5], "skip": [0]})
    t = table(frame, columns={"cost": "cost per contact (USD)", "a_b": "count"}, formats={"cost": "usd"})
    assert headers(t) == ["cost per contact (USD)", "count"]
    assert cells(t) == [["$2.50", "1"]]
    assert list(t.data.columns) == ["cost per contact (USD)", "count"]


def test_long_tables_are_sortable_short_ones_not_unless_asked():
    long = pd.DataFrame({"x": range(40)})
    assert 'class="sr-table sr-sortable"' in table(long).html
    assert "sr-sortable" not in table(long.head(5)).html
    assert "sr-sortable" in table(long.head(5), sortable=True).html
    assert "sr-sortable" not in table(long, sortable=False).html


def test_caption_notes_and_html_escaping():
    t = table(pd.DataFrame({"message": ["<b>hi</b> & bye"]}), caption="Worst <5> intents", notes=["F1 in 0..1."])
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in t.html
    assert "<caption>Worst &lt;5&gt; intents</caption>" in t.html
    assert '<p class="sr-table-note">F1 in 0..1.</p>' in t.html


def test_multiindex_columns_and_index_are_flattened():
    frame = pd.concat(
        {"sigmoid": pd.DataFrame({"f(z)": [0.5]}, index=pd.Index([0.0], name="z"))}, axis=1
    )
    t = table(frame)
    assert headers(t) == ["z", "sigmoid: f(z)"]
    assert cells(t) == [["0", "0.500"]]


def test_same_table_same_html_and_a_series_is_a_table():
    frame = pd.DataFrame({"x": [1.5, 2.5]})
    assert table(frame).html == table(frame).html
    assert headers(table(pd.Series([1, 2], name="n"))) == ["n"]


def test_bad_arguments_name_the_fix():
    frame = pd.DataFrame({"x": [1]})
    with pytest.raises(ValueError, match="unknown format kind 'dollars'"):
        table(frame, formats={"x": "dollars"})
    with pytest.raises(KeyError, match="'y'"):
        table(frame, columns=["y"])
    with pytest.raises(KeyError, match="sources column 'url'"):
        table(frame, sources="url")
    assert set(KINDS) >= {"usd", "pct", "accuracy", "int", "text", "date"}


def test_the_notebook_shows_html_and_a_terminal_the_formatted_text():
    t = table(pd.DataFrame({"share": [0.5, np.nan]}), formats={"share": "pct"}, missing_note="not measured")
    assert t._repr_html_() == t.html
    assert [line.strip() for line in repr(t).splitlines()] == ["share", "50.0 %", "—", "not measured"]
