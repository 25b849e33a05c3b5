"""The market stage end to end on a synthetic evaluation hand-off: what the issue's acceptance asks.

A change to the resolvable-intent file, the channel or the exit multiple must move the numbers and the
wording the summary glues; bad inputs must fail in the preflight with the field and the fix.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from startup_report.evaluation import handoff as evaluation_handoff
from startup_report.market import analysis, handoff, headline, montecarlo, strategy_stage
from startup_report.market.facts import MarketDataError
from startup_report.market.preflight import preflight
from startup_report.params import MarketParams, Params

ROOT = Path(__file__).resolve().parents[1]


def write_evaluation(folder: Path, seed: int = 0, n_per_intent: int = 20) -> Path:
    """Predictions with ~90% accuracy and confidences, and metrics.json consistent with them."""
    labels = json.loads((ROOT / "data/raw/banking77/categories.json").read_text())
    rng = np.random.default_rng(seed)
    true = np.repeat(labels, n_per_intent)
    wrong = rng.random(len(true)) < 0.1
    predicted = np.where(wrong, rng.choice(labels, len(true)), true)
    confidence = np.where(predicted == true, rng.uniform(0.5, 1.0, len(true)), rng.uniform(0.2, 0.8, len(true)))
    frame = pd.DataFrame({"text": "msg", "label": true, "predicted": predicted, "confidence": confidence})
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "predictions.parquet", index=False)
    threshold = 0.7
    confident = confidence >= threshold
    figures = {
        "model": "minilm-logreg",
        "family": "frozen",
        "accuracy": float((predicted == true).mean()),
        "accuracy_ci": (0.88, 0.92),
        "macro_f1": 0.9,
        "macro_f1_ci": (0.88, 0.92),
        "ece": 0.02,
        "ece_before": 0.05,
        "temperature": 1.2,
        "target_precision": 0.95,
        "threshold": threshold,
        "automation_rate": float(confident.mean()),
        "automation_rate_ci": (0.5, 0.7),
        "automation_precision": float((predicted == true)[confident].mean()),
        "automation_precision_ci": (0.9, 1.0),
        "latency_ms_p50": 10.0,
        "latency_ms_p95": 20.0,
        "throughput_per_s": 200.0,
        "peak_memory_mb": 500.0,
        "serving_cost_per_million_usd": 0.11,
    }
    # Open world: the same messages, a quarter of the intents unknown; their answers go to a known intent.
    held_out = np.isin(true, labels[::4])
    open_predicted = np.where(held_out, rng.choice(np.array(labels)[~np.isin(labels, labels[::4])], len(true)),
                              predicted)
    open_confidence = np.where(held_out, rng.uniform(0.3, 0.9, len(true)), confidence)
    automated = open_confidence >= threshold
    correct = automated & (open_predicted == true) & ~held_out
    pd.DataFrame({"seed": 0, "open": held_out, "predicted": open_predicted, "confidence": open_confidence,
                  "automated": automated, "correct": correct}).to_parquet(folder / "predictions_open.parquet")
    open_world = evaluation_handoff.OpenWorld(
        source="held-out intents", model="minilm-logreg", rejection="max_probability", known_share=0.75, seeds=1,
        automation_rate=float(automated.mean()), automation_rate_sd=0.0,
        automation_precision=float(correct[automated].mean()),
        closed_automation_rate=float(automated[~held_out].mean()),
        closed_automation_precision=float(correct[~held_out & automated].mean()),
        unknown_automated=float(automated[held_out].mean()), known_accuracy=0.85, open_f1=0.4,
    )
    model = evaluation_handoff.ModelMetrics(**figures)
    metrics = evaluation_handoff.EvaluationMetrics(
        **figures,
        dataset="banking77",
        n_test=len(true),
        cpu_usd_per_hour=0.0816,
        llm_tokens_per_message=700.0,
        llm_prompt_tokens=600.0,
        llm_output_tokens=5.0,
        finetune_train_seconds=None,
        finetune_parameters=None,
        families={"frozen": model},
        open_world=open_world,
    )
    evaluation_handoff.write(metrics, folder / "metrics.json")
    return folder


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    return write_evaluation(tmp_path_factory.mktemp("evaluation"))


def run(evaluation: Path, **changes) -> tuple[dict, handoff.MarketResult]:
    """The notebook's calls in order, with a small number of draws."""
    config = MarketParams(**{"draws": 500, **changes})
    inp = analysis.load(config, evaluation, ROOT)
    ours, theirs, _ = analysis.router_shares(inp)
    inp, table, _ = analysis.reported_segment(inp, ours, seed=7)  # the recommended segment's values from here on
    human, _ = analysis.human_costs(inp)
    _, llm_usd = analysis.llm_prices(inp)
    routes = analysis.route_comparison(inp, float(human["value"]), ours, theirs, llm_usd)
    _, price_usd, seat_usd = analysis.prices(inp)
    sized, _, _ = analysis.sizing(inp, analysis.revenue_per_contact(inp, ours, price_usd, seat_usd))
    base, plan, yearly = analysis.plan(inp, ours, price_usd, seat_usd)
    simulated, odds, seconds = analysis.simulate(inp, base, seed=7)
    sensitivity = montecarlo.tornado(base, analysis.ranges(inp, base))
    outcome = headline.Outcome(
        human, ours, theirs, llm_usd, routes, price_usd, sized, plan, yearly, odds, seconds, sensitivity, table
    )
    tables = strategy_stage.strategy_tables(inp, ours, price_usd, seat_usd, base, plan, yearly)
    recs = headline.recommendations(inp, outcome, tables.pricing, tables.gtm, tables.moat, tables.checks)
    values = headline.values(inp, outcome, 7) | headline.strategy_values(
        tables.competitors, tables.moat, tables.gtm, tables.team, recs
    )
    return values, headline.result(inp, outcome, 7)


def test_open_world_is_priced_by_default_and_a_parameter_switches(evaluation):
    open_values, opened = run(evaluation)
    closed_values, closed = run(evaluation, automation_world="closed")
    assert opened.automation_world == "open" and closed.automation_world == "closed"
    assert "open world" in open_values["automation_world"] and "closed world" in closed_values["automation_world"]
    # Unknown intents answered wrongly: less precision on what is resolved, and a costlier contact.
    assert opened.resolved_precision < closed.resolved_precision
    assert opened.own_usd_per_contact > closed.own_usd_per_contact


def test_open_predictions_must_agree_with_metrics(evaluation, tmp_path):
    folder = write_evaluation(tmp_path / "evaluation")
    frame = pd.read_parquet(folder / "predictions_open.parquet")
    frame.assign(automated=True).to_parquet(folder / "predictions_open.parquet")
    with pytest.raises(ValueError, match="rerun the evaluation stage"):
        run(folder)


def test_stage_writes_a_valid_typed_handoff(evaluation, tmp_path):
    values, result = run(evaluation)
    path = handoff.write(result, tmp_path / "market.json")
    again = handoff.read(path)
    assert again == result and again.seed == 7 and again.channel == "chat"
    assert 5 <= values["n_recommendations"] <= 7 and all(values[f"rec_{i}"] for i in range(1, 6))
    assert again.p_npv_positive_no_exit <= again.p_npv_positive  # the exit can only add value
    assert "_" not in values["top_driver"] + values["second_driver"]  # inputs in words, not field names


def test_resolvable_intent_file_moves_numbers_and_wording(evaluation, tmp_path):
    classes = pd.read_csv(ROOT / "data/assumptions/banking77_intent_classes.csv")
    fewer = classes.assign(resolution_class=classes["resolution_class"].replace({"template": "agent_action"}))
    fewer.loc[:4, "resolution_class"] = "template"
    path = tmp_path / "fewer.csv"
    fewer.to_csv(path, index=False)
    before, _ = run(evaluation)
    after, result = run(evaluation, intent_classes_file=str(path))
    assert after["resolved_share"] != before["resolved_share"] and after["own_cost"] != before["own_cost"]
    assert after["rec_1"] != before["rec_1"] or after["rec_3"] != before["rec_3"]
    assert result.resolved_share < 0.1


def test_channel_moves_the_human_cost_and_the_route_wording(evaluation):
    chat, _ = run(evaluation)
    email, result = run(evaluation, channel="email")
    assert email["human_cost"] != chat["human_cost"] and email["channel"] == "email"
    assert email["rec_1"] != chat["rec_1"]
    assert result.human_usd_per_contact > 4.0


def test_exit_multiple_moves_the_odds_and_the_verdict_text(evaluation):
    low, _ = run(evaluation, exit_revenue_multiple=0.0)
    high, _ = run(evaluation, exit_revenue_multiple=30.0, valuation_scale=5.0, max_dilution=0.95)
    assert high["p_npv_positive"] != low["p_npv_positive"] and high["verdict"] != low["verdict"]
    assert high["rec_7"] != low["rec_7"]


def test_a_cheaper_client_never_lowers_the_value(evaluation):
    # The symptom of counting the funding twice: a CAC of $60k valued the plan lower than $150k.
    _, default = run(evaluation)
    _, cheaper = run(evaluation, cac_usd=60_000.0)
    assert cheaper.npv_base_no_exit_usd >= default.npv_base_no_exit_usd
    assert cheaper.npv_base_usd >= default.npv_base_usd


def test_every_segment_has_its_plan_and_one_is_recommended(evaluation):
    values, result = run(evaluation)
    assert [s.name for s in result.segments] == list(MarketParams().gtm)
    assert sum(s.recommended for s in result.segments) == 1
    best = next(s for s in result.segments if s.recommended)
    assert best.p_npv_positive_no_exit == max(s.p_npv_positive_no_exit for s in result.segments)
    assert best.name in values["segment_sentence"] and values["reported_segment"] == best.name
    assert values["gtm_best"] == best.name  # the go-to-market advice names the segment the plan sells to
    # The summary's figures are the recommended segment's own: its row and market.json's top level agree.
    assert (best.npv_base_usd, best.npv_base_no_exit_usd) == (result.npv_base_usd, result.npv_base_no_exit_usd)
    assert best.p_npv_positive_no_exit == result.p_npv_positive_no_exit and best.verdict == result.verdict
    # The LLM break-even accuracy is where the two routes cost the client the same.
    assert result.llm_breakeven_accuracy is not None and "accuracy" in values["llm_breakeven"]


def test_seed_changes_the_draws_and_is_recorded(evaluation):
    config = MarketParams(draws=300)
    inp = analysis.load(config, evaluation, ROOT)
    ours, _, _ = analysis.router_shares(inp)
    _, price_usd, seat_usd = analysis.prices(inp)
    base, _, _ = analysis.plan(inp, ours, price_usd, seat_usd)
    a, b = analysis.simulate(inp, base, 1)[0], analysis.simulate(inp, base, 2)[0]
    assert (a.npv_usd != b.npv_usd).any()
    assert (analysis.simulate(inp, base, 1)[0].npv_usd == a.npv_usd).all()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"tam_key": "conv_ai_market_2026_grokipedia"}, "source is 'encyclopaedia'"),
        ({"tam_range_keys": ["conv_ai_market_2025_sdh"]}, "source is 'unnamed'"),
        ({"llm_model": "GPT-4.1 nano"}, "market.llm_model: 'GPT-4.1 nano' retires on 2026-10-23"),
        ({"llm_model": "GPT-9"}, "market.llm_model: 'GPT-9' is not in llm_prices.csv"),
        ({"price_key": "nope"}, "market.price_key"),
        ({"channel": "messaging"}, "market.channel: no sourced human cost for channel 'messaging'"),
        ({"human_cost_channel_key": "phone_uk_2024"}, "is a phone cost but market.channel is 'chat'"),
        ({"intent_classes_file": "data/assumptions/missing.csv"}, "missing.csv: not found"),
        ({"uncertainty": {"churn": {"spread": 0.5}}}, "unknown plan inputs ['churn']"),
        (
            {"learning_curve_source": "published", "learning_curve_model": "GPT-5.2"},
            "market.learning_curve_model: banking77_results.csv: need two curve",
        ),
        ({"measured_curve_model": "minilm-finetuned-x"}, "market.measured_curve_model: 'minilm-finetuned-x' is not"),
    ],
)
def test_preflight_names_the_field_and_the_fix(override, message):
    params = Params(market=MarketParams(**override))
    with pytest.raises(MarketDataError) as info:
        preflight(params, ROOT)
    assert message in str(info.value)


def test_preflight_accepts_the_defaults():
    preflight(Params(), ROOT)


def test_curves_estimates_evidence_and_assumptions(evaluation):
    from startup_report.market import sources

    config = MarketParams(draws=200)
    inp = analysis.load(config, evaluation, ROOT)
    ours, theirs, _ = analysis.router_shares(inp)
    human, _ = analysis.human_costs(inp)
    _, llm_usd = analysis.llm_prices(inp)
    routes = analysis.route_comparison(inp, float(human["value"]), ours, theirs, llm_usd)
    volumes, costs, point = analysis.cost_curves(routes, config.monthly_contacts)
    assert costs["human agents only"][0] == pytest.approx(100 * float(human["value"]))
    assert point[1] == pytest.approx(routes.table["client's cost per contact"].iloc[2], abs=1e-4)
    assert set(analysis.size_estimates(inp)["segment"]) <= {
        "ai_customer_service",
        "call_center_ai",
        "chatbot",
        "conversational_ai",
    }
    table, pretrain = analysis.build_or_buy(inp, llm_usd)
    assert pretrain > 1e6 and table["fine-tune (our CPU run, scaled)"].isna().all()  # no fine-tuning run here
    values, evidence = sources.evidence(inp)
    assert set(values) == set(sources.EVIDENCE) and evidence["url"].str.startswith("http").all()
    listed = sources.assumptions(config)
    assert "market.intent_classes_file" in set(listed["parameter"])
    assert listed["meaning"].str.startswith(("Assumption", "Sourced")).all()
    assert "market.uncertainty.cac_usd" in set(listed["parameter"]) and not listed["value"].str.contains("{").any()


def test_a_measured_curve_without_two_budgets_fails_when_the_inputs_load(evaluation, tmp_path):
    """The market notebook's first computing cell reads and checks its inputs: a model trained at one budget
    only (valid parameters, but no curve to fit) stops it there, before any figure is drawn."""
    rows = [{"model": "minilm-logreg", "budget": "full", "accuracy": 0.9, "train_examples": 770}]
    pd.DataFrame(rows).to_csv(tmp_path / "results.csv", index=False)
    config = MarketParams(learning_curve_source="measured", measured_curve_model="minilm-logreg")
    with pytest.raises(ValueError, match="fewer than two budgets of 'minilm-logreg'"):
        analysis.load(config, evaluation, ROOT, training_dir=tmp_path)
    published = config.model_copy(update={"learning_curve_source": "published"})
    assert analysis.load(published, evaluation, ROOT, training_dir=tmp_path).results is not None  # not asked for
