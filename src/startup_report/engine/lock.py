"""One run per project folder: a second `run` or `book` waits for the first instead of interleaving writes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def project_lock(path: Path, echo: Callable[[str], None] = print) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (build/.lock) for the block; wait, saying so, if it is taken.

    The kernel drops the lock when the holder exits, even if it crashed, so a stale lock never blocks.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            echo(f"waiting: {holder} is using this project's build folder ({path.name} held) ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread like Ctrl-C, so that a run ends the same way: kernels stopped, the stage
    that was running left at its previous outputs, the manifest saying "interrupted"."""


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While inside, SIGTERM raises Terminated in the main thread (no-op elsewhere, e.g. in a Dask worker)."""
    def terminate(signum: int, frame: Any) -> None:
        raise Terminated("SIGTERM")

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
