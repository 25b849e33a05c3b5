"""The evaluation stage's checks of the market files it reads, before any stage runs (exit 2 with the fix)."""

import pytest

from startup_report.engine.stage import InputError
from startup_report.market.checks import check_cpu_price_key, check_llm_models, hourly_price
from startup_report.params import load_params
from tests.conftest import ROOT


def _params(*overrides: str):
    return load_params(ROOT, [], list(overrides))


def test_the_shipped_files_pass_both_checks():
    params = _params()
    check_llm_models(params, ROOT)
    check_cpu_price_key(params, ROOT)


def test_an_unlisted_api_model_names_the_field_and_the_choices():
    with pytest.raises(InputError, match=r"evaluation.llm_models: \['GPT-0'\] not found .*choose from: .*GPT-4.1 nano"):
        check_llm_models(_params("evaluation.llm_models=[GPT-0]"), ROOT)


def test_an_api_model_retired_by_the_report_date_is_never_priced():
    with pytest.raises(InputError, match=r"evaluation.llm_models: 'GPT-4.1 nano' retires on 2026-10-23"):
        check_llm_models(_params("evaluation.llm_models=[GPT-6 Luna, GPT-4.1 nano]"), ROOT)
    with pytest.raises(InputError, match=r"'GPT-5 mini' retires on 2026-12-11"):
        check_llm_models(_params("evaluation.llm_models=[GPT-5 mini]", "market.as_of=2026-12-11"), ROOT)
    check_llm_models(_params("evaluation.llm_models=[GPT-5 mini]", "market.as_of=2026-12-10"), ROOT)


def test_an_unknown_cpu_price_key_names_the_field_and_the_hourly_keys():
    params = _params("evaluation.cpu_price_key=no_such_machine")
    with pytest.raises(InputError, match=r"evaluation.cpu_price_key: 'no_such_machine'.*aws_m7g_large_on_demand"):
        check_cpu_price_key(params, ROOT)
    check_cpu_price_key(_params("evaluation.cpu_price_key=no_such_machine", "evaluation.cpu_usd_per_hour=0.2"), ROOT)


def test_the_price_comes_from_compute_csv_with_its_source_unless_overridden():
    compute = ROOT / "data/market/compute.csv"
    price, source = hourly_price(compute, "aws_m7g_large_on_demand_usd_per_hour")
    assert price == pytest.approx(0.0816) and "http" in source  # the sourced row and its citation
    assert hourly_price(compute, "aws_m7g_large_on_demand_usd_per_hour", 0.5) == (
        0.5,
        "assumption (evaluation.cpu_usd_per_hour)",
    )
