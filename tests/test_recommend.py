"""Each recommendation rule, each branch: the action, the number that triggered it, what would change it."""

import numpy as np
import pandas as pd

from startup_report.report import recommend


def test_route_rules():
    own = recommend.route(20_000, "our router (x) + humans", 0.0, 2.5, 3.1)
    assert own.startswith("Run our own router.") and "2.50 USD" in own and "no volume" in own
    own_above = recommend.route(20_000, "our router (x) + humans", 5_000.0, 2.5, 3.1)
    assert "below 5,000 contacts" in own_above
    api = recommend.route(2_000, "LLM API router + humans", 9_000.0, 3.5, 3.1)
    assert api.startswith("Start on an LLM API router") and "above 9,000" in api
    assert recommend.route(100, "human agents only", np.inf, 9.0, 8.0).startswith("Do not automate")


def _pricing(npvs):
    return pd.DataFrame({"pricing": ["per_resolution", "per_seat", "platform_fee"], "operating NPV (USD m)": npvs})


def test_pricing_rules():
    keep = recommend.pricing(_pricing([2.0, 1.0, 0.5]), "per_resolution")
    assert keep.startswith("Keep pricing per resolution.") and "2.0 USD m" in keep
    switch = recommend.pricing(_pricing([1.0, 3.0, 0.5]), "per_resolution")
    assert switch.startswith("Price per seat, not per resolution.") and "adds 2.0 USD m" in switch
    losing = recommend.pricing(_pricing([-14.6, -20.0, -18.0]), "per_resolution")
    assert losing.startswith("Every pricing option loses money on this plan") and "-14.6 USD m" in losing


def _gtm(payback):
    frame = pd.DataFrame({"option": ["banks"], "CAC payback (months)": [payback]})
    frame.attrs["benchmark"] = (15.0, 20.0)
    return frame


def test_go_to_market_rules():
    assert "faster than the SaaS median of 15-20" in recommend.go_to_market(_gtm(10.0))
    assert "within the SaaS median" in recommend.go_to_market(_gtm(18.0))
    assert "slower than" in recommend.go_to_market(_gtm(30.0))
    assert recommend.go_to_market(_gtm(np.inf)).startswith("No go-to-market option")
    # The plan's segment comes first; where it never pays back but another does, the advice says so.
    two = pd.DataFrame({"option": ["banks", "fintechs"], "CAC payback (months)": [np.inf, 9.0]})
    two.attrs["benchmark"] = (15.0, 20.0)
    advice = recommend.go_to_market(two)
    assert advice.startswith("banks has the best odds, but") and "fintechs: 9 months" in advice


def _moat(payback):
    return pd.DataFrame(
        {"extra examples per intent": [1, 10], "labelling cost (USD)": [38.5, 385.0], "payback (months)": [1, payback]}
    )


def test_data_moat_rules():
    assert recommend.data_moat(_moat(3.0)).startswith("Label more data") and "3.0 months" in recommend.data_moat(
        _moat(3.0)
    )
    assert recommend.data_moat(_moat(30.0)).startswith("Do not buy labels yet.")
    assert "never pay back" in recommend.data_moat(_moat(np.inf))


def test_funding_rules():
    odds = {"p_needs_raise": 0.05, "funding_need_median": 0.0, "funding_need_p90": 0.0, "p_fail": 0.0}
    assert recommend.funding(odds, 0.0, 60).startswith("The starting cash is enough.")
    # The base case runs out even if few draws do: never "enough".
    assert recommend.funding(odds, 1e6, 60).startswith("Raise $1.0 million more")
    odds = {"p_needs_raise": 0.9, "funding_need_median": 3e7, "funding_need_p90": 7e7, "p_fail": 0.3}
    text = recommend.funding(odds, 2e7, 60, max_failure=0.2)
    assert text.startswith("Raise $30.0 million more") and "30% fail a round, more than the 20%" in text
    assert "on the stated terms" in recommend.funding({**odds, "p_fail": 0.1}, 2e7, 60, max_failure=0.2)
    most = recommend.funding({**odds, "p_fail": 0.7}, 2e7, 60)
    assert most.startswith("Do not count on raising: 70% of draws fail a round") and "$30.0 million" in most


def _checks(ours):
    return pd.DataFrame(
        {
            "metric": ["gross margin, last plan year (%)"],
            "ours": [ours],
            "benchmark low": [41.0],
            "benchmark high": [78.0],
        }
    )


def test_margin_rules():
    assert recommend.margin(_checks(20.0)).startswith("Cut the cost to serve")
    assert recommend.margin(_checks(60.0)).startswith("Gross margin is not the constraint.")
    assert recommend.margin(_checks(float("nan"))).startswith("Find something to bill")


def test_exit_dependence_rules():
    assert recommend.exit_dependence({"p_npv_positive": 0.9, "p_npv_positive_no_exit": 0.7}, 4).startswith(
        "The plan stands without the exit."
    )
    lean = recommend.exit_dependence({"p_npv_positive": 0.8, "p_npv_positive_no_exit": 0.3}, 4)
    assert lean.startswith("Do not pitch the exit") and "adds 50%" in lean and "4x" in lean
    assert recommend.exit_dependence({"p_npv_positive": 0.2, "p_npv_positive_no_exit": 0.1}, 4).startswith(
        "Fix the unit economics"
    )


def test_exit_dependence_uses_the_verdict_threshold():
    odds = {"p_npv_positive": 0.7, "p_npv_positive_no_exit": 0.55}
    assert recommend.exit_dependence(odds, 4, stands=0.5).startswith("The plan stands")
    assert not recommend.exit_dependence(odds, 4, stands=0.6).startswith("The plan stands")


def test_conflicts_name_each_contradiction():
    odds = {"p_fail": 0.7}
    assert recommend.conflicts("more bubble than gold mine", ["Raise $1 million more, early."], odds, 1e6, 1.0) == [
        "advises raising while most draws cannot raise"
    ]
    assert recommend.conflicts("x", ["The starting cash is enough. y"], {"p_fail": 0.0}, 1e6, 1.0)
    assert recommend.conflicts("x", ["Keep pricing per resolution. y"], {"p_fail": 0.0}, 0.0, -3.0)
    assert recommend.conflicts("more gold mine than bubble", ["Fix the unit economics before pitching."], odds, 0, 1)
    assert recommend.conflicts("more bubble than gold mine", ["The plan stands without the exit."], odds, 0, 1)
    agree = ["Do not count on raising: 70%.", "Every pricing option loses money on this plan.", "Fix the unit x."]
    assert recommend.conflicts("more bubble than gold mine", agree, odds, 1e6, -3.0) == []
