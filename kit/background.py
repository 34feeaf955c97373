"""The kit as ``make run`` drives it: in the background after every successful rebuild.

Rendering takes seconds per association, so it runs beside the server; thanks to the manifest
(``kit.manifest``) only the kits whose inputs changed are made again. A run still going when the
site is rebuilt is stopped first, with its whole process group (the pool's workers included), so two
runs never write the same files.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


class BackgroundKit:
    def __init__(self, root: Path, output: Path, log: Path, command: list[str] | None = None):
        self.root = root
        self.log = log
        self.command = command or [sys.executable, "-m", "kit", "--root", str(root), "--output", str(output)]
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> subprocess.Popen:
        """(Re)start a run; a previous one still going is stopped first."""
        self.stop()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(self.command, cwd=self.root, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        logger.info("kit started (pid %d)", self.process.pid)
        return self.process

    def stop(self, timeout: float = 10) -> None:
        if not self.running:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the group is the kit's alone
            self.process.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        logger.info("kit run %d stopped", self.process.pid)
