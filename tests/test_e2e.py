"""The chain end to end on the smoke profile, in a copy of the project: what a user checks.

The session-scoped `project` fixture (conftest.py) runs the chain and builds the book once; each test
here builds on the state the previous one left, so they run in file order.
"""

import json

import pytest

from startup_report.chain import ALL
from startup_report.engine import manifest as mf
from tests.conftest import SMOKE, cli, ran, stages_saying, tree_hash, tree_state

pytestmark = pytest.mark.e2e


def test_site_has_intro_and_five_executed_chapters(project):
    site = project / "_build/html"
    assert (site / "index.html").is_file()
    intro = (site / "book/intro.html").read_text()
    assert "could answer" in intro and "%" in intro
    for stage in ALL:  # the five chapters and the computing pages of book/ (math, privacy)
        page = (site / stage.folder / stage.notebook.replace(".ipynb", ".html")).read_text()
        assert "cell_output" in page, f"{stage.name}: no executed output"
        assert "Traceback" not in page and 'class="output stderr' not in page, stage.name
    assert list((site / "_images").glob("*.png")), "figures are rendered"
    assert "Reproduce this report" in (site / "book/reproduce.html").read_text()


def test_manifest_records_params_hashes_versions_and_timings(project):
    manifest = json.loads((project / "build/manifest.json").read_text())
    assert manifest["run"]["outcome"] == "success"
    assert "keras" in manifest["run"]["packages"] and manifest["run"]["python"].startswith("3.11")
    prep = manifest["stages"]["data-prep"]
    assert prep["params"]["data"]["sample_fraction"] == 0.1
    assert any(i["path"] == "data/raw/banking77/train.csv" and len(i["sha256"]) == 64 for i in prep["inputs"])
    assert {o["path"] for o in manifest["stages"]["evaluation"]["outputs"]} >= {"build/evaluation/metrics.json"}
    assert all(s["duration_s"] > 0 for s in manifest["stages"].values())


def test_second_run_with_nothing_changed_reruns_nothing(project):
    again = cli(project, "run", *SMOKE)
    assert again.returncode == 0
    assert ran(again) == []
    assert again.stdout.count("up to date") == len(ALL)


def test_one_market_parameter_reruns_only_the_market_stage(project):
    status = cli(project, "status", *SMOKE, "-p", "market.error_cost_usd=9")
    assert "market-analysis  would run (parameters changed: market.error_cost_usd)" in status.stdout
    # the market stage and the two chapters that read it (the cost of privacy, what if)
    assert status.stdout.count("up to date") == len(ALL) - 3
    before = json.loads((project / "build/market-analysis/market.json").read_text())
    changed = cli(project, "run", *SMOKE, "-p", "market.error_cost_usd=9")
    assert ran(changed) == ["market-analysis", "privacy-cost", "whatif"]
    after = json.loads((project / "build/market-analysis/market.json").read_text())
    # A dearer error makes the model route dearer per contact; the human route does not move.
    assert after["own_usd_per_contact"] > before["own_usd_per_contact"]
    assert after["human_usd_per_contact"] == before["human_usd_per_contact"]


def test_bad_parameters_exit_2_and_leave_build_untouched(project):
    before = tree_state(project / "build")
    for bad in ("training.epochs=-3", "training.epoch=3", "seed=minus one"):
        result = cli(project, "run", *SMOKE, "-p", bad)
        assert result.returncode == 2, bad
        assert bad.split("=")[0] in result.stderr
    assert tree_state(project / "build") == before


def test_bad_dataset_exits_2_before_any_stage(project, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("utterance,category\nhello,greet\n")
    before = tree_state(project / "build")
    result = cli(project, "run", "-p", f"data.train={broken}", "-p", "data.test=null")
    assert result.returncode == 2
    assert "no column 'text'" in result.stderr
    assert tree_state(project / "build") == before


def test_failing_stage_keeps_last_good_outputs_and_site_then_resumes(project):
    notebook = project / "notebooks/04-evaluation.ipynb"
    good = notebook.read_text()
    nb = json.loads(good)
    nb["cells"].insert(
        4,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "boom",
            "metadata": {},
            "outputs": [],
            "source": "raise RuntimeError('injected failure')",
        },
    )
    notebook.write_text(json.dumps(nb))
    outputs_before = tree_hash(project / "build/evaluation")
    site_before = tree_hash(project / "_build/html")
    failed = cli(project, "run", *SMOKE, "-p", "evaluation.target_precision=0.9")
    assert failed.returncode == 1
    assert "RuntimeError: injected failure" in failed.stdout
    assert "build/failed/04-evaluation.ipynb" in failed.stdout
    assert (project / "build/failed/04-evaluation.ipynb").is_file()
    assert tree_hash(project / "build/evaluation") == outputs_before
    assert tree_hash(project / "_build/html") == site_before
    assert not (project / "build/.staging/evaluation").exists()

    notebook.write_text(good)
    _status_says_exactly_what_run_then_does(project, ["-p", "evaluation.target_precision=0.9"])
    assert not (project / "build/failed/04-evaluation.ipynb").exists()


def _status_says_exactly_what_run_then_does(project, change):
    """`status` names the stages `run` then runs (here after a failed run, the hardest case for it to agree)."""
    status = cli(project, "status", *SMOKE, *change)
    would = [line.split()[0] for line in status.stdout.splitlines() if "would run" in line]
    assert would == ["evaluation", "market-analysis", "privacy-cost", "whatif"]
    serving_before = (project / "build/evaluation/serving.csv").read_text()
    done = cli(project, "run", *SMOKE, *change)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ran(done) == would
    # The models did not change, so their quiet serving measurements come from the cache, not a second timing
    # (a busy one was never stored: measured again).
    import io

    import pandas as pd

    from startup_report.evaluation import serving

    before = pd.read_csv(io.StringIO(serving_before)).set_index("family")
    after = pd.read_csv(project / "build/evaluation/serving.csv").set_index("family")
    kept = [family for family, row in before.iterrows() if serving.quiet(row)]
    assert after.loc[kept].equals(before.loc[kept])
    back = cli(project, "run", *SMOKE)  # back to the smoke state: those stages come from the stage cache
    assert back.returncode == 0 and ran(back) == []
    assert back.stdout.count("reused from build/cache/stages/") == len(would)


BAD_DATASETS = {
    "unseen test label": (
        "text,category\nhi there,greet\nhello you,greet\nbye now,leave\nsee you,leave\n",
        "text,category\nwhat,unknown_intent\n",
        "never seen in training",
    ),
    "whitespace-only text": (
        "text,category\nhi there,greet\n   ,greet\nbye now,leave\nsee you,leave\n",
        None,
        "whitespace-only",
    ),
    "empty label": ("text,category\nhi there,greet\nhello,\nbye now,leave\nsee you,leave\n", None, "empty labels"),
    "undecodable text": (b"text,category\n\xff\xfe hi,greet\nbye,leave\n", None, "not valid UTF-8"),
    "too few for the budget": (
        "text,category\n" + "".join(f"msg {i},a\nother {i},b\n" for i in range(4)),  # 2 per intent left to train
        None,
        "training.budgets asks for",
    ),
}


@pytest.mark.parametrize("case", BAD_DATASETS, ids=list(BAD_DATASETS))
def test_each_bad_dataset_exits_2_with_its_error_and_build_unchanged(project, tmp_path, case):
    train_text, test_text, message = BAD_DATASETS[case]
    train = tmp_path / "train.csv"
    train.write_bytes(train_text if isinstance(train_text, bytes) else train_text.encode())
    args = ["run", *SMOKE, "-p", f"data.train={train}", "-p", "data.sample_fraction=1.0"]
    if test_text:
        (tmp_path / "test.csv").write_text(test_text)
        args += ["-p", f"data.test={tmp_path / 'test.csv'}"]
    else:
        args += ["-p", "data.test=null"]
    before = tree_state(project / "build")
    result = cli(project, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "ran (" not in result.stdout
    assert tree_state(project / "build") == before


def _manifest(project):
    return json.loads((project / "build/manifest.json").read_text())


def test_a_report_module_change_reruns_its_stages_trains_nothing_and_reuses_the_stages_after(project):
    """Simulated by recording another hash for report/training_tables.py, as if it had been edited since the
    last run. Its stages rerun; training takes every run from the run cache and writes the same bytes, so the
    stages after it find their inputs unchanged and come from the stage cache instead of running again.
    (`make bench` measures the same for report/plots.py, which seven stages import.)"""
    path = project / "build/manifest.json"
    manifest = json.loads(path.read_text())
    module = "startup_report.report.training_tables"
    touched = [name for name, record in manifest["stages"].items() if module in record["code"]]
    assert touched == ["model-build", "training"]
    for name in touched:
        manifest["stages"][name]["code"][module] = "0" * 64
        # The module did not really change, so the stage's key is in the stage cache; drop it to rerun the stage.
        __import__("shutil").rmtree(project / "build/cache/stages" / manifest["stages"][name]["stage_key"])
    path.write_text(json.dumps(manifest))
    status = cli(project, "status", *SMOKE)
    assert "training         would run (code changed: report.training_tables" in status.stdout
    assert "evaluation       would run (upstream reruns: training)" in status.stdout
    done = cli(project, "run", *SMOKE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ran(done) == touched
    lines = [line for line in done.stderr.splitlines() if line.lstrip().startswith("[")]
    assert lines and all(" cached " in line for line in lines), "no training run may train again"
    reused = stages_saying(done, " reused from build/cache/stages/")
    assert reused == ["evaluation", "market-analysis", "privacy", "privacy-cost", "whatif"]


def test_a_new_budget_trains_only_its_runs_and_one_run_at_a_time(project):
    """Two runs started together on one folder: the second waits for the first; build/ and manifest agree."""
    import subprocess

    from tests.conftest import CLI

    args = [CLI, "run", *SMOKE, "-p", "training.budgets=[3, 4]"]
    env = {**__import__("os").environ, "STARTUP_REPORT_ROOT": str(project)}
    first = subprocess.Popen(args, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(args, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    (out1, err1), (out2, err2) = first.communicate(timeout=1200), second.communicate(timeout=1200)
    assert first.returncode == 0 and second.returncode == 0, out1 + err1 + out2 + err2
    assert "waiting:" in out1 + out2  # one of them found the project busy
    trained = [line for line in (err1 + err2).splitlines() if " trained " in line]
    assert trained and all("budget=4" in line for line in trained)
    assert "up to date" in (out1 if "waiting:" in out1 else out2)  # the waiter found the work done
    manifest = _manifest(project)
    for record in manifest["stages"].values():
        for item in record["outputs"]:
            assert mf.sha256_path(project / item["path"]) == item["sha256"], item["path"]
    assert cli(project, "run", *SMOKE).returncode == 0
