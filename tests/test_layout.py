"""The house rules of issue 10 that a reader of the code checks: docs/architecture.md lists every module, modules stay
small, notebooks stay thin."""

import json
from pathlib import Path

from startup_report.devtools import layout

ROOT = Path(__file__).resolve().parents[1]


def test_architecture_page_lists_every_module_with_its_docstring():
    assert layout.current(ROOT / layout.PAGE) == layout.table(), (
        "run `python -m startup_report.devtools.layout --write` to regenerate docs/architecture.md's module table"
    )


def test_every_module_says_why_it_exists():
    missing = [name for name, doc in layout.modules() if len(doc) < 20]
    assert not missing, f"modules without a docstring: {missing}"


def test_no_module_over_300_lines():
    long = {name: n for name, _ in layout.modules() if (n := len((ROOT / "src" / name).read_text().splitlines())) > 300}
    assert not long, long


def test_no_notebook_code_cell_over_15_lines():
    for path in sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb")]):
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
                lines = "".join(cell["source"]).strip().splitlines()
                assert len(lines) <= 15, f"{path.name}: a code cell of {len(lines)} lines"
