"""The what-if page's widget: controls, outputs and a small chart, as static HTML with the grid's answers inline.

The page is written whole here, at the report's own positions, so it reads correctly without its script
(a screen reader, a PDF, a browser with scripts off); the script (``whatif.js``, shipped in the package and
inlined, so nothing is fetched) only swaps in the precomputed strings of the point the reader picks.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from startup_report.market.whatif import Control, flat_index


@dataclass(frozen=True)
class Output:
    """One answer the widget shows: its element id (``<prefix>-<id>``) and label."""

    id: str
    label: str


STYLE = """
<style>
.whatif{border:1px solid #d0d7de;border-radius:6px;padding:0.8em 1em;margin:1em 0;font-size:0.95em}
.whatif-grid{display:grid;grid-template-columns:minmax(14em,1fr) minmax(14em,1fr);gap:0.4em 1.5em;align-items:start}
.whatif-controls label{display:block;font-weight:600;margin-top:0.5em}
.whatif-controls input[type=range]{width:100%}
.whatif-controls output{display:block;color:#444}
.whatif-outputs{display:grid;grid-template-columns:auto auto;gap:0.2em 1em;margin:0}
.whatif-outputs dt{font-weight:400;color:#444}.whatif-outputs dd{margin:0;font-weight:700}
.whatif-verdict{margin:0.6em 0;padding:0.5em 0.7em;background:#f6f8fa;border-left:4px solid #1a85ff}
.whatif-command{white-space:pre-wrap;word-break:break-all;font-size:0.85em}
@media print{.whatif-controls input,.whatif-reset{display:none}}
</style>
"""


def _script() -> str:
    return resources.files("startup_report.site").joinpath("whatif.js").read_text(encoding="utf-8")


def payload(
    prefix: str,
    segments: list[tuple[str, str, list[Control]]],
    default_segment: int,
    outputs: list[Output],
    values: dict[str, dict[str, list[str]]],
    chart: dict[str, Any] | None,
    segment_param: str | None,
    command: str = "startup-report run",
) -> dict[str, Any]:
    """Everything the script needs, JSON-ready: each segment's positions, the answers as shown, the chart's layer.

    Segments are ``(name, label, controls)``; every segment has the same controls (names and labels) at positions
    of its own, since each plan has its own values of them.
    """
    names = [[c.name for c in controls] for _, _, controls in segments]
    if any(n != names[0] for n in names):
        raise ValueError(f"what-if segments must share their controls, not {names}")
    return {
        "prefix": prefix,
        "controls": [{"name": c.name, "label": c.label} for c in segments[0][2]],
        "segments": [
            {
                "name": name,
                "label": label,
                "positions": [
                    {
                        "shown": list(c.shown),
                        "default_index": c.default_index,
                        "param_key": c.param_key,
                        "param_values": list(c.param_values),
                    }
                    for c in controls
                ],
            }
            for name, label, controls in segments
        ],
        "default_segment": default_segment,
        "outputs": [{"id": o.id, "label": o.label} for o in outputs],
        "values": values,
        "chart": chart,
        "segment_param": segment_param,
        "command": command,
    }


def render(data: dict[str, Any], *, compact: bool = False, caption: str = "") -> str:
    """The widget's HTML at its default positions, with its data and script inline."""
    p = html.escape(data["prefix"])
    seg = data["segments"][data["default_segment"]]
    positions = seg["positions"]
    at = flat_index([_Shape(len(q["shown"])) for q in positions], [q["default_index"] for q in positions])
    values = data["values"][seg["name"]]
    parts = [STYLE, f'<div class="whatif" id="{p}-root">']
    if caption:
        parts.append(f"<p><strong>{html.escape(caption)}</strong></p>")
    parts.append('<div class="whatif-grid"><form class="whatif-controls" onsubmit="return false">')
    if len(data["segments"]) > 1:
        options = "".join(
            f'<option value="{html.escape(s["name"])}"{" selected" if i == data["default_segment"] else ""}>'
            f"{html.escape(s['label'])}</option>"
            for i, s in enumerate(data["segments"])
        )
        parts.append(
            f'<label for="{p}-segment">Go-to-market segment</label><select id="{p}-segment">{options}</select>'
        )
    for k, (c, q) in enumerate(zip(data["controls"], positions, strict=True)):
        shown = html.escape(q["shown"][q["default_index"]])
        parts.append(
            f'<label for="{p}-c{k}">{html.escape(c["label"])}</label>'
            f'<input type="range" id="{p}-c{k}" min="0" max="{len(q["shown"]) - 1}" step="1" '
            f'value="{q["default_index"]}" aria-valuetext="{shown}">'
            f'<output id="{p}-c{k}-value" for="{p}-c{k}">{shown}</output>'
        )
    parts.append(f'<button type="button" class="whatif-reset" id="{p}-reset">Back to the report\'s values</button>')
    parts.append('</form><div><dl class="whatif-outputs">')
    for o in data["outputs"]:
        if o["id"] == "verdict":
            continue
        parts.append(
            f'<dt>{html.escape(o["label"])}</dt><dd id="{p}-{html.escape(o["id"])}">'
            f"{html.escape(values[o['id']][at])}</dd>"
        )
    parts.append("</dl>")
    if "verdict" in values:
        parts.append(
            f'<p class="whatif-verdict" id="{p}-verdict" aria-live="polite">{html.escape(values["verdict"][at])}</p>'
        )
    if data.get("chart") and not compact:
        label = html.escape(data["chart"]["label"])
        parts.append(
            f'<svg id="{p}-chart" viewBox="0 0 360 240" width="100%" role="img" aria-label="{label}"></svg>'
            f'<p class="whatif-legend">Each cell: {label} at those two values, the other controls as set '
            "(blue at or above one half, red below; the ring is the current point).</p>"
        )
    parts.append("</div></div>")
    parts.append(
        f'<p>Rebuild the full report here:</p><pre class="whatif-command"><code id="{p}-command">'
        f"{html.escape(data['command'])}</code></pre>"
    )
    blob = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    parts.append(f'<script type="application/json" data-whatif="{p}">{blob}</script>')
    parts.append(f"<script>{_script()}</script></div>")
    return "".join(parts)


@dataclass(frozen=True)
class _Shape:
    """A control reduced to its number of positions, for ``flat_index`` on the JSON form."""

    n: int

    @property
    def values(self) -> range:
        return range(self.n)
