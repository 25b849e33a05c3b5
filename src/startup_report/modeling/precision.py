"""Which float precision the fine-tuning runs in: bf16 only where the CPU computes it natively.

Measured on two 2-core machines (README): with AVX512-BF16 a bf16 step took 0.18 s against 0.29 s in fp32;
on an AMD EPYC without AVX-512, bf16 autocast took 9.7 s against 0.57 s (17x slower, emulated). So
``auto`` picks bf16 only when the CPU reports native bf16 (AVX512-BF16 or AMX-BF16).
"""

from __future__ import annotations

from startup_report.engine.machine import native_bf16


def resolve(precision: str, flags: frozenset[str] | None = None) -> str:
    """``auto`` -> ``bf16`` on a CPU with native bf16, else ``fp32``; explicit values pass through."""
    if precision not in ("auto", "fp32", "bf16"):
        raise ValueError(f"training.precision must be auto, fp32 or bf16, not {precision!r}")
    if precision != "auto":
        return precision
    return "bf16" if native_bf16(flags) else "fp32"
