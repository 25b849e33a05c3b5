"""Both sides of the invoice. The client pays agents, the wrong answers a router gives and, on our route, our
price; on the LLM route it pays the API calls and the integration instead. We earn our price and pay the
serving and the fixed cost of running the router for that client. The route comparison is the client's side;
our side is the margin left per contact.

A contact is one conversation of ``messages_per_conversation`` customer messages: both routers read every
message (the machine cost counts them all) and the client is billed once per resolved conversation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from startup_report.market.finance import Route


@dataclass(frozen=True)
class OurPrice:
    """What the client pays us: a fixed amount a month and an amount per contact (by the chosen pricing)."""

    fixed_usd_per_month: float
    usd_per_contact: float


def our_price(pricing: str, resolved: float, precision: float, price_usd: float, seat_usd: float,
              contacts_per_seat: float, platform_fee_usd: float) -> OurPrice:
    """Per resolved conversation (right answers only), per agent seat, or a flat platform fee."""
    if pricing == "per_resolution":
        return OurPrice(0.0, resolved * precision * price_usd)
    if pricing == "per_seat":
        return OurPrice(0.0, seat_usd / contacts_per_seat)
    if pricing == "platform_fee":
        return OurPrice(platform_fee_usd, 0.0)
    raise ValueError(f"market.pricing: {pricing!r} is not one of per_resolution, per_seat, platform_fee")


@dataclass(frozen=True)
class OurSide:
    """Our revenue, cost and margin per contact at a client's volume."""

    revenue: float
    serving: float
    fixed: float

    @property
    def cost(self) -> float:
        return self.serving + self.fixed

    @property
    def margin(self) -> float:
        return self.revenue - self.cost


def our_side(price: OurPrice, volume: float, serving_usd_per_contact: float, fixed_usd_per_month: float) -> OurSide:
    return OurSide(price.fixed_usd_per_month / volume + price.usd_per_contact, serving_usd_per_contact,
                   fixed_usd_per_month / volume)


def cheaper_above(a: Route, b: Route) -> float:
    """Volume above which route ``b`` costs less than route ``a`` at every larger volume: 0 when it always does,
    infinite when it never does at high volume (a lower variable cost wins in the end, whatever the fixed)."""
    if b.usd_per_contact < a.usd_per_contact:
        return max(0.0, (b.fixed_usd_per_month - a.fixed_usd_per_month) / (a.usd_per_contact - b.usd_per_contact))
    if b.usd_per_contact == a.usd_per_contact and b.fixed_usd_per_month < a.fixed_usd_per_month:
        return 0.0
    return math.inf


def crossing(a: Route, b: Route) -> float | None:
    """The volume at which the two routes cost the same, if there is one above zero."""
    if a.usd_per_contact == b.usd_per_contact:
        return None
    volume = (b.fixed_usd_per_month - a.fixed_usd_per_month) / (a.usd_per_contact - b.usd_per_contact)
    return volume if volume > 0 else None


def break_evens(human: Route, api: Route, own: Route) -> dict[str, float]:
    """Volumes above which one route costs the client less than another, for each pair the advice needs."""
    return {
        "own_beats_api_above": cheaper_above(api, own),
        "api_beats_own_above": cheaper_above(own, api),
        "api_beats_human_above": cheaper_above(human, api),
        "own_beats_human_above": cheaper_above(human, own),
    }


def client_table(routes: list[Route], volume: float, paid_to_us: float, api_usd: float,
                 api_fixed: float) -> pd.DataFrame:
    """The client's cost per contact on each route at its volume, split into what goes to us, to the API and
    integration, and to agents (net of wrong answers and the routing saving)."""
    human, api, own = routes
    rows = []
    for route, us, machine in ((human, 0.0, 0.0), (api, 0.0, api_usd + api_fixed / volume), (own, paid_to_us, 0.0)):
        total = float(route.monthly_cost(volume)) / volume
        rows.append({"route": route.name, "paid to us": us, "API calls and integration": machine,
                     "agents, wrong answers and transfers": total - us - machine, "client's cost per contact": total,
                     "saving against agents only": human.usd_per_contact - total})
    return pd.DataFrame(rows).round(4)


def our_table(side: OurSide) -> pd.DataFrame:
    """Our side of the same contact: what we earn, what serving it costs us, and the margin."""
    share = side.margin / side.revenue if side.revenue > 0 else float("nan")
    return pd.DataFrame([{"our price per contact": side.revenue,
                          "serving every message (per million contacts)": side.serving * 1e6,
                          "our fixed cost per contact": side.fixed, "our cost per contact": side.cost,
                          "our margin per contact": side.margin, "margin share of our price": share}]).round(4)


def route_advice(volume: float, routes: list[Route], evens: dict[str, float]) -> str:
    """Which route costs the client least at its volume, and at what volume that changes, worded from the costs."""
    human, api, own = routes
    cost = {r.name: float(r.monthly_cost(volume)) / volume for r in routes}
    cheapest = min(routes, key=lambda r: cost[r.name])
    parts = [f"At {volume:,.0f} contacts a month the client pays least on {cheapest.name} "
             f"(${cost[cheapest.name]:.2f} a contact)"]
    if evens["own_beats_api_above"] == 0:
        parts.append("our router costs the client less than the LLM route at every volume")
    elif evens["api_beats_own_above"] == 0:
        parts.append("the LLM route costs the client less than ours at every volume")
    elif math.isfinite(evens["own_beats_api_above"]):
        parts.append(f"our router costs the client less than the LLM route above "
                     f"{evens['own_beats_api_above']:,.0f} contacts a month")
    elif math.isfinite(evens["api_beats_own_above"]):
        parts.append(f"the LLM route costs the client less than ours above {evens['api_beats_own_above']:,.0f} "
                     "contacts a month")
    return "; ".join(parts)


def recommendation(volume: float, routes: list[Route], side: OurSide, llm_breakeven: str) -> str:
    """What to do about the route, from both sides: the client's cheapest route and the margin we keep."""
    human, api, own = routes
    cost = {r.name: float(r.monthly_cost(volume)) / volume for r in routes}
    ours, theirs, agents = cost[own.name], cost[api.name], cost[human.name]
    keep = f"we keep ${side.margin:.2f} of our ${side.revenue:.2f} a contact" if side.margin >= 0 else (
        f"we lose ${-side.margin:.2f} a contact on our ${side.revenue:.2f}")
    if ours <= min(theirs, agents):
        return (f"Sell the router. At {volume:,.0f} contacts a month a client pays ${ours:.2f} a contact with it, "
                f"our price included, against ${theirs:.2f} building on an LLM API and ${agents:.2f} with agents "
                f"alone; {keep}.")
    if theirs <= agents:
        return (f"Close the gap to the LLM route before selling on price. At {volume:,.0f} contacts a month a client "
                f"pays ${theirs:.2f} a contact building on an LLM API against ${ours:.2f} with our router (our "
                f"price included); {keep}. {llm_breakeven}.")
    return (f"Do not sell to clients this small. At {volume:,.0f} contacts a month agents alone (${agents:.2f} a "
            f"contact) cost the client less than our router (${ours:.2f} with our price) or an LLM API "
            f"(${theirs:.2f}); {keep}.")
