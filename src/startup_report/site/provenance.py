"""What built this site: the commit, the build date and the parameter profile, on every page and the PDF's cover.

The profile is "default" when the run's effective parameters equal ``params/default.yaml``'s, "smoke" when
they equal the smoke profile's (defaults + ``params/smoke.yaml``), and otherwise "custom" with the first 12
hex digits of the SHA-256 of the effective parameters, so a smoke or custom build is never taken for the report.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from startup_report.engine import manifest as mf

SMOKE = Path("params/smoke.yaml")


def params_hash(params: dict[str, Any]) -> str:
    """SHA-256 of the effective parameters (JSON, sorted keys), the identity of a custom profile."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def profile(root: Path, params: dict[str, Any]) -> str:
    """'default', 'smoke' or 'custom (parameters <hash>)' for the run's effective parameters."""
    from startup_report.params.loading import load_params

    wanted = params_hash(params)
    candidates = {"default": ()}
    if (root / SMOKE).is_file():
        candidates["smoke"] = (root / SMOKE,)
    for name, files in candidates.items():
        try:
            known = load_params(root, files).model_dump(mode="json")
        except Exception:  # a profile that no longer validates cannot be the one that ran
            continue
        if params_hash(known) == wanted:
            return name
    return f"custom (parameters {wanted[:12]})"


@dataclass(frozen=True)
class Provenance:
    commit: str
    dirty: bool
    built: str  # UTC date and time of the site build
    profile: str

    @property
    def is_report(self) -> bool:
        return self.profile == "default"

    def sentence(self) -> str:
        commit = self.commit[:12] + (" with uncommitted changes" if self.dirty else "")
        return f"Built {self.built} from commit {commit} with the {self.profile} parameter profile"

    def banner(self, pdf_href: str | None, pdf_missing: str) -> str:
        """The line at the top of every page; ``pdf_href`` links the PDF, else ``pdf_missing`` says how to get it."""
        warn = "" if self.is_report else (
            " — not the report's default parameters: its figures are not the report's"
        )
        pdf = f'<a href="{html.escape(pdf_href)}">Download the whole report as PDF</a>' if pdf_href else pdf_missing
        classes = "sr-provenance" + ("" if self.is_report else " sr-not-report")
        return f'<div class="{classes}">{html.escape(self.sentence())}{html.escape(warn)}. {pdf}</div>'


def of(root: Path, manifest: mf.Manifest, now: datetime | None = None) -> Provenance:
    run = manifest.run
    built = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return Provenance(
        commit=(run.git_commit if run and run.git_commit else "unknown"),
        dirty=bool(run and run.git_dirty),
        built=built,
        profile=profile(root, manifest.params),
    )
