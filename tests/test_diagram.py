"""The book's chain diagram is drawn from the stage declarations: every stage and hand-off appears."""

import pytest

from startup_report.chain import ALL, STAGES
from startup_report.engine.stage import Stage
from startup_report.site.diagram import depths, edges, positions, write_svg


def test_every_hand_off_points_forward_to_a_later_column():
    column = depths(ALL)
    assert column["data-prep"] == 0 and column["market-analysis"] == len(STAGES) - 1
    for source, target in edges(ALL):
        assert column[source] < column[target], (source, target)


def test_edges_are_exactly_the_declared_upstream_links():
    declared = {(up, s.name) for s in ALL for up in s.upstream}
    assert set(edges(ALL)) == declared and len(edges(ALL)) == len(declared)


def test_chain_stages_and_chapters_sit_on_separate_rows():
    rows = positions(ALL)
    assert {rows[s.name][1] for s in STAGES} == {0.0}
    assert all(rows[s.name][1] < 0 for s in ALL if s.folder != "notebooks")


def test_an_upstream_stage_declared_later_is_an_error():
    late = (Stage(name="b", notebook="b.ipynb", keys=(), outputs=(), upstream=("a",)),)
    with pytest.raises(ValueError, match="'b' lists upstream \\['a'\\]"):
        depths(late)


def test_svg_names_every_stage_as_text(tmp_path):
    svg = write_svg(ALL, tmp_path / "chain.svg").read_text()
    assert svg.lstrip().startswith("<?xml")
    for stage in ALL:
        assert stage.name in svg
