import pytest

from startup_report.modeling import zoo
from startup_report.modeling.machine import native_bf16
from startup_report.modeling.precision import resolve
from startup_report.params import Params, load_params
from tests.conftest import ROOT

AVX512_BF16 = frozenset({"avx2", "avx512f", "avx512_bf16"})
EPYC_NO_AVX512 = frozenset({"avx", "avx2", "fma"})


def test_auto_uses_bf16_only_on_a_cpu_with_native_bf16():
    assert resolve("auto", AVX512_BF16) == "bf16"
    assert resolve("auto", EPYC_NO_AVX512) == "fp32"
    assert resolve("auto", frozenset({"amx_bf16"})) == "bf16"


def test_explicit_precision_wins():
    assert resolve("bf16", EPYC_NO_AVX512) == "bf16"
    assert resolve("fp32", AVX512_BF16) == "fp32"


def test_native_bf16_reads_the_flags():
    assert native_bf16(AVX512_BF16) and not native_bf16(EPYC_NO_AVX512)


@pytest.mark.parametrize("flags", [AVX512_BF16, EPYC_NO_AVX512])
def test_the_default_trains_in_fp32_with_fixed_threads_on_every_cpu(flags, monkeypatch):
    """The default parameters give one configuration whatever the CPU reports (the run cache keys on it)."""
    monkeypatch.setattr("startup_report.modeling.machine.cpu_flags", lambda: flags)
    params = Params()
    for name in ("minilm-finetuned", "minilm-setfit"):
        config = zoo.model_config(name, params.model, params.training)
        assert config["threads"] == 2
    assert zoo.model_config("minilm-finetuned", params.model, params.training)["precision"] == "fp32"


def test_bf16_is_an_opt_in_profile():
    params = load_params(ROOT, [ROOT / "params/bf16.yaml"])
    assert params.training.precision == "bf16"
    assert zoo.model_config("minilm-finetuned", params.model, params.training)["precision"] == "bf16"
    assert "differ" in (ROOT / "params/bf16.yaml").read_text()
