"""The base of every parameter section: unknown keys are errors and values cannot change after validation.

No float may be NaN or infinite, in nested lists and ranges too (pydantic applies the setting to every float).
The value types sections share live here too: ISO dates, accepted as YAML writes them unquoted or as quoted
strings and kept as their ISO text (so notebooks and the manifest see the same string), an impossible date
(2026-02-30) refused with the field named; and dictionaries keyed by display names (a team role, a segment).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from startup_report.engine import layout as names


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def parse_iso_date(value: Any) -> dt.date:
    """A calendar date from a ``date`` or a ``YYYY-MM-DD`` string; ValueError (saying what is wrong) otherwise."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} has a time of day; give a date alone, YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not (text[:4] + text[5:7] + text[8:]).isdigit():
        raise ValueError(f"{text[:40]!r} is not an ISO date; write YYYY-MM-DD, e.g. 2026-11-26")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a calendar date ({exc}); write a real YYYY-MM-DD date") from None


def _to_iso(value: Any) -> str:
    return parse_iso_date(value).isoformat()


IsoDate = Annotated[str, BeforeValidator(_to_iso), WithJsonSchema({"type": "string", "format": "date"})]


def _labels(value: dict[str, Any]) -> dict[str, Any]:
    for key in value:
        try:
            names.label(key, "name")
        except names.UnsafeName:
            raise ValueError(
                f"the name {names.shown(key)} is not allowed: use 1 to {names.MAX_NAME} printable characters "
                "without '/' or '\\' (e.g. 'ML engineers')"
            ) from None
    return value


def LabelKeyed(item: Any) -> Any:  # noqa: N802 - reads as a type in annotations
    """``dict[str, item]`` whose keys are display names (a team role, a segment): bounded, printable, no '/'."""
    return Annotated[dict[str, item], AfterValidator(_labels)]
