"""`make bench`: time a cold run of the whole chain, a no-change rerun, and the book build.

Prints figures instead of asserting them: speed targets live here, not in timed tests.
Usage: python -m startup_report.bench [--params FILE] [-p key=value ...]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def _timed(args: list[str]) -> float:
    exe = str(Path(sys.executable).with_name("startup-report"))
    start = time.perf_counter()
    subprocess.run([exe, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    cold = _timed(["run", "--force", *argv])
    warm = _timed(["run", *argv])
    book = _timed(["book"])
    print(f"cold chain (all stages forced):  {cold:7.1f} s")
    print(f"no-change rerun:                 {warm:7.1f} s")
    print(f"ratio cold / rerun:              {cold / warm:7.1f} x")
    print(f"book build:                      {book:7.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
