"""Local development server: build, serve the site and the form functions, rebuild on change.

Pelican's own autoreload watches neither ``data/`` nor ``plugins/``, so this polls every
source folder and rebuilds in a subprocess (a failed rebuild keeps the last good site).

The form functions (``chalice local``, which runs its server in a child of its own) and the print kit (a pool
of workers) run in the background, each in a process group of its own: on Ctrl+C, SIGTERM or SIGHUP the
whole group is stopped and waited for, so nothing outlives the server.

The site server writes its access log in CloudFront's format under ``var/access-logs/``: the monthly follow-up
reads local traffic as it reads production's. After every good rebuild the print kit is made again for the
associations whose inputs changed (the kit's manifest says which).

Settings (environment variables, listed in docs/reglages.md):
  AAI_SITE_PORT, AAI_FUNCTIONS_PORT   ports of the site (8000) and of the form functions (8001)
  AAI_OUTPUT_DIR                      where the site is built (output/)
  AAI_VAR_DIR                         the local outbox, submissions database, access log and kit log (var/)
  AAI_ROUTING                         the routing table written for the functions
                                      (functions/chalicelib/routing.json)
  AAI_VERBOSE                         set: log every request the site server answers
Relative paths are relative to the repository.
"""

from __future__ import annotations

import functools
import http.server
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "functions"))
from chalicelib.audience.cloudfront import LocalAccessLog  # noqa: E402 - the functions are not a package

logger = logging.getLogger("serve")

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / os.environ.get("AAI_OUTPUT_DIR", "output")
VAR = ROOT / os.environ.get("AAI_VAR_DIR", "var")
ROUTING = ROOT / os.environ.get("AAI_ROUTING", "functions/chalicelib/routing.json")
WATCHED = ["content", "data", "theme", "plugins", "model", "rules", "pelicanconf.py"]
TICK_EVERY = 300  # seconds; in production the scheduled Lambda « tick » runs every 15 minutes
SITE_PORT = int(os.environ.get("AAI_SITE_PORT", "8000"))
FUNCTIONS_PORT = int(os.environ.get("AAI_FUNCTIONS_PORT", "8001"))
ACCESS_LOG = LocalAccessLog(VAR / "access-logs")   # CloudFront's format: the monthly audience reads it


def snapshot() -> dict[str, float]:
    """Modification times of every watched file."""
    times = {}
    for name in WATCHED:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*") if path.exists() else []
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                times[str(file)] = file.stat().st_mtime
    return times


def build() -> bool:
    python = sys.executable
    steps = [
        [python, "-m", "model", "check", "--quiet"],
        [python, "-m", "model", "routing", str(ROUTING)],
        [python, "-m", "pelican", "--settings", "pelicanconf.py", "--output", str(OUTPUT), "--quiet"],
    ]
    env = {**os.environ, "AAI_FORMS_ENDPOINT": os.environ.get(
        "AAI_FORMS_ENDPOINT", f"http://localhost:{FUNCTIONS_PORT}")}
    started = time.perf_counter()
    for step in steps:
        if run_in_group(step, cwd=ROOT, env=env) != 0:
            print("\n✗ La construction a échoué : corrigez l'erreur ci-dessus, le site se reconstruira "
                  "tout seul à l'enregistrement.\n", flush=True)
            return False
    print(f"✓ Site construit en {time.perf_counter() - started:.1f} s", flush=True)
    return True


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    clock = staticmethod(time.time)

    def log_request(self, code="-", size="-"):
        ACCESS_LOG.log_request(self, code, size, self.clock())
        super().log_request(code, size)

    def log_message(self, format, *args):  # noqa: A002 - signature from the standard library
        if os.environ.get("AAI_VERBOSE"):
            super().log_message(format, *args)


def serve_site() -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(OUTPUT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def functions_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("AAI_MAILER", "outbox")
    env.setdefault("AAI_OUTBOX_DIR", str(VAR / "outbox"))
    env.setdefault("AAI_STORE", "sqlite")
    env.setdefault("AAI_SQLITE_PATH", str(VAR / "submissions.sqlite3"))
    env.setdefault("AAI_SITE_ORIGINS", f"http://localhost:{SITE_PORT},http://127.0.0.1:{SITE_PORT}")
    env.setdefault("AAI_SECRET", "local-development-secret")
    env.setdefault("AAI_FORMS_ENDPOINT", f"http://localhost:{FUNCTIONS_PORT}")
    env.setdefault("AAI_ACCESS_LOG_DIR", str(VAR / "access-logs"))
    env["AAI_ROUTING"] = str(ROUTING)
    return env


# --- children: each in a process group of its own -------------------------------------------------------

def start_background(command: list[str], **options) -> subprocess.Popen:
    """Start a child in a process group of its own, which `stop` ends as a whole.

    Its own group also keeps Ctrl+C away from it: this server stops it, in order, and waits for it.
    """
    return subprocess.Popen(command, process_group=0, **options)


def run_in_group(command: list[str], **options) -> int:
    """Run a command to its end (a build step); stopped with everything it started if we are interrupted."""
    process = start_background(command, **options)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop(process)
        raise


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM to the child's whole group, SIGKILL after ``grace`` seconds; returns once the group is empty.

    Terminating the child alone would orphan what it started: the kit's workers, chalice's server process.
    """
    signal_group(process.pid, signal.SIGTERM)
    if not wait_group(process, grace):
        logger.warning("Process group %d still running %.0f s after SIGTERM: killed", process.pid, grace)
        signal_group(process.pid, signal.SIGKILL)
        if not wait_group(process, grace):
            logger.error("Process group %d still running after SIGKILL", process.pid)


def wait_group(process: subprocess.Popen, timeout: float) -> bool:
    """Wait until the child has exited and no process of its group is left, not even a zombie."""
    deadline = time.monotonic() + timeout
    while process.poll() is None or signal_group(process.pid, 0):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def signal_group(group: int, number: int) -> bool:
    """Send a signal to a process group; False when no process is left in it."""
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        return False
    return True


def start_functions() -> subprocess.Popen | None:
    app = ROOT / "functions" / "app.py"
    if not app.exists():
        return None
    chalice = Path(sys.executable).with_name("chalice")
    return start_background(
        [str(chalice), "local", "--host", "127.0.0.1", "--port", str(FUNCTIONS_PORT), "--stage", "local"],
        cwd=ROOT / "functions", env=functions_env(),
    )


class BackgroundKit:
    """The print kit beside the server, made again after every good rebuild: only the kits whose inputs changed
    (kit/manifest.py), so a run takes seconds after an edit and about a minute the first time. A run still going
    when the site is rebuilt is stopped first, with its whole group (the pool's workers), so two runs never write
    the same files."""

    def __init__(self, output: Path, log: Path, command: list[str] | None = None):
        self.log = log
        self.command = command or [sys.executable, "-m", "kit", "--root", str(ROOT), "--output", str(output)]
        self.process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> subprocess.Popen:
        self.stop()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("w") as log:
            self.process = start_background(self.command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def tick() -> None:
    """Every time-driven job (retries, reminders, escalations, the household's question, closing, purge, monthly
    figures), as the scheduled function does in production."""
    run_in_group([sys.executable, "-m", "chalicelib.admin", "tick"], cwd=ROOT / "functions",
                 env=functions_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def banner(functions: bool) -> None:
    lines = [
        "",
        "  Site des associations intermédiaires d'Aquitaine — serveur local",
        f"  • Site :          http://localhost:{SITE_PORT}/",
    ]
    if functions:
        lines += [
            f"  • Formulaires :   http://localhost:{FUNCTIONS_PORT}/ (Chalice local)",
            f"  • E-mails :       {VAR / 'outbox'}/ (fichiers .eml, rien n'est envoyé)",
            f"  • Demandes :      {VAR / 'submissions.sqlite3'} (SQLite ; relances, transmissions et renvois "
            f"toutes les {TICK_EVERY // 60} minutes)",
        ]
    lines += [
        f"  • Kit d'impression : en cours de génération dans {OUTPUT / 'kit'}/ (journal : {VAR / 'kit.log'}) ;"
        " seuls les kits dont les données ont changé sont refaits après chaque reconstruction.",
        "  • Reconstruction automatique quand content/, data/, theme/ ou plugins/ changent.",
        "  • Ctrl+C pour arrêter.",
        "",
    ]
    print("\n".join(lines), flush=True)


def stop_on_signal(*_) -> None:
    """SIGTERM (a service manager, a test) and SIGHUP (the terminal closed) stop the server as Ctrl+C does."""
    raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, stop_on_signal)
    # Ctrl+C even when started with SIGINT ignored (`cmd &` in a script): Python then leaves it ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for port in (SITE_PORT, FUNCTIONS_PORT):
        if not port_free(port):
            print(f"Le port {port} est déjà utilisé : arrêtez l'autre serveur ou choisissez un autre port "
                  "(AAI_SITE_PORT, AAI_FUNCTIONS_PORT).", file=sys.stderr)
            return 1
    server, functions, kit = None, None, None
    try:
        if not build() and not OUTPUT.exists():
            return 1
        VAR.mkdir(parents=True, exist_ok=True)
        server = serve_site()
        functions = start_functions()
        kit = BackgroundKit(OUTPUT / "kit", VAR / "kit.log")
        kit.start()
        banner(functions is not None)
        seen = snapshot()
        last_tick = time.monotonic()
        while True:
            time.sleep(1)
            if functions is not None and time.monotonic() - last_tick > TICK_EVERY:
                last_tick = time.monotonic()
                tick()
            current = snapshot()
            if current != seen:
                seen = current
                print("Changement détecté, reconstruction…", flush=True)
                if build():
                    kit.start()
    except KeyboardInterrupt:
        print("\nArrêt.", flush=True)
    finally:
        # A second Ctrl+C must not cut the cleanup short: stop() escalates to SIGKILL by itself.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
        if server is not None:
            server.shutdown()
        if kit is not None:
            kit.stop()
        if functions is not None:
            stop(functions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
