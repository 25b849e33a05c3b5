import json
from pathlib import Path

from startup_report.engine import manifest as mf

ROOT = Path(__file__).resolve().parents[1]


def test_committed_schema_matches_the_model():
    committed = json.loads((ROOT / "schemas/manifest.schema.json").read_text())
    assert committed == json.loads(mf.schema_json()), "regenerate schemas/manifest.schema.json"


def test_atomic_write_and_round_trip(tmp_path):
    manifest = mf.Manifest(params={"seed": 1})
    path = tmp_path / "build" / "manifest.json"
    mf.save(manifest, path)
    assert mf.load(path) == manifest
    assert [p.name for p in path.parent.iterdir()] == ["manifest.json"]


def test_unreadable_manifest_means_nothing_ran(tmp_path):
    path = tmp_path / "manifest.json"
    path.write_text("{not json")
    assert mf.load(path).stages == {}


def test_a_run_records_the_cpu_and_its_bf16_support(tmp_path):
    from startup_report.chain import CHAIN

    record = mf.new_run(["startup-report", "run"], [], [], tmp_path, CHAIN.run_facts())
    assert record.cpu and isinstance(record.native_bf16, bool)
    assert record.packages["keras"]
