"""One run per project folder: a second holder waits until the first releases the lock."""

import select
import subprocess
import sys

from startup_report.engine.lock import project_lock

HOLD = """
import sys, time
from pathlib import Path
from startup_report.engine.lock import project_lock
with project_lock(Path(sys.argv[1]), echo=lambda m: None):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    print("releasing", flush=True)
"""


def test_a_second_holder_waits_and_says_so(tmp_path):
    lock = tmp_path / "build" / ".lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock), "2"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    messages: list[str] = []
    with project_lock(lock, echo=messages.append):
        ready, _, _ = select.select([holder.stdout], [], [], 0)
        assert ready, "got the lock while the other process still held it"
        assert holder.stdout.readline().strip() == "releasing"
    assert messages and "waiting" in messages[0] and "pid" in messages[0]
    holder.wait()


def test_a_free_lock_is_taken_at_once(tmp_path):
    messages: list[str] = []
    with project_lock(tmp_path / ".lock", echo=messages.append):
        pass
    assert messages == []
