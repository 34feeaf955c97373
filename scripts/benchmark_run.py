"""`make run` against `hugo server`, side by side (not a test): prints figures and ratios.

On a copy of the project (the repository is never edited), alternating the tools from one round to the next
(medians of ``--runs``), it measures:

- a fresh start of `make run` (scripts/serve.py, with its form functions and print kit) until the site answers
  its home page, with no output yet and with the output of a previous run (a restart);
- the save of an association's phone in data/associations.yaml until its page is served with the new phone;
- the same two with `hugo server` on the realistic Hugo peer of scripts/benchmark_scale.py (the same pages
  with the same chrome), the phone edited in that page's content file.

« Answers » means an HTTP GET gets the page (200 and its <main>), polled every few milliseconds. The machine
is shared: only ratios measured in the same run mean something.

Usage::

    .venv/bin/python scripts/benchmark_run.py [--runs 3] [--work DIR] [--no-hugo]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COPIED = ["content", "data", "theme", "plugins", "model", "rules", "kit", "scripts", "functions", "pelicanconf.py",
          "publishconf.py"]
ASSOCIATION = "ai-grand-perigueux"
PHONE = re.compile(r"(?m)^(\s*phone: )(05 36 49 \d\d \d\d)")
POLL = 0.005  # seconds between two requests while waiting for an answer
BANNER = "Ctrl+C pour arrêter"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page at ``url``, or None if it does not answer with one yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            body = reply.read().decode("utf-8", errors="replace")
            return body if reply.status == 200 and "<main" in body else None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until(url: str, started: float, test=lambda body: True, timeout: float = 300) -> float:
    """Seconds from ``started`` until ``url`` answers a page that passes ``test``."""
    while time.perf_counter() - started < timeout:
        body = fetch(url)
        if body is not None and test(body):
            return time.perf_counter() - started
        time.sleep(POLL)
    raise SystemExit(f"{url} never answered as awaited within {timeout:.0f} s")


class Server:
    """A server process and the lines it prints (read by a thread)."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]):
        self.lines: list[str] = []
        self.process = subprocess.Popen(command, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"never printed {text!r}:\n{''.join(self.lines)[-3000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        """SIGINT, as Ctrl+C: scripts/serve.py stops what it started; hugo ends."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- ours ---------------------------------------------------------------------------------------------------

def copy_project(tree: Path) -> None:
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".build", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, symlinks=True, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, tree / name)


def start_ours(tree: Path, port: int) -> Server:
    env = {**os.environ, "AAI_SITE_PORT": str(port), "AAI_FUNCTIONS_PORT": str(free_port()),
           "AAI_OUTPUT_DIR": str(tree / "output"), "AAI_VAR_DIR": str(tree / "var"),
           "AAI_ROUTING": str(tree / "routing.json"), "PYTHONUNBUFFERED": "1"}
    for name in ("AAI_FORMS_ENDPOINT", "AAI_SITEURL", "AAI_OUTBOX_DIR", "AAI_SQLITE_PATH"):
        env.pop(name, None)
    return Server([PYTHON, str(tree / "scripts" / "serve.py")], tree, env)


EDITS = itertools.count(1)


def edit_phone(path: Path) -> str:
    """Give the first association a new phone (another at each call); the new one, as its page shows it."""
    text = path.read_text("utf-8")
    digit = next(EDITS) % 10
    phone = f"05 36 49 9{digit} 9{digit}"
    path.write_text(PHONE.sub(rf"\g<1>{phone}", text, count=1), "utf-8")
    return phone


def ours_round(tree: Path, results: dict[str, list[float]]) -> None:
    port = free_port()
    home, page = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/association/{ASSOCIATION}/"
    shutil.rmtree(tree / "output", ignore_errors=True)
    for label in ("ours: fresh start, no output → site answers", "ours: restart, output there → site answers"):
        started = time.perf_counter()
        server = start_ours(tree, port)
        try:
            results.setdefault(label, []).append(wait_until(home, started))
            server.wait_for(BANNER)  # the first build done, the watcher about to start
            time.sleep(1.0)  # the watcher running (a benchmark may wait; nothing is timed here)
            phone = edit_phone(tree / "data" / "associations.yaml")
            started = time.perf_counter()
            results.setdefault("ours: phone saved → page served with it", []).append(
                wait_until(page, started, lambda body, phone=phone: phone in body))
        finally:
            server.stop()


# --- hugo ---------------------------------------------------------------------------------------------------

def load_benchmark_scale():
    spec = importlib.util.spec_from_file_location("benchmark_scale", ROOT / "scripts" / "benchmark_scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_scale"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def hugo_peer(work: Path, output: Path) -> tuple[Path, Path]:
    """The realistic Hugo project of our pages; and the content file of the association's page."""
    scale = load_benchmark_scale()
    folder = scale.write_realistic_hugo(work, output, scale.page_mains(output))
    wanted = f'"url": "/association/{ASSOCIATION}/"'
    content = next(path for path in sorted((folder / "content").glob("*.html"))
                   if wanted in path.read_text("utf-8").split("\n", 1)[0])
    return folder, content


def hugo_round(folder: Path, content: Path, round_number: int, results: dict[str, list[float]]) -> None:
    port = free_port()
    home, page = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/association/{ASSOCIATION}/"
    started = time.perf_counter()
    server = Server(["hugo", "server", "--source", str(folder), "--bind", "127.0.0.1", "--port", str(port),
                     "--disableLiveReload"], folder, dict(os.environ))
    try:
        results.setdefault("hugo server: fresh start → site answers", []).append(wait_until(home, started))
        time.sleep(1.0)
        text = content.read_text("utf-8")
        old = re.search(r"05 36 49 \d\d \d\d", text).group(0)
        digit = round_number % 10
        phone = f"05 36 49 8{digit} 8{digit}"  # never one of ours (9x): the page changes
        content.write_text(text.replace(old, phone).replace("+33" + old[1:].replace(" ", ""),
                                                             "+33" + phone[1:].replace(" ", "")), "utf-8")
        started = time.perf_counter()
        results.setdefault("hugo server: phone saved → page served with it", []).append(
            wait_until(page, started, lambda body: phone in body))
    finally:
        server.stop()


# --- report -------------------------------------------------------------------------------------------------

def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="working folder (kept)")
    parser.add_argument("--no-hugo", action="store_true", help="ours only")
    args = parser.parse_args()
    hugo = not args.no_hugo
    if hugo and not shutil.which("hugo"):
        sys.exit("Hugo manque : installez les paquets Debian de la mesure : "
                 "bash scripts/install_debian_packages.sh benchmark (ou --no-hugo)")
    work = args.work or Path(tempfile.mkdtemp(prefix="aai-benchmark-run-"))
    tree = work / "tree"
    copy_project(tree)
    results: dict[str, list[float]] = {}
    peer = None
    for round_number in range(args.runs):
        ours_round(tree, results)
        if hugo:
            if peer is None:
                peer = hugo_peer(work, tree / "output")
            hugo_round(*peer, round_number, results)
        print(f"round {round_number + 1}/{args.runs} done", flush=True)
    print(f"\n`make run` and `hugo server` (medians of {args.runs}; {work})")
    for label, values in results.items():
        print(f"  {label:<52} {median(values):6.2f} s   ({', '.join(f'{v:.2f}' for v in values)})")
    if hugo:
        start = median(results["hugo server: fresh start → site answers"])
        edit = median(results["hugo server: phone saved → page served with it"])
        print("\nratios (ours / hugo server)")
        for label, peer_value in (("ours: fresh start, no output → site answers", start),
                                  ("ours: restart, output there → site answers", start),
                                  ("ours: phone saved → page served with it", edit)):
            print(f"  {label:<52} {median(results[label]) / peer_value:5.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
