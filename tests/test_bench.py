"""`make bench`: its fine-tuning step figures (equal steps where bf16 is native, alternating rounds, the fastest
kept) and its smoke builds (two copies on one machine cache of their own, the user's left alone)."""

import os

import pytest

from startup_report.devtools import bench
from startup_report.engine.layout import Layout


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


def test_smoke_figures_build_twice_on_one_machine_cache_of_their_own_and_leave_the_users_alone(monkeypatch, tmp_path):
    project = tmp_path / "project"
    for name in ("book", "notebooks", "params", "data"):
        (project / name).mkdir(parents=True)
    for name in ("_config.yml", "_toc.yml"):
        (project / name).write_text("")
    monkeypatch.setenv("STARTUP_REPORT_CACHE", "/the/users/cache")
    calls, swept = [], []

    def fake_run(args, root, env=None):
        assert (root / "notebooks").is_dir() and root != project  # a copy of the sources
        calls.append((args[0], root, os.environ["STARTUP_REPORT_CACHE"]))
        return 1.5, ""

    monkeypatch.setattr(bench, "_run", fake_run)
    monkeypatch.setattr(bench, "sweep_figures", swept.append)
    bench.smoke_figures(Layout(project))
    assert [args for args, _, _ in calls] == ["run", "book", "run", "book"]
    first, again = calls[0][1], calls[2][1]
    assert first != again and calls[1][1] == first and calls[3][1] == again  # two copies, each built whole
    caches = {cache for _, _, cache in calls}
    assert len(caches) == 1 and caches != {"/the/users/cache"}  # one cache, not the user's
    assert swept == [first]  # the sweep runs in the first copy
    assert os.environ["STARTUP_REPORT_CACHE"] == "/the/users/cache"  # restored
