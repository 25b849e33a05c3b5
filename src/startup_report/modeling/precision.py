"""Which float precision the PyTorch training runs in: fp32 by default, bf16 only when the parameters ask.

fp32 is the default on every CPU because bf16 autocast trains another model: the full-data trio ensemble read
0.9375 in bf16 (an Intel Xeon with AVX512-BF16) against 0.9424 in fp32 (an AMD EPYC) from the same parameters.
bf16 is the opt-in profile ``params/bf16.yaml``: faster where the CPU computes it natively, many times slower
where it is emulated (`make bench` prints both). ``auto`` (bf16 only
where the CPU reports native bf16) stays accepted for speed-first runs, knowing it gives one answer per CPU.
"""

from __future__ import annotations

from startup_report.modeling.machine import native_bf16


def resolve(precision: str, flags: frozenset[str] | None = None) -> str:
    """``auto`` -> ``bf16`` on a CPU with native bf16, else ``fp32``; explicit values pass through."""
    if precision not in ("auto", "fp32", "bf16"):
        raise ValueError(f"training.precision must be auto, fp32 or bf16, not {precision!r}")
    if precision != "auto":
        return precision
    return "bf16" if native_bf16(flags) else "fp32"
