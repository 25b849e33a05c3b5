"""XLA's compilation cache: per machine and CPU kind, on in every process that imports the package."""

import os
import subprocess
import sys

from startup_report.modeling import compilecache

PROGRAM = """
import startup_report, jax, jax.numpy as jnp
print(float(jax.jit(lambda x: jnp.tanh(x) @ x.T)(jnp.ones((8, 8))).sum()))
"""


def _run(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
    return subprocess.run([sys.executable, "-c", PROGRAM], env={**clean, **env}, capture_output=True, text=True)


def test_another_cpu_gets_another_folder():
    flags = frozenset({"sse4_2", "avx2"})
    key = compilecache.cpu_key("AMD EPYC 7B13", flags)
    assert key.startswith("amd-epyc-7b13-")
    assert compilecache.cpu_key("AMD EPYC 7B13", flags | {"avx512f"}) != key  # same name, other instructions
    assert compilecache.cpu_key("Intel(R) Xeon(R) Platinum 8481C", flags) != key


def test_importing_the_package_stores_compiled_programs_in_the_machine_cache_and_reuses_them(tmp_path):
    first = _run({"STARTUP_REPORT_CACHE": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    folder = tmp_path / "xla" / compilecache.cpu_key()
    stored = sorted(p.name for p in folder.glob("*-cache"))
    assert stored, "no compiled program was stored"
    second = _run({"STARTUP_REPORT_CACHE": str(tmp_path)})
    assert second.stdout == first.stdout  # the same result from the stored executable
    assert sorted(p.name for p in folder.glob("*-cache")) == stored  # nothing compiled anew


def test_a_folder_the_user_chose_is_kept(tmp_path):
    chosen = tmp_path / "mine"
    done = _run({"STARTUP_REPORT_CACHE": str(tmp_path / "machine"), "JAX_COMPILATION_CACHE_DIR": str(chosen)})
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "machine" / "xla").exists()
    assert compilecache.settings(chosen)["JAX_COMPILATION_CACHE_DIR"] == str(chosen)
