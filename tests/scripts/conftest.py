"""Fixtures for `make run`'s server: scripts/serve.py started as `make run` starts it, on free ports, with its
output and var folders in a temporary directory, and the processes it started found through their environment."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support_functions import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.py"
# Settings of the developer's own shell that would send this server's output elsewhere.
INHERITED = ("AAI_OUTBOX_DIR", "AAI_SQLITE_PATH", "AAI_SITE_ORIGIN", "AAI_MAILER", "AAI_STORE",
             "AAI_FORMS_ENDPOINT", "AAI_SITEURL")


def descendants(var: Path) -> dict[int, str]:
    """{pid: command line} of the live processes of one server: each inherits its AAI_VAR_DIR."""
    needle = f"\0AAI_VAR_DIR={var}\0".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in b"\0" + (entry / "environ").read_bytes():
                    found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:  # gone meanwhile, or not ours to read
                continue
    return found


@dataclass
class Serve:
    """One scripts/serve.py process and what it printed (read by a thread, line by line)."""
    process: subprocess.Popen
    site_port: int
    functions_port: int
    var: Path
    output: Path
    printed: list[str] = field(default_factory=list)
    lines: queue.Queue = field(default_factory=queue.Queue)
    reader: threading.Thread | None = None

    def wait_for(self, *texts: str, timeout: float = 180) -> None:
        """Block until the server has printed a line containing each of ``texts``."""
        awaited, deadline = set(texts), time.monotonic() + timeout
        while awaited:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"serve.py never printed {awaited}:\n{self.output_text()}") from None
            if line is None:
                raise AssertionError(f"serve.py ended before printing {awaited}:\n{self.output_text()}")
            awaited = {text for text in awaited if text not in line}

    def output_text(self) -> str:
        """All it printed; once it has ended, up to its last line."""
        if self.process.poll() is not None:
            self.reader.join(timeout=30)
        return "".join(self.printed)

    def processes(self) -> dict[int, str]:
        return descendants(self.var)

    @staticmethod
    def exists(pid: int) -> bool:
        """True while the process is in the process table, zombie included (a zombie has no environment)."""
        return Path(f"/proc/{pid}").exists()

    def stop(self, number: signal.Signals, timeout: float = 60) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=timeout)


@pytest.fixture
def start_serve(tmp_path):
    """Start scripts/serve.py; afterwards, kill whatever of it a failed test left running."""
    started: list[Serve] = []

    def start() -> Serve:
        serve = Serve(None, free_port(), free_port(), tmp_path / "var", tmp_path / "output")
        env = {name: value for name, value in os.environ.items() if name not in INHERITED}
        env.update(AAI_SITE_PORT=str(serve.site_port), AAI_FUNCTIONS_PORT=str(serve.functions_port),
                   AAI_OUTPUT_DIR=str(serve.output), AAI_VAR_DIR=str(serve.var),
                   AAI_ROUTING=str(tmp_path / "routing.json"), PYTHONUNBUFFERED="1")
        serve.process = subprocess.Popen([sys.executable, str(SERVE)], cwd=ROOT, env=env, text=True,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def read() -> None:
            for line in serve.process.stdout:
                serve.printed.append(line)
                serve.lines.put(line)
            serve.lines.put(None)

        serve.reader = threading.Thread(target=read, daemon=True)
        serve.reader.start()
        started.append(serve)
        return serve

    yield start
    for serve in started:
        for pid in serve.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if serve.process.poll() is None:
            serve.process.kill()
        serve.process.wait()
