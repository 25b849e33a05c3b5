"""XLA's persistent compilation cache, per machine: Keras models on JAX compile each step once per machine.

Why: compiling dominates small Keras runs on CPU (the smoke profile's Transformer: 19 XLA compilations,
12 of its 16 s), and every run of an architecture compiles the same programs again: other seeds, budgets,
processes, reruns. JAX can store compiled programs on disk, keyed by the program, the XLA flags and the
JAX version; a hit loads the identical executable, so results do not change, only time.

The folder sits in the per-machine cache (``$STARTUP_REPORT_CACHE``, else ``~/.cache/startup-report``) under
a name derived from the CPU model and its instruction-set flags, because an executable compiled for one CPU
(AVX-512, say) must never be loaded on another, even where a home folder or a CI cache is shared. The
size limit turns on JAX's file lock, so concurrent processes (xdist workers, Dask workers) read and write
entries safely.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from startup_report.engine.layout import machine_cache
from startup_report.modeling import machine

#: Compiled programs kept at most (JAX evicts the least recently used beyond it).
MAX_BYTES = 2 * 1024**3


def cpu_key(name: str | None = None, flags: frozenset[str] | None = None) -> str:
    """A folder name for this kind of CPU: readable model name plus a hash of the model and its flags."""
    name = machine.cpu_name() if name is None else name
    flags = machine.cpu_flags() if flags is None else flags
    digest = hashlib.sha256((name + "|" + " ".join(sorted(flags))).encode()).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "cpu"
    return f"{slug}-{digest}"


def options(folder: Path | None = None) -> dict[str, str | float | int]:
    """JAX's options for the cache, by their config names."""
    folder = machine_cache() / "xla" / cpu_key() if folder is None else folder
    return {
        "jax_compilation_cache_dir": str(folder),
        "jax_persistent_cache_min_compile_time_secs": 0.0,  # every program: ours are small and many
        "jax_persistent_cache_min_entry_size_bytes": 0,
        "jax_compilation_cache_max_size": MAX_BYTES,
    }


def settings(folder: Path | None = None) -> dict[str, str]:
    """The same options as the environment variables JAX reads when it is imported."""
    return _environment(options(folder))


def _environment(values: dict[str, str | float | int]) -> dict[str, str]:
    return {name.upper(): str(value) for name, value in values.items()}


def configure() -> None:
    """Turn the cache on for this process and the processes it starts, unless the user set the folder.

    Called when the package is imported; JAX reads the variables at its own import, and is told directly
    when it was imported first.
    """
    if "JAX_COMPILATION_CACHE_DIR" in os.environ:
        return
    values = options()
    os.environ.update(_environment(values))
    jax = sys.modules.get("jax")
    if jax is not None:
        for name, value in values.items():
            jax.config.update(name, value)
