from pathlib import Path

import yaml

from startup_report.devtools.lockfile import canonical, pins, read_lock

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_carries_the_same_pins_as_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert pins(pip_section) == read_lock(ROOT / "requirements.lock")
    assert "python=3.11" in env["dependencies"]


def test_every_direct_dependency_is_pinned_and_torch_is_the_cpu_build():
    lock = read_lock(ROOT / "requirements.lock")
    direct = [
        line.split("==")[0].split("[")[0].strip()
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert [name for name in direct if canonical(name) not in lock] == []
    assert lock["torch"] == "2.13.0"
    assert lock["jupyter-book"].startswith("1.")
    assert lock["keras"].startswith("3.")
