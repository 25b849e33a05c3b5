"""Keep the pip lock (requirements.lock, from pip-tools) and conda's environment.yml in step.

The lock is the single source of pins; environment.yml is generated from it (`make lock`) and a
test checks that the two still agree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """``name==version`` lines (comments, options and hashes ignored), by canonical name."""
    found = {}
    for line in lines:
        match = _PIN.match(line.strip().lstrip("- ").strip())
        if match:
            found[canonical(match.group(1))] = match.group(2)
    return found


def read_lock(path: Path) -> dict[str, str]:
    return pins(path.read_text(encoding="utf-8").splitlines())


def environment_yaml(lock: dict[str, str]) -> str:
    body = "\n".join(f"      - {name}=={version}" for name, version in sorted(lock.items()))
    return (
        "# Generated from requirements.lock by `make lock`; do not edit by hand.\n"
        "# conda env create -f environment.yml && conda activate startup-report && pip install -e . --no-deps\n"
        "name: startup-report\n"
        "channels:\n  - conda-forge\n"
        "dependencies:\n  - python=3.11\n  - pip\n  - pip:\n"
        f"{body}\n"
    )


if __name__ == "__main__":  # python -m startup_report.devtools.lockfile requirements.lock > environment.yml
    sys.stdout.write(environment_yaml(read_lock(Path(sys.argv[1]))))
