"""The rules that word the executive summary's recommendations."""

import numpy as np
import pandas as pd

from startup_report.report import findings


def test_bubble_or_gold_mine_thresholds():
    assert findings.bubble_or_gold_mine(0.8) == "more gold mine than bubble"
    assert findings.bubble_or_gold_mine(0.5) == "a coin toss between bubble and gold mine"
    assert findings.bubble_or_gold_mine(0.2) == "more bubble than gold mine"


def test_plan_verdict_rules():
    assert findings.plan_verdict(0.9, 0.1, 1e6).startswith("clears")
    assert findings.plan_verdict(0.9, 0.7, 1e6).startswith("creates value but runs out of cash")
    assert findings.plan_verdict(0.9, 0.1, -1.0).startswith("does not clear")
    assert findings.plan_verdict(0.4, 0.1, 1e6).startswith("does not clear")


def test_route_advice_names_the_break_evens():
    text = findings.route_advice(20_000, "LLM API", 118_000.4, 455.0)
    assert "cheapest route is LLM API" in text and "above 118,000" in text and "above 455" in text
    assert "at every volume" in findings.route_advice(20_000, "LLM API", np.inf, 455.0)


def test_scaling_headlines_compare_pretrained_with_baselines():
    summary = pd.DataFrame(
        [
            {
                "family": "classical",
                "model": "tfidf-logreg",
                "budget": "10",
                "accuracy_mean": 0.75,
                "accuracy_sd": 0.01,
            },
            {"family": "frozen", "model": "minilm-logreg", "budget": "10", "accuracy_mean": 0.87, "accuracy_sd": 0.02},
            {"family": "frozen", "model": "minilm-logreg", "budget": "full", "accuracy_mean": 0.93, "accuracy_sd": 0.0},
        ]
    )
    values = findings.scaling_headlines(summary, [10], 3, 120.0)
    assert values["pretrained_low_model"] == "minilm-logreg"
    assert values["margin_low"] == "+12.0 points" and values["margin_verdict"] == "larger than"
    assert values["frozen_full"] == "93.0%" and values["finetuned_full"] == "(not trained in this run)"
