"""Shared test setup: Keras on jax, no model hub, the project root, and one smoke build of the report."""

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# Two xdist workers on two cores: each worker's chains get one thread, so two chains at once do not run four
# spinning OpenMP/XLA threads on two cores (a small BLAS problem then runs many times slower).
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    from startup_report.engine.tasks import WORKER_ENV
    from startup_report.modeling.grid import WORKER_ENV as GRID_ENV

    for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY", "XLA_FLAGS"):
        os.environ.setdefault(_name, {**WORKER_ENV, **GRID_ENV}[_name])

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("startup-report"))
SMOKE = ["--params", "params/smoke.yaml"]
DASK = str(Path(sys.executable).with_name("dask"))


# Under `make test` (two xdist workers, a file per worker at a time, `--no-loadscope-reorder` so that xdist keeps
# this order) the order of files decides how the two workers' loads balance. xdist hands a worker its next file
# as soon as it has two tests or fewer left. So: the file that builds the smoke project on one worker, the
# longest file that does not need the project on the other, then two unit files that fill the time until the
# project is built, then the files that need the project (sweep, browser), and the other unit tests last,
# shared by whichever worker is free.
FIRST = (
    "test_e2e.py",
    "test_other_dataset.py",
    "test_dask.py",
    "test_finetune.py",
    "test_sweep.py",
    "test_site_browser.py",
    "test_whatif_site.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return FIRST.index(name) if name in FIRST else len(FIRST)

    items.sort(key=rank)  # stable: the order within each file is kept


@pytest.fixture
def root() -> Path:
    return ROOT


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STARTUP_REPORT_ROOT": str(project)}
    return subprocess.run([CLI, *args], cwd=project, capture_output=True, text=True, env=env, timeout=1200)


def tree_hash(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tree_state(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file's size, modification time (ns) and inode: any write, replacement, addition or removal changes
    it, without reading the files (the smoke project's build is hundreds of MB, checked many times). The
    project lock (``build/.lock``), which every `run` takes and leaves empty, is left out."""
    return {
        str(p.relative_to(folder)): (st.st_size, st.st_mtime_ns, st.st_ino)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p != folder / ".lock" and (st := p.stat())
    }


def stages_saying(result: subprocess.CompletedProcess, words: str) -> list[str]:
    """The stages whose line in `run`'s output holds ``words``, in chain order (stages that run side by side
    finish in either order)."""
    from startup_report.chain import ALL

    names = {line.split()[0] for line in result.stdout.splitlines() if words in line}
    return [stage.name for stage in ALL if stage.name in names]


def ran(result: subprocess.CompletedProcess) -> list[str]:
    return stages_saying(result, "  ran (")


def _build_smoke_project(target: Path) -> Path:
    """Copy the report's sources into ``target``, run the chain with the smoke profile and build the site."""
    from startup_report.chain import ALL
    from startup_report.devtools.copies import copy_sources

    copy_sources(ROOT, target)
    first = cli(target, "run", *SMOKE)
    assert first.returncode == 0, first.stdout + first.stderr
    assert ran(first) == [s.name for s in ALL]
    book = cli(target, "book")
    assert book.returncode == 0, book.stdout + book.stderr
    return target


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Path:
    """The project run with the smoke profile and built into a site, once per test session.

    Under pytest-xdist (`make test` runs two workers, a test file per worker at a time) the first worker to
    need it builds it in the session's shared folder while the other waits on a lock; each worker then
    works on its own copy, since tests change it (reruns, an injected failure).
    """
    import fcntl

    if "PYTEST_XDIST_WORKER" not in os.environ:
        return _build_smoke_project(tmp_path_factory.mktemp("project"))
    shared = tmp_path_factory.getbasetemp().parent / "smoke-project"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "_build" / "html" / "index.html").is_file():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            _build_smoke_project(shared)
    target = tmp_path_factory.mktemp("project")
    shutil.copytree(shared, target, symlinks=True, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    """A real `dask scheduler` and two single-threaded `dask worker`s on 127.0.0.1, stopped after the session.

    One cluster per xdist worker process, shared by the grid test and the sweep test (the test order puts both
    on one worker): starting a scheduler and two workers, and their first imports, cost some 30 s of CPU.
    """
    folder = tmp_path_factory.mktemp("dask")
    address_file = folder / "scheduler.json"
    from startup_report.engine.tasks import WORKER_ENV
    from startup_report.modeling.grid import WORKER_ENV as GRID_ENV

    env = {**os.environ, **WORKER_ENV, **GRID_ENV}
    common = ["--no-dashboard"]
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(address_file), *common],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a process group of its own, stopped as one (the nanny and its worker)
    )
    workers = [
        subprocess.Popen(
            [DASK, "worker", "--scheduler-file", str(address_file), "--nthreads", "1", "--nworkers", "1", *common],
            env=env,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        from dask.distributed import Client

        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        with Client(scheduler_file=str(address_file), timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
            yield client.scheduler.address
    finally:
        _stop_groups([*workers, scheduler])


def _stop_groups(processes: list[subprocess.Popen], grace: float = 3.0) -> None:
    """SIGTERM each process's group, then SIGKILL what is left after ``grace`` seconds: a nanny whose worker ran
    training can take many seconds to close gracefully, time the test session would only wait."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
