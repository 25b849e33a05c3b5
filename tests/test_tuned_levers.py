"""The measuring tools of the levers keep what they measured: tuned embeddings reused only for the same inputs,
code and settings, and the open-intent rows of shares not rerun."""

import numpy as np
import pandas as pd

from startup_report.devtools import tuned
from startup_report.devtools.openlevers import kept_rows

PARTS = {"train": "a", "validation": "b", "test": "c", "encoder": "d", "code": "e", "steps": 100, "threads": 2}


def test_tuned_embeddings_are_reused_only_for_the_same_parts(tmp_path, monkeypatch):
    monkeypatch.setenv("STARTUP_REPORT_CACHE", str(tmp_path))
    calls = []

    def tune():
        calls.append(1)
        return np.ones((2, 3)), np.zeros((1, 3)), np.full((1, 3), 0.5)

    first = tuned.Tuned("supcon", "10", 42, PARTS)
    assert not first.reused
    (x, val, test), seconds, _ = first.get(tune)
    again = tuned.Tuned("supcon", "10", 42, dict(PARTS))
    assert again.reused and again.path == first.path
    (x2, _, test2), seconds2, _ = again.get(tune)
    assert len(calls) == 1 and np.array_equal(x, x2) and np.array_equal(test, test2) and seconds2 == seconds
    for change in ({"steps": 200}, {"code": "changed"}, {"train": "other rows"}, {"threads": 1}):
        assert not tuned.Tuned("supcon", "10", 42, PARTS | change).reused, change
    assert not tuned.Tuned("supcon", "10", 43, PARTS).reused and not tuned.Tuned("setfit", "10", 42, PARTS).reused
    assert not list(tmp_path.rglob("*.tmp.npz"))  # stored whole


def test_a_rerun_of_one_share_keeps_the_other_shares_rows(tmp_path):
    out = tmp_path / "openintent.csv"
    assert kept_rows(out, [0.75]) == []
    pd.DataFrame({"known_share": [0.25, 0.5, 0.75, 0.75], "seed": [42, 42, 42, 43]}).to_csv(out, index=False)
    assert [r["known_share"] for r in kept_rows(out, [0.75])] == [0.25, 0.5]
    assert [r["known_share"] for r in kept_rows(out, [0.25, 0.5])] == [0.75, 0.75]
