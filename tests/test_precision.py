from startup_report.engine.machine import native_bf16
from startup_report.modeling.precision import resolve

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
