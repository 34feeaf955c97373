"""``make run`` restarts the kit after a rebuild: the previous run stops with all its processes."""

from __future__ import annotations

import os
import sys
import time

from kit.background import BackgroundKit

# A stand-in run with a child process, as the kit's process pool has workers.
PARENT_AND_CHILD = [sys.executable, "-c", (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
    "print(child.pid, flush=True)\n"
    "time.sleep(120)\n")]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent is gone too
        return stat.read().split(") ", 1)[1][0] != "Z"


def child_pid(log) -> int:
    for _ in range(500):
        text = log.read_text() if log.exists() else ""
        if text.strip():
            return int(text.split()[0])
        time.sleep(0.01)  # polling a process we started, not waiting on a clock
    raise AssertionError("the stand-in run never started")


def test_restart_stops_the_previous_run_and_its_workers(tmp_path):
    kit = BackgroundKit(tmp_path, tmp_path / "kit", tmp_path / "kit.log", command=PARENT_AND_CHILD)
    first = kit.start()
    worker = child_pid(tmp_path / "kit.log")
    assert alive(first.pid) and alive(worker)

    second = kit.start()
    assert first.poll() is not None
    deadline = time.monotonic() + 5
    while alive(worker) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not alive(worker)
    assert kit.running and second.pid != first.pid

    kit.stop()
    assert not kit.running


def test_real_command_runs_the_kit_module(tmp_path):
    kit = BackgroundKit(tmp_path, tmp_path / "out", tmp_path / "kit.log")
    assert kit.command[1:] == ["-m", "kit", "--root", str(tmp_path), "--output", str(tmp_path / "out")]
