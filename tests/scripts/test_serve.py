"""`make run` (scripts/serve.py): it builds and serves the site, its forms reach the local functions and the
e-mails land in the outbox; Ctrl+C or SIGTERM stops it with every process it started, at any moment."""

from __future__ import annotations

import email
import importlib.util
import signal
import sys
import time
import urllib.request
from email import policy
from pathlib import Path

from htmlforms import read_page
from support_functions import Client, rappel_fields

SERVE = Path(__file__).resolve().parents[2] / "scripts" / "serve.py"
AI_ID = "ai-grand-perigueux"  # rappel_fields() is a callback request for this association
RELOAD = b'<script src="/__aai/live-reload.js" defer></script>'


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as reply:
        return reply.status, reply.read()


def test_make_run_serves_the_site_and_a_form_then_stops_with_everything_it_started(start_serve):
    serve = start_serve()
    serve.wait_for("Ctrl+C pour arrêter", f"Serving on http://127.0.0.1:{serve.functions_port}")
    site = f"http://127.0.0.1:{serve.site_port}"

    status, home = get(f"{site}/")
    page = (serve.output / "index.html").read_bytes()
    # The open page reloads by itself: the script is in what this server sends, never in the file published.
    assert status == 200 and RELOAD in home and home.replace(RELOAD, b"") == page
    assert b"live-reload" not in page

    status, html = get(f"{site}/association/{AI_ID}/rappel/")
    page = read_page(html.decode())
    form = next(attrs for attrs in page.forms if "aai-form" in attrs.get("class", ""))
    assert form["action"] == f"http://localhost:{serve.functions_port}/rappel"
    hidden = {control.name: control.attrs.get("value", "") for control in page.controls if control.type == "hidden"}
    assert hidden["association"] == AI_ID
    reply = Client(serve.functions_port).post(
        "/rappel", rappel_fields(**hidden), headers={"Origin": f"http://localhost:{serve.site_port}"})
    assert reply.status == 303, reply.text
    # without JavaScript, the functions' thank-you page, the reference in it (the build's site_pages.json)
    assert reply.headers["location"].startswith(f"http://localhost:{serve.functions_port}/merci?ref=AI-")
    sent = [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in (serve.var / "outbox").glob("*.eml")]
    assert any("Paul Dubreuil" in str(message["Subject"]) for message in sent), [m["Subject"] for m in sent]

    running = serve.processes()
    commands = list(running.values())
    assert serve.process.pid in running
    # chalice local runs its server in a child process; the kit is still at work (it takes about a minute).
    assert sum("chalice local" in command for command in commands) == 2, commands
    assert any(" -m kit " in command for command in commands), commands

    assert serve.stop(signal.SIGINT) == 0
    assert "Arrêt." in serve.output_text()
    assert serve.processes() == {}
    assert [command for pid, command in running.items() if serve.exists(pid)] == []


def test_sigterm_during_the_first_build_stops_the_build_too(start_serve):
    serve = start_serve()
    deadline = time.monotonic() + 60
    while not any("pelican" in command for command in serve.processes().values()):
        assert time.monotonic() < deadline and serve.process.poll() is None, serve.output_text()
        time.sleep(0.05)  # waits for the build to start, nothing is timed
    running = serve.processes()

    assert serve.stop(signal.SIGTERM) == 0
    assert "Arrêt." in serve.output_text()
    assert serve.processes() == {}
    assert [command for pid, command in running.items() if serve.exists(pid)] == []


# --- the kit beside the server: a restart stops the previous run with its workers ---------------------------

PARENT_AND_CHILD = [sys.executable, "-c", (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
    "print(child.pid, flush=True)\n"
    "time.sleep(120)\n")]


def load_serve():
    spec = importlib.util.spec_from_file_location("aai_serve_module", SERVE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alive(pid: int) -> bool:
    """In the process table and not a zombie waiting for its parent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def worker_pid(log: Path) -> int:
    for _ in range(1000):
        text = log.read_text() if log.exists() else ""
        if text.strip():
            return int(text.split()[0])
        time.sleep(0.01)  # polling a process we started, not waiting on a clock
    raise AssertionError("the stand-in kit run never started")


def test_a_rebuild_restarts_the_kit_and_stops_the_previous_run_with_its_workers(tmp_path):
    serve = load_serve()
    kit = serve.BackgroundKit(tmp_path / "kit", tmp_path / "kit.log", command=PARENT_AND_CHILD)
    assert serve.BackgroundKit(tmp_path / "out", tmp_path / "x.log").command[1:] == \
        ["-m", "kit", "--root", str(serve.ROOT), "--output", str(tmp_path / "out")]
    first = kit.start()
    worker = worker_pid(tmp_path / "kit.log")
    assert alive(first.pid) and alive(worker)
    second = kit.start()
    assert first.poll() is not None and not alive(worker)     # the whole group, waited for: no zombie
    assert kit.running and second.pid != first.pid
    kit.stop()
    assert not kit.running
