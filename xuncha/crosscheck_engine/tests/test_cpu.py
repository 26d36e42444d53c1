"""cpu_seconds(): the CPU time of a run counts its worker processes, not only the calling process."""

from __future__ import annotations

import subprocess
import sys
import time

from xuncha.crosscheck_engine.runner import cpu_seconds

#: a child process that spends 0.3 CPU seconds
BURN = "import time\nwhile time.process_time() < 0.3:\n    pass\n"


def test_cpu_seconds_counts_child_processes_that_ended():
    own, before = time.process_time(), cpu_seconds()
    subprocess.run([sys.executable, "-c", BURN], check=True)
    assert cpu_seconds() - before >= 0.3
    assert time.process_time() - own < 0.3  # what the calling process alone would have counted
