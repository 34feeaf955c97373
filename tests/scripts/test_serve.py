"""`make run` (scripts/serve.py): it builds and serves the site, its forms reach the local functions and the
e-mails land in the outbox; Ctrl+C or SIGTERM stops it with every process it started, at any moment."""

from __future__ import annotations

import email
import importlib.util
import signal
import socket
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


# --- the command line run by hand has the local server's settings ------------------------------------------

def test_admin_run_by_hand_has_the_settings_of_the_local_server(monkeypatch, tmp_path):
    """`python -m chalicelib.admin tick` run by hand beside `make run` signed its links with another secret and
    pointed them at another port: every link it mailed answered 403. Both now derive their settings from one
    function, fed by the server's own ports and folder."""
    import dataclasses
    from chalicelib.config import Settings
    for name in [n for n in __import__("os").environ if n.startswith("AAI_")]:
        monkeypatch.delenv(name)
    for shell in ({}, {"AAI_SITE_PORT": "8100", "AAI_FUNCTIONS_PORT": "8101", "AAI_VAR_DIR": str(tmp_path / "v")}):
        for name, value in shell.items():
            monkeypatch.setenv(name, value)
        serve = load_serve()                                   # `make run` started from this shell
        server = Settings.from_env(serve.functions_env())      # what chalice local and the tick run with
        by_hand = Settings.from_env(dict(shell))               # the same shell, `python -m chalicelib.admin`
        assert dataclasses.asdict(by_hand) == dataclasses.asdict(server)
        assert server.forms_endpoint == f"http://localhost:{serve.FUNCTIONS_PORT}"
        assert server.outbox_dir == str(serve.VAR / "outbox")
        assert f"http://localhost:{serve.SITE_PORT}" in server.site_origins
        # The command make run prints for another terminal gives the same settings.
        words = serve.by_hand("tick").split("&& ", 1)[1].split()
        typed = dict(word.split("=", 1) for word in words if "=" in word)
        assert dataclasses.asdict(Settings.from_env(typed)) == dataclasses.asdict(server)


def test_a_server_killed_outright_takes_every_process_it_started_with_it(start_serve):
    """SIGKILL runs no cleanup: `chalice local` used to keep serving and holding its port. The guard process
    ends every group the server started once the server is gone, however it ended."""
    serve = start_serve()
    serve.wait_for("Ctrl+C pour arrêter", f"Serving on http://127.0.0.1:{serve.functions_port}")
    running = serve.processes()
    assert sum("chalice local" in command for command in running.values()) == 2, running

    serve.process.kill()
    serve.process.wait()
    deadline = time.monotonic() + 60
    while any(alive(pid) for pid in running if pid != serve.process.pid):
        assert time.monotonic() < deadline, {pid: c for pid, c in running.items() if alive(pid)}
        time.sleep(0.1)   # waits for the guard to finish; nothing is timed
    assert serve.processes() == {}
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", serve.functions_port)) != 0   # the port is free again


# --- errors of the local site server: the site's 404 page, French pages for the others ------------------------

def test_the_local_site_server_answers_errors_in_french_with_the_site_s_404_page(tmp_path):
    """Python's server answered « Error response … Message: File not found. » in English; CloudFront answers
    the site's own 404 page, and so does `make run`."""
    import functools
    import http.server
    import threading
    import urllib.error
    serve = load_serve()
    site = tmp_path / "output"
    site.mkdir()
    missing_page = "<!doctype html><html lang=\"fr\"><title>Page introuvable</title><body>Plan du site</body></html>"
    (site / "404.html").write_text(missing_page, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(serve.QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def answer(path: str, method: str = "GET") -> tuple[int, str, str]:
        try:
            urllib.request.urlopen(urllib.request.Request(base + path, method=method, data=b"" if method == "POST"
                                                          else None), timeout=30)
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read().decode()
        raise AssertionError(f"{path} did not fail")

    try:
        status, kind, body = answer("/nulle-part/")
        assert (status, kind) == (404, "text/html; charset=utf-8")
        assert body.replace(RELOAD.decode(), "") == missing_page
        status, kind, body = answer("/", "POST")
        assert status == 501 and kind == "text/html; charset=utf-8"
        assert 'lang="fr"' in body and "Requête non prise en charge" in body and "Error" not in body
        with socket.create_connection(server.server_address, timeout=30) as raw:   # not even HTTP
            raw.sendall(b"N'IMPORTE QUOI\r\n\r\n")
            reply = raw.makefile("rb").read().decode()
        assert "Requête incorrecte" in reply and "Error" not in reply   # HTTP/0.9 as far as it knows: no head
        (site / "404.html").unlink()                 # before the first build: a French page all the same
        status, _, body = answer("/nulle-part/")
        assert status == 404 and "Page introuvable" in body and "Error" not in body
    finally:
        server.shutdown()
        server.server_close()


def test_before_its_first_build_the_server_answers_at_once_with_a_page_that_reloads_when_the_site_is_ready(tmp_path):
    """Issue 28: `make run` answers as soon as it starts. With no build yet, a missing page is « being built »
    (503, French, with the reload script: the first build's event reloads it), not « not found »; with the last
    build's output there, that output is served and a missing page is the site's 404."""
    import functools
    import http.server
    import threading
    import urllib.error
    serve = load_serve()
    site = tmp_path / "output"
    site.mkdir()
    handler = type("Handler", (serve.QuietHandler,), {"building": True})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def answer(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    try:
        status, body = answer("/")
        assert status == 503 and "Site en cours de construction" in body and 'lang="fr"' in body
        assert RELOAD.decode() in body
        (site / "404.html").write_text("<html><body>Introuvable</body></html>", encoding="utf-8")
        (site / "index.html").write_text("<html><body>Accueil de la dernière construction</body></html>",
                                         encoding="utf-8")
        assert answer("/") == (200, "<html><body>Accueil de la dernière construction" + RELOAD.decode()
                               + "</body></html>")
        assert answer("/nulle-part/") == (404, "<html><body>Introuvable" + RELOAD.decode() + "</body></html>")
        assert serve.previous_build(site) and not serve.previous_build(tmp_path)
    finally:
        server.shutdown()
        server.server_close()
