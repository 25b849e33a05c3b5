"""The router's economics: which predictions resolve, which route, and what a contact costs, by hand."""

import json
from pathlib import Path

import pandas as pd
import pytest

from startup_report.market import product
from startup_report.market.facts import MarketDataError

ROOT = Path(__file__).resolve().parents[1]
CLASSES = pd.DataFrame(
    {"intent": ["faq", "refund", "fraud"], "resolution_class": ["template", "agent_action", "escalate"], "reason": "r"}
)


def test_shipped_intent_classes_cover_banking77_with_reasons():
    classes = product.read_intent_classes(ROOT / "data/assumptions/banking77_intent_classes.csv")
    labels = json.loads((ROOT / "data/raw/banking77/categories.json").read_text())
    assert set(classes["intent"]) == set(labels)
    assert set(classes["resolution_class"]) == set(product.CLASSES)
    assert classes["reason"].str.len().min() > 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("intent,resolution_class,reason\nfaq,templat,typo\n", "row 2, column 'resolution_class'"),
        ("intent,resolution_class\nfaq,template\n", "missing columns ['reason']"),
        ("intent,resolution_class,reason\nfaq,template,\n", "row 2: 'intent' and 'reason' must not be blank"),
        ("intent,resolution_class,reason\nfaq,template,a\nfaq,escalate,b\n", "intents listed twice: ['faq']"),
    ],
)
def test_malformed_assumption_file_names_row_and_fix(tmp_path, text, message):
    path = tmp_path / "classes.csv"
    path.write_text(text)
    with pytest.raises(MarketDataError) as info:
        product.read_intent_classes(path)
    assert message in str(info.value) and "classes.csv" in str(info.value)


def test_measured_shares_by_hand():
    predictions = pd.DataFrame(
        {
            "label": ["faq", "faq", "refund", "fraud", "faq", "new"],
            "predicted": ["faq", "faq", "refund", "refund", "refund", "new"],
            "confidence": [0.9, 0.95, 0.9, 0.8, 0.4, 0.99],
        }
    )
    shares = product.measured_shares(predictions, 0.7, CLASSES, default="agent_action")
    # Confident: rows 0, 1 (faq: template), 2, 3 (refund: agent), 5 ('new' is unlisted: default agent_action).
    assert shares.resolved == pytest.approx(2 / 6) and shares.resolved_precision == 1.0
    assert shares.routed == pytest.approx(3 / 6) and shares.routed_precision == pytest.approx(2 / 3)
    assert shares.unrouted == pytest.approx(1 / 6)
    # The default class decides unlisted intents: as a template, 'new' becomes a resolution.
    as_template = product.measured_shares(predictions, 0.7, CLASSES, default="template")
    assert as_template.resolved == pytest.approx(3 / 6)


def test_open_world_shares_by_hand():
    # Rows 3 and 4 are messages of an unknown intent: answered as faq (resolved, wrong) and rejected.
    predictions = pd.DataFrame(
        {
            "predicted": ["faq", "faq", "refund", "faq", "refund", "fraud"],
            "automated": [True, True, True, True, False, True],
            "correct": [True, False, True, False, False, True],
        }
    )
    shares = product.open_world_shares(predictions, CLASSES, default="agent_action")
    assert shares.resolved == pytest.approx(3 / 6) and shares.resolved_precision == pytest.approx(1 / 3)
    assert shares.routed == pytest.approx(2 / 6) and shares.routed_precision == 1.0
    assert shares.unrouted == pytest.approx(1 / 6)


def test_llm_answers_everything_at_its_published_accuracy():
    shares = product.llm_shares(pd.Series(["faq", "faq", "refund", "fraud"]), CLASSES, "agent_action", 0.6)
    assert shares.resolved == 0.5 and shares.routed == 0.5 and shares.unrouted == 0.0
    assert shares.resolved_precision == shares.routed_precision == 0.6


def test_routing_saving_and_cost_per_contact_by_hand():
    # A transfer costs half a contact of $4 = $2; right 90% x 20% transfers avoided x $2 - 10% x $2 = 0.16.
    assert product.routing_saving(4.0, 0.2, 0.5, 0.9) == pytest.approx(0.36 - 0.2)
    shares = product.Shares(resolved=0.3, resolved_precision=0.9, routed=0.5, routed_precision=0.9, unrouted=0.2)
    # 0.01 machine + 0.7 x 4 humans + 0.3 x 0.1 x 5 errors - 0.5 x 0.16 routing saving
    cost = product.cost_per_contact(shares, 0.01, 4.0, 5.0, 0.2, 0.5)
    assert cost == pytest.approx(0.01 + 2.8 + 0.15 - 0.08)


def test_a_bad_router_pays_for_the_transfers_it_causes():
    assert product.routing_saving(4.0, 0.19, 0.5, 0.6) < 0


def test_predictions_must_agree_with_metrics():
    shares = product.Shares(0.3, 1.0, 0.3, 1.0, 0.4)
    product.automated_share_check(shares, 0.61)
    with pytest.raises(ValueError, match="rerun the evaluation stage"):
        product.automated_share_check(shares, 0.8)
