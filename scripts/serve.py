"""Local development server: build, serve the site and the form functions, rebuild on change.

Pelican's own autoreload watches neither ``data/`` nor ``plugins/``, so this polls every
source folder and rebuilds in a subprocess (a failed rebuild keeps the last good site).
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

logger = logging.getLogger("serve")

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "output"
VAR = ROOT / "var"
sys.path.insert(0, str(ROOT / "functions"))
from chalicelib.audience.cloudfront import LocalAccessLog  # noqa: E402 - the functions are not a package

ACCESS_LOG = LocalAccessLog(VAR / "access-logs")   # CloudFront's format: the monthly audience reads it
WATCHED = ["content", "data", "theme", "plugins", "model", "pelicanconf.py"]
TICK_EVERY = 300  # seconds; in production the scheduled Lambda « tick » runs every 15 minutes
SITE_PORT = int(os.environ.get("AAI_SITE_PORT", "8000"))
FUNCTIONS_PORT = int(os.environ.get("AAI_FUNCTIONS_PORT", "8001"))


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
        [python, "-m", "model", "routing", "functions/chalicelib/routing.json"],
        [python, "-m", "pelican", "--settings", "pelicanconf.py", "--output", str(OUTPUT), "--quiet"],
    ]
    env = {**os.environ, "AAI_FORMS_ENDPOINT": os.environ.get(
        "AAI_FORMS_ENDPOINT", f"http://localhost:{FUNCTIONS_PORT}")}
    started = time.perf_counter()
    for step in steps:
        if subprocess.run(step, cwd=ROOT, env=env).returncode != 0:
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
    return env


def start_functions() -> subprocess.Popen | None:
    app = ROOT / "functions" / "app.py"
    if not app.exists():
        return None
    VAR.mkdir(exist_ok=True)
    chalice = Path(sys.executable).with_name("chalice")
    return subprocess.Popen(
        [str(chalice), "local", "--host", "127.0.0.1", "--port", str(FUNCTIONS_PORT), "--stage", "local"],
        cwd=ROOT / "functions", env=functions_env(),
    )


def background_kit():
    """The print kit, made in the background after each good build: only the changed kits (kit/)."""
    sys.path.insert(0, str(ROOT))
    from kit.background import BackgroundKit

    return BackgroundKit(ROOT, OUTPUT / "kit", VAR / "kit.log")


def tick() -> None:
    """Every time-driven job (retries, reminders, escalations, the household's question, closing, purge, monthly
    figures), as the scheduled function does in production."""
    subprocess.run([sys.executable, "-m", "chalicelib.admin", "tick"], cwd=ROOT / "functions",
                   env=functions_env(), capture_output=True)


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
            f"  • Espace de gestion : http://localhost:{FUNCTIONS_PORT}/espace/ (liens de connexion dans var/outbox/)",
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


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for port in (SITE_PORT, FUNCTIONS_PORT):
        if not port_free(port):
            print(f"Le port {port} est déjà utilisé : arrêtez l'autre serveur ou choisissez un autre port "
                  "(AAI_SITE_PORT, AAI_FUNCTIONS_PORT).", file=sys.stderr)
            return 1
    if not build() and not OUTPUT.exists():
        return 1
    server = serve_site()
    functions = start_functions()
    VAR.mkdir(exist_ok=True)
    kit = background_kit()
    kit.start()
    banner(functions is not None)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    seen = snapshot()
    last_tick = time.monotonic()
    try:
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
        print("\nArrêt.")
    finally:
        server.shutdown()
        kit.stop()
        if functions is not None:
            functions.terminate()
            functions.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
