"""The route comparison, from the client's side and from ours: human agents alone, an LLM API router the
client builds (API calls, integration, agents), and our router (our price, agents). One cost model for all
three routes (`product.cost_per_contact`); a contact is one conversation whose messages the routers all read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from startup_report.market import facts, finance, invoice, product


@dataclass(frozen=True)
class Routes:  # break_evens also holds llm_accuracy: the published LLM accuracy at which its route costs what ours does
    routes: list[finance.Route]  # the client's side: [human agents, LLM API router, our router at our price]
    table: pd.DataFrame  # the client's cost per contact on each route
    break_evens: dict[str, float]
    cheapest: finance.Route
    ours_table: pd.DataFrame | None = None  # our side: price, cost and margin per contact
    our_side: invoice.OurSide | None = None


def prices(inp) -> tuple[pd.Series, float, float]:
    """The market price per resolution we match (less our discount) and the seat price for seat pricing."""
    row = facts.fact(inp.facts, "contact_costs", inp.config.price_key)
    seat = facts.value(inp.facts, "competitors", inp.config.seat_price_key)
    return row, float(row["value"]) * (1 - inp.config.price_discount), seat


def per_contact(inp, usd_per_message: float) -> float:
    """A machine cost per message as a cost per contact: the router reads every message of the conversation."""
    return usd_per_message * inp.config.messages_per_conversation


def open_scale(inp) -> float:
    """Share of messages of known intents: prompted with the known intents, an LLM can be right only on those."""
    return 1.0 - float(inp.open_predictions["open"].mean()) if inp.open_predictions is not None else 1.0


def route_comparison(inp, human_usd: float, ours: product.Shares, theirs: product.Shares, llm_usd: float) -> Routes:
    """The three routes as the client pays for them, the LLM accuracy that makes the client indifferent, and our
    margin on the same contact."""
    c = inp.config
    transfer = facts.value(inp.facts, "routing", c.transfer_rate_key) / 100.0
    api = per_contact(inp, llm_usd)

    def variable(shares: product.Shares, machine: float) -> float:
        return product.cost_per_contact(shares, machine, human_usd, c.error_cost_usd, transfer, c.transfer_cost_share)

    _, price_usd, seat_usd = prices(inp)
    price = invoice.our_price(c.pricing, ours.resolved, ours.resolved_precision, price_usd, seat_usd,
                              c.contacts_per_seat, c.platform_fee_usd_per_month)
    routes = [
        finance.Route("human agents only", 0.0, human_usd),
        finance.Route(f"LLM API router ({c.llm_model}) + humans", c.llm_fixed_usd_per_month, variable(theirs, api)),
        finance.Route(f"our router ({inp.measured.model}) + humans, our price included", price.fixed_usd_per_month,
                      variable(ours, 0.0) + price.usd_per_contact),
    ]
    v = c.monthly_contacts
    breakeven = product.breakeven_accuracy(
        inp.predictions["label"], inp.classes, c.default_intent_class, routes[2].monthly_cost(v) / v,
        c.llm_fixed_usd_per_month / v, lambda shares: variable(shares, api),
    ) / open_scale(inp)  # fmt: skip
    paid = float(routes[2].monthly_cost(v) / v) - variable(ours, 0.0)
    side = invoice.our_side(price, v, per_contact(inp, inp.measured.serving_cost_per_million_usd / 1e6),
                            c.own_fixed_usd_per_month)
    evens = invoice.break_evens(*routes) | {"llm_accuracy": breakeven}
    return Routes(routes, invoice.client_table(routes, v, paid, api, c.llm_fixed_usd_per_month), evens,
                  finance.cheapest_route(routes, v), invoice.our_table(side), side)


def cost_curves(routes: Routes, volume: float) -> tuple[np.ndarray, dict[str, np.ndarray], tuple[float, float]]:
    """Monthly cost to the client of each route over 100 to 10 million contacts, and our route at its volume."""
    volumes = np.logspace(2, 7, 200)
    costs = {r.name: np.asarray(r.monthly_cost(volumes)) for r in routes.routes}
    return volumes, costs, (volume, float(routes.routes[2].monthly_cost(volume)) / volume)
