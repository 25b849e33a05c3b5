"""The rules that word the executive summary's recommendations."""

import numpy as np
import pandas as pd

from startup_report.report import findings

T = findings.Thresholds(gold_mine=0.6, bubble=0.4, max_failure=0.2)


def test_verdict_gold_mine_needs_no_exit_odds_and_low_funding_risk():
    text = findings.verdict(0.7, 0.9, 0.1, T)
    assert text.startswith("more gold mine than bubble") and "70% without the exit and 90% with it" in text
    # Same odds, but a third of draws cannot raise: not a gold mine any more.
    assert findings.verdict(0.7, 0.9, 0.3, T).startswith("a business that pays for itself but may not survive")


def test_verdict_bubble_rules():
    assert findings.verdict(0.1, 0.3, 0.0, T).startswith("more bubble")  # even the exit does not rescue it
    assert findings.verdict(0.3, 0.5, 0.5, T).startswith("more bubble")  # bad odds and bad funding risk


def test_verdict_bet_on_the_exit():
    text = findings.verdict(0.3, 0.8, 0.1, T)
    assert text.startswith("a bet on the exit") and findings.verdict_label(text) == (
        "a bet on the exit rather than a business that pays for itself"
    )


def test_verdict_moves_with_its_thresholds():
    strict = findings.Thresholds(gold_mine=0.8, bubble=0.4, max_failure=0.2)
    assert findings.verdict(0.7, 0.9, 0.1, strict).startswith("a bet on the exit")


def test_money_formats_sign_and_scale():
    assert findings.money(-3.4e6) == "-$3.4 million" and findings.money(2.5e9) == "$2.5 billion"


def test_route_advice_names_the_break_evens():
    text = findings.route_advice(20_000, "LLM API", 118_000.4, 455.0)
    assert "cheapest route is LLM API" in text and "above 118,000" in text and "above 455" in text
    assert "at every volume" in findings.route_advice(20_000, "LLM API", np.inf, 455.0)
    assert "cheaper than the LLM API at every volume" in findings.route_advice(20_000, "own", 0.0, 455.0)


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


def _rounds(*rows):
    columns = ["round", "month", "amount (USD)", "pre-money (USD)", "dilution", "failed", "missed milestone", "stage"]
    return pd.DataFrame([(i + 1, *r) for i, r in enumerate(rows)], columns=columns)


def test_base_case_story_rules():
    stages = ["Series A", "Series B"]
    assert "lasts the whole 60-month plan" in findings.base_case_story(61, 60, 0.0, _rounds(), stages, 0.5, 18)
    raised = findings.base_case_story(13, 60, 5e6, _rounds((13, 5e6, 20e6, 0.2, False, False, 0)), stages, 0.5, 18)
    assert "month 13" in raised and "a Series A round in month 13: $5.0 million at $20.0 million pre-money" in raised
    assert "keep 80% of everything after, the raised cash included" in raised
    capped = _rounds((13, 5e6, 20e6, 0.2, False, False, 0), (31, 9e7, 20e6, 0.82, True, False, 1))
    stopped = findings.base_case_story(13, 60, 5e7, capped, stages, 0.5, 18)
    assert "round in month 31 (a Series B round) fails" in stopped and "above the 50% cap" in stopped
    assert "owners lose the company and never see the exit" in stopped
    missed = _rounds((13, 5e6, 20e6, 0.2, True, True, -1))
    assert "not reached the Series A ARR milestone" in findings.base_case_story(13, 60, 5e6, missed, stages, 0.5, 18)


def test_benchmark_note_names_what_lies_outside():
    checks = pd.DataFrame(
        {
            "metric": ["annual logo churn (%)", "gross margin (%)"],
            "ours": [21.5, 60.0],
            "benchmark low": [7.0, 41.0],
            "benchmark high": [10.0, 78.0],
            "benchmark": ["SaaS median", "ICONIQ"],
            "outside": [True, False],
        }
    )
    note = findings.benchmark_note(checks)
    assert note == "Outside the sourced benchmarks: annual logo churn (%) is 21.5 against 7-10 (SaaS median)."
    assert findings.benchmark_note(checks.assign(outside=False)).startswith("Every checked figure")


def test_encoder_routes_are_ranked_per_few_shot_budget():
    summary = pd.DataFrame(
        [
            {"model": "minilm-logreg", "budget": "10", "accuracy_mean": 0.854, "accuracy_sd": 0.005, "seeds": 3},
            {"model": "minilm-setfit", "budget": "10", "accuracy_mean": 0.861, "accuracy_sd": 0.0, "seeds": 1},
            {"model": "minilm-finetuned", "budget": "10", "accuracy_mean": 0.70, "accuracy_sd": 0.0, "seeds": 1},
            {"model": "tfidf-logreg", "budget": "10", "accuracy_mean": 0.99, "accuracy_sd": 0.0, "seeds": 3},
            {"model": "minilm-logreg", "budget": "30", "accuracy_mean": 0.90, "accuracy_sd": 0.004, "seeds": 3},
        ]
    )
    sentence = findings.encoder_routes(summary, [10, 30, 50])
    assert sentence == (
        "with 10 examples per intent, SetFit 86.1% (one seed), then frozen encoder 85.4% (± 0.5% over 3 seeds), "
        "then fine-tuning 70.0% (one seed); with 30 examples per intent, frozen encoder 90.0% (± 0.4% over 3 seeds)."
    )
    assert findings.encoder_routes(summary, [50]) == "No pretrained route was trained at a few-shot budget."


def test_balance_and_length_clauses_follow_the_data():
    assert findings.balance_verdict(100, 110).startswith("so the classes are close to balanced")
    assert "roughly but not exactly balanced (the largest has 1.5 times" in findings.balance_verdict(100, 150)
    assert findings.balance_verdict(10, 80).startswith("so the classes are imbalanced: the largest has 8.0 times")
    texts = pd.Series(["one two", "one two three", "a b c d e f g h i j"])
    assert findings.length_summary(texts) == "the median message has 3 words, 95 % have at most 9 and the longest 10"
