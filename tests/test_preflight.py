"""Preflight: the checks of the stages about to run, each once, in chain order, before any notebook."""

import pytest

from startup_report.engine.preflight import check_inputs
from startup_report.engine.stage import InputError, Stage


def test_each_check_runs_once_in_chain_order_and_the_first_error_stops(tmp_path):
    calls = []

    def data(params, root):
        calls.append("data")

    def market(params, root):
        calls.append("market")
        raise InputError("market.facts_dir: no such folder")

    def never(params, root):
        calls.append("never")

    stages = [
        Stage(name="a", notebook="a.ipynb", keys=(), outputs=(), preflight=(data,)),
        Stage(name="b", notebook="b.ipynb", keys=(), outputs=(), preflight=(data, market)),  # data shared
        Stage(name="c", notebook="c.ipynb", keys=(), outputs=(), preflight=(never,)),
    ]
    with pytest.raises(InputError, match="market.facts_dir"):
        check_inputs(stages, params=None, root=tmp_path)
    assert calls == ["data", "market"]
    calls.clear()
    check_inputs(stages[:1], params=None, root=tmp_path)
    assert calls == ["data"]
