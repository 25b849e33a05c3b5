"""What must be true: the break-even frontier finds where the odds are one half, and says it in words."""

import numpy as np
import pytest

from startup_report.market import frontier, whatif_model
from startup_report.params import Params
from tests.test_whatif_model import plan_basis


def test_crossings_by_hand():
    xs = np.array([0.0, 1.0, 2.0, 3.0])
    assert frontier.last_above(xs, np.array([0.9, 0.7, 0.3, 0.1]), 0.5) == pytest.approx(1.5)
    assert np.isnan(frontier.last_above(xs, np.array([0.4, 0.3, 0.2, 0.1]), 0.5))  # below even at zero
    assert np.isinf(frontier.last_above(xs, np.array([0.9, 0.8, 0.7, 0.6]), 0.5))  # above the whole grid
    assert frontier.first_above(xs, np.array([0.1, 0.3, 0.7, 0.9]), 0.5) == pytest.approx(1.5)
    assert np.isnan(frontier.first_above(xs, np.array([0.1, 0.2, 0.3, 0.4]), 0.5))


@pytest.fixture(scope="module")
def found():
    config = Params().market.model_copy(update={"draws": 400})
    base = plan_basis().base.with_values(contacts_per_customer_month=40_000, opex_usd_per_month=120_000.0,
                                         churn_monthly=0.01, automation_rate=0.5, cac_usd=150_000.0)  # fmt: skip
    basis = whatif_model.basis(config, base, 42, 0.99, "banks", "banks")
    return basis, frontier.cac_frontier(basis, 400, sizes=5, cacs=9)


def test_the_odds_are_one_half_on_the_frontier_and_rise_with_client_size(found):
    basis, f = found
    assert np.isfinite(f.cac_at_size) and np.isfinite(f.size_at_cac)
    at_cac = frontier.odds(basis, np.array([f.size]), np.array([f.cac_at_size]), 400)[0]
    at_size = frontier.odds(basis, np.array([f.size_at_cac]), np.array([f.cac_usd]), 400)[0]
    assert abs(at_cac - 0.5) < 0.08 and abs(at_size - 0.5) < 0.08
    # A bigger client can afford a dearer acquisition: the break-even CAC does not fall with client size.
    evens = f.table["break-even CAC (USD)"].replace(np.inf, 1e12).fillna(-1.0).to_numpy()
    assert (np.diff(evens) >= -0.02 * f.cac_usd).all()
    assert (np.diff(f.table["P(NPV > 0) without exit at the assumed CAC"]) >= -0.02).all()


def test_the_conditions_name_both_numbers_and_whether_the_plan_meets_them(found):
    _, f = found
    text = frontier.conditions(f, "banks")
    assert f"${round(f.cac_at_size, -3):,.0f}" in text and f"{round(f.size_at_cac, -3):,.0f} contacts" in text
    assert ("so this holds" in text) == (f.cac_usd <= f.cac_at_size)
    shown = frontier.reader_table(f)["break-even CAC (USD)"]
    assert shown.str.startswith(("$", "none", "above")).all()
