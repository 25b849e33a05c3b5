"""The what-if chapter's output: the grid of the market model's answers the page looks up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from startup_report.engine.files import write_json


def write(product: Path | str, page: dict[str, Any]) -> list[Path]:
    """``whatif.json``: the page's data (controls, grid and answers)."""
    return [write_json(Path(product) / "whatif.json", page)]
