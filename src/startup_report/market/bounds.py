"""The bounds of each plan input the Monte Carlo varies: a range of the market section must lie within them.

They are the limits the market section declares for the field of the same name, or limits of their own for
inputs that come from a file or the evaluation. The section's validator asks, handing in its own fields.
"""

from __future__ import annotations

from collections.abc import Mapping

from annotated_types import Ge, Gt, Le, Lt
from pydantic.fields import FieldInfo

# Plan inputs whose bounds are those of a market field of another name, or bounds of their own (the value comes from
# a file or the evaluation, not a parameter).
_SAME_AS = {
    "contacts_per_customer_month": "monthly_contacts",
    "fixed_cost_per_customer_usd": "own_fixed_usd_per_month",
    "platform_fee_usd": "platform_fee_usd_per_month",
}
_OWN_BOUNDS = {
    "automation_rate": (0.0, 1.0),
    "automation_precision": (0.0, 1.0),
    "price_per_resolution_usd": (0.0, 1_000.0),
    "serving_usd_per_contact": (0.0, 1_000.0),
    "seat_price_usd": (0.0, 1e6),
}


def bounds(name: str, fields: Mapping[str, FieldInfo]) -> tuple[float, float]:
    """(lowest, highest) value the plan input ``name`` may take: a range of the Monte Carlo must lie within them
    (unbounded for a name that is no plan input: ``check_names`` refuses those). ``fields``: the market
    section's fields, whose declared limits bound the inputs of the same name."""
    if name in _OWN_BOUNDS:
        return _OWN_BOUNDS[name]
    field = fields.get(_SAME_AS.get(name, name))
    low, high = float("-inf"), float("inf")
    for item in field.metadata if field is not None else []:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)
        elif isinstance(item, Le | Lt):
            high = float(item.le if isinstance(item, Le) else item.lt)
    return low, high
