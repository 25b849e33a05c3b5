"""`make bench`'s fine-tuning step figures: equal steps where bf16 is native, alternating rounds, the fastest kept."""

import pytest

from startup_report.devtools import bench


@pytest.mark.parametrize(("native", "bf16_steps"), [(True, 20), (False, 3)])
def test_step_figures_alternate_and_keep_the_fastest_round(monkeypatch, native, bf16_steps):
    times = {"fp32": iter([0.40, 0.26]), "bf16": iter([0.21, 0.30])}  # the host slowed in bf16's second round
    calls = []

    def fake(precision: str, steps: int) -> float:
        calls.append((precision, steps))
        return next(times[precision])

    monkeypatch.setattr(bench, "_seconds_per_step", fake)
    monkeypatch.setattr(bench.machine, "native_bf16", lambda flags=None: native)
    (fp32, fp32_steps), (bf16, steps) = bench.step_figures(rounds=2)
    assert calls == [("fp32", 20), ("bf16", bf16_steps)] * 2
    assert (fp32, fp32_steps, bf16, steps) == (0.26, 20, 0.21, bf16_steps)
