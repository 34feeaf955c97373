"""Local development server: build, serve the site and the form functions, rebuild on change.

The sources (``content/``, ``data/``, ``theme/``, the Python code) are watched with inotify (``watchfiles``).
An edit is built by a warm process (plugins/pipeline/warm.py: Pelican, the plugins, the templates and the
data stay loaded, and only what changed is rendered and written), so it shows in well under a second; an
edit of the Python code starts a new warm process. A failed rebuild keeps the last good site.
The pages this server sends carry a small script (scripts/live_reload.js) that reloads the open page when a
build changed it or a style sheet or script: added to the response only, never to the files of ``output/``,
which are the ones published.

The site answers at once: a restart serves the last build's output while the warm process brings it up to
date (files are replaced whole, and the open pages reload when the build changed them); a first start answers
a page saying the site is being built, which reloads by itself. The form functions start beside the first
build, and the print kit only after it, at a lower priority: neither delays the site nor an edit.

The form functions (``chalice local``, which runs its server in a child of its own) and the print kit (a pool
of workers) run in the background, each in a process group of its own: on Ctrl+C, SIGTERM or SIGHUP the
whole group is stopped and waited for, so nothing outlives the server; killed outright (SIGKILL), the server
runs no code, and a guard process it started stops the groups for it (``Guard``).

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
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles

from chalicelib import config
from chalicelib.audience.cloudfront import LocalAccessLog

logger = logging.getLogger("serve")

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / os.environ.get("AAI_OUTPUT_DIR", "output")
VAR = ROOT / os.environ.get("AAI_VAR_DIR", config.VAR_DIR)
ROUTING = ROOT / os.environ.get("AAI_ROUTING", "functions/chalicelib/routing.json")
WATCHED = ["content", "data", "theme", "plugins", "model", "rules", "kit", "pelicanconf.py"]
CODE = ("plugins", "model", "rules", "kit")  # a Python file changed here: a new warm process
KIT_INPUTS = ("data", "theme", "kit")  # a change here may change a kit: the kit's own run says which
KIT_PAGES = ("content/pages/charte-qualite.md",)  # the charter posters print it (model.quality_charter.PAGE)
KIT_NICENESS = 10  # the print kit's priority, below the site's (nice)
TICK_EVERY = 300  # seconds; in production the scheduled Lambda « tick » runs every 15 minutes
SITE_PORT = int(os.environ.get("AAI_SITE_PORT", config.SITE_PORT))
FUNCTIONS_PORT = int(os.environ.get("AAI_FUNCTIONS_PORT", config.FUNCTIONS_PORT))
ACCESS_LOG = LocalAccessLog(VAR / "access-logs")   # CloudFront's format: the monthly audience reads it


# --- what changed -------------------------------------------------------------------------------------------

def watched_paths(root: Path = ROOT) -> list[Path]:
    return [root / name for name in WATCHED if (root / name).exists()]


def classify(changes, root: Path = ROOT) -> set[str]:
    """What a set of watchfiles changes asks for: ``restart`` (Python code: a new warm process), ``build``,
    ``kit`` (the kit may have changed: its run says which)."""
    actions = set()
    for _, path in changes:
        try:
            relative = Path(path).resolve().relative_to(root.resolve())
        except ValueError:
            relative = Path(path)
        top = relative.parts[0] if relative.parts else ""
        if relative.suffix == ".py" and (top in CODE or relative.as_posix() == "pelicanconf.py"):
            actions |= {"restart", "build", "kit"}
        else:
            actions.add("build")
            if top in KIT_INPUTS or relative.as_posix() in KIT_PAGES:
                actions.add("kit")
    return actions


# --- the warm build --------------------------------------------------------------------------------------

def forms_endpoint() -> str:
    """Where the local functions answer: the forms post there, and their pages load the site's fonts from here."""
    return os.environ.get("AAI_FORMS_ENDPOINT", f"http://localhost:{FUNCTIONS_PORT}")


def build_settings() -> list[str]:
    """``-e`` settings of the local build: the forms post to the local functions; the routing table is written."""
    return ["-e", f"FORMS_ENDPOINT={json.dumps(forms_endpoint())}", "-e", f"ROUTING_TABLE={json.dumps(str(ROUTING))}"]


class WarmBuild:
    """The warm build process (``python -m pipeline.warm``), in a process group of its own like every child."""

    def __init__(self, output: Path = OUTPUT, extra: list[str] | None = None, cwd: Path = ROOT):
        self.command = [sys.executable, "-m", "pipeline.warm", "--settings", "pelicanconf.py",
                        "--output", str(output), *(build_settings() if extra is None else extra)]
        self.cwd = cwd
        self.process: subprocess.Popen | None = None
        self.count = 0

    def start(self) -> None:
        self.stop()
        path = os.pathsep.join(filter(None, [str(self.cwd / "plugins"), os.environ.get("PYTHONPATH")]))
        self.process = start_background(self.command, cwd=self.cwd, env={**os.environ, "PYTHONPATH": path},
                                        text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def build(self) -> dict:
        """Build now; the answer of plugins/pipeline/warm.py (``ok``, ``seconds``, ``changed``, ``error``)."""
        for _ in range(2):
            if self.process is None or self.process.poll() is not None:
                self.start()
            self.count += 1
            try:
                self.process.stdin.write(json.dumps({"build": self.count}) + "\n")
                self.process.stdin.flush()
                line = self.process.stdout.readline()
            except OSError:  # a broken pipe: it died
                line = ""
            if line:
                return json.loads(line)
            self.process.wait()  # it died (killed, out of memory): once more with a new one
        return {"ok": False, "seconds": 0, "changed": [], "error": "le processus de construction s'est arrêté."}

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def rebuilds(builder: WarmBuild, paths: list[Path], root: Path = ROOT, stop_event=None):
    """(actions, answer) for each batch of changes to ``paths`` (inotify), built at once by the warm process;
    (set(), None) at least every second without changes, for the time-driven jobs."""
    for changes in watchfiles.watch(*paths, rust_timeout=1000, yield_on_timeout=True, debounce=400, step=30,
                                    stop_event=stop_event):
        if not changes:
            yield set(), None
            continue
        actions = classify(changes, root)
        if "restart" in actions:
            print("Code modifié : nouveau processus de construction…", flush=True)
            builder.start()
        yield actions, builder.build()


def report(answer: dict) -> bool:
    if answer["ok"]:
        print(f"✓ Site construit en {answer['seconds']:.2f} s ({len(answer['changed'])} fichier(s) modifié(s))",
              flush=True)
        return True
    print(f"\n✗ La construction a échoué :\n{answer['error']}\nCorrigez l'erreur : le site se reconstruira tout "
          "seul à l'enregistrement.\n", flush=True)
    return False


# --- the open pages reload by themselves -------------------------------------------------------------------

RELOAD_SCRIPT = "/__aai/live-reload.js"
RELOAD_EVENTS = "/__aai/builds"
RELOAD_TAG = f'<script src="{RELOAD_SCRIPT}" defer></script>'.encode()
RELOAD_SOURCE = Path(__file__).resolve().parent / "live_reload.js"
KEEP_ALIVE = 15  # seconds between two comments on a quiet event stream


def url_of(rel: str) -> str:
    """``actualites/x/index.html`` → ``/actualites/x/``: what the browser shows in its address bar."""
    return "/" + (rel[:-len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)


def with_reload(page: bytes) -> bytes:
    """The page as sent by this server: with the reload script just before ``</body>``."""
    at = page.rfind(b"</body>")
    return page[:at] + RELOAD_TAG + page[at:] if at >= 0 else page + RELOAD_TAG


class LiveReload:
    """The builds, as events for the open pages: each good build's changed files, by URL."""

    def __init__(self):
        self._condition = threading.Condition()
        self._count = 0
        self._changed: list[str] = []
        self.listeners = 0  # open pages waiting for builds
        self.closed = False

    def publish(self, changed: list[str]) -> None:
        with self._condition:
            self._count += 1
            self._changed = [url_of(rel) for rel in changed]
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()

    @property
    def count(self) -> int:
        return self._count

    def listening(self, change: int) -> None:
        with self._condition:
            self.listeners += change
            self._condition.notify_all()

    def wait_for_listeners(self, count: int, timeout: float) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: self.listeners >= count, timeout)

    def wait(self, seen: int, timeout: float) -> tuple[int, list[str]] | None:
        """The next build after the ``seen``-th, or None after ``timeout`` seconds (or once closed)."""
        with self._condition:
            self._condition.wait_for(lambda: self._count > seen or self.closed, timeout)
            return (self._count, self._changed) if self._count > seen and not self.closed else None


LIVE_RELOAD = LiveReload()

ERRORS = {
    400: ("Requête incorrecte", "Le serveur local n’a pas compris la requête envoyée par le navigateur."),
    403: ("Accès refusé", "Le serveur local n’a pas le droit de lire ce fichier."),
    404: ("Page introuvable", "Cette page n’existe pas (le site n’est peut-être pas encore construit)."),
    405: ("Méthode non permise", "Le serveur local ne sert que des pages\u00a0: les formulaires s’envoient aux "
                                 "fonctions."),
    414: ("Adresse trop longue", "L’adresse demandée est trop longue pour le serveur local."),
    503: ("Site en cours de construction", "Le site se construit pour la première fois\u00a0: cette page se "
                                          "rechargera toute seule dès qu’il sera prêt."),
    501: ("Requête non prise en charge", "Le serveur local ne sert que des pages (GET et HEAD)\u00a0: les formulaires "
                                        "s’envoient aux fonctions."),
}


def error_page(code: int) -> bytes:
    """A short French page for an error of the local server."""
    import html
    title, text = ERRORS.get(code, ("Erreur du serveur local", "La page n’a pas pu être servie\u00a0: voyez le "
                                                               "terminal où tourne make run."))
    return (f'<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)} ({code}) — serveur local</title>\n</head>\n<body>\n<main>\n"
            f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>\n"
            f'<p><a href="/">Revenir à l’accueil du site</a></p>\n</main>\n</body>\n</html>\n').encode()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    clock = staticmethod(time.time)
    live_reload = LIVE_RELOAD
    building = False  # True from the server's start until its first build is done (main)
    shared_with = staticmethod(forms_endpoint)   # the one other origin that may read the site's files (fonts)

    def end_headers(self):
        """The functions' pages (no-JS answers in the site's look) load the site's fonts, which browsers fetch in
        CORS mode: the functions' origin may read them, as CloudFront's policy says (infra/site.yaml, CorsConfig)."""
        headers = getattr(self, "headers", None)   # a request too broken to parse has none
        if headers is not None and headers.get("Origin") == self.shared_with():
            self.send_header("Access-Control-Allow-Origin", self.shared_with())
            self.send_header("Vary", "Origin")
        super().end_headers()

    def do_GET(self):  # noqa: N802 - the standard library's name
        route = urlsplit(self.path).path
        if route == RELOAD_SCRIPT:
            self.send_bytes(RELOAD_SOURCE.read_bytes(), "text/javascript; charset=utf-8")
        elif route == RELOAD_EVENTS:
            self.send_builds()
        elif self.building and not previous_build(Path(self.directory)):
            self.send_error(503)
        elif (page := self.page_file(route)) is not None:
            self.send_bytes(with_reload(page.read_bytes()), "text/html; charset=utf-8")
        else:
            super().do_GET()

    def page_file(self, route: str) -> Path | None:
        """The HTML file a GET of ``route`` sends (a folder's index.html), or None."""
        path = Path(self.translate_path(route))
        if route.endswith("/") and (path / "index.html").is_file():
            return path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def send_builds(self) -> None:
        """Server-sent events: one per good build, with the URLs it changed, until the page goes away."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.live_reload.count
        self.live_reload.listening(+1)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.live_reload.closed:
                event = self.live_reload.wait(seen, KEEP_ALIVE)
                if event is None:
                    self.wfile.write(b": rien de neuf\n\n")
                else:
                    seen, changed = event
                    self.wfile.write(b"data: " + json.dumps(changed).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.live_reload.listening(-1)

    def send_error(self, code, message=None, explain=None):
        """The site's own 404 page (``output/404.html``, as CloudFront answers), and a French page for any other
        error, instead of Python's English « Error response »."""
        page = Path(self.directory) / "404.html"
        if code == 503:
            body = with_reload(error_page(code))  # the site being built: reloaded by the first build's event
        elif code == 404 and page.is_file():
            body = with_reload(page.read_bytes())
        else:
            body = error_page(code)
        self.send_response(code)
        self.send_header("Connection", "close")
        self.close_connection = True
        if code < 200 or code in (204, 205, 304):   # no body, as HTTP says
            self.end_headers()
            return
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if getattr(self, "command", None) != "HEAD":
            self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        # a request too broken to parse has no path, and is logged all the same
        # the development server's own requests (/__aai/…) are not the site's
        if not urlsplit(getattr(self, "path", "")).path.startswith("/__aai/"):
            ACCESS_LOG.log_request(self, code, size, self.clock())
        super().log_request(code, size)

    def log_message(self, format, *args):  # noqa: A002 - signature from the standard library
        if os.environ.get("AAI_VERBOSE"):
            super().log_message(format, *args)


def previous_build(output: Path) -> bool:
    """True when ``output`` holds a whole build (its home page): served while the new build runs."""
    return (output / "index.html").is_file()


def serve_site() -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(OUTPUT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def functions_env() -> dict[str, str]:
    """The environment of the functions and of the tick: this server's ports and folder, from which the
    functions derive their local settings (chalicelib.config.local_defaults) exactly as the command line does
    by hand — the same secret, outbox, database and link addresses."""
    return {**os.environ, "AAI_SITE_PORT": str(SITE_PORT), "AAI_FUNCTIONS_PORT": str(FUNCTIONS_PORT),
            "AAI_VAR_DIR": str(VAR), "AAI_ROUTING": str(ROUTING)}


def by_hand(command: str) -> str:
    """``command`` as a person types it in another terminal to act on this server's requests."""
    changed = [f"{name}={value}" for name, value, default in (
        ("AAI_SITE_PORT", SITE_PORT, config.SITE_PORT),
        ("AAI_FUNCTIONS_PORT", FUNCTIONS_PORT, config.FUNCTIONS_PORT),
        ("AAI_VAR_DIR", os.environ.get("AAI_VAR_DIR", config.VAR_DIR), config.VAR_DIR)) if str(value) != default]
    return "cd functions && " + " ".join([*changed, f"../.venv/bin/python -m chalicelib.admin {command}"])


# --- children: each in a process group of its own -------------------------------------------------------

def start_background(command: list[str], **options) -> subprocess.Popen:
    """Start a child in a process group of its own, which `stop` ends as a whole.

    Its own group also keeps Ctrl+C away from it: this server stops it, in order, and waits for it. The guard
    (below) is told of the group, and ends it if this server dies without stopping it.
    """
    process = subprocess.Popen(command, process_group=0, **options)
    if GUARD is not None:
        GUARD.watch(process.pid)
    return process


class Guard:
    """A small process that ends every group this server started when the server ends, however it ends.

    Ctrl+C, SIGTERM and SIGHUP go through `main`'s cleanup; SIGKILL (or an out-of-memory kill) runs no code at
    all, and left `chalice local` serving and holding its port. The guard holds the read end of a pipe whose
    only write end this server holds: the kernel closes it when the server dies, and the guard, reading the
    end of the file, stops the groups still listed (SIGTERM, SIGKILL after a grace time). Whole groups, so what
    a child started itself (chalice's server process, the kit's workers) goes too.
    """

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--guard"],
                                        stdin=subprocess.PIPE, text=True, process_group=0, close_fds=True)

    def _say(self, line: str) -> None:
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (OSError, ValueError):   # the guard is gone: nothing more it can do
            logger.warning("the guard of the background processes has stopped")

    def watch(self, group: int) -> None:
        self._say(f"+{group}")

    def release(self, group: int) -> None:
        """The group was stopped and is empty: its number may be given to another process."""
        self._say(f"-{group}")

    def close(self) -> None:
        """Everything was stopped in order: the guard ends with nothing to do."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        self.process.wait()


GUARD: Guard | None = None


def guard(lines, grace: float = 10.0) -> int:
    """The guard's program: the groups listed on ``lines`` (``+group``, ``-group``), stopped at the end."""
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)    # it outlives the server on purpose, and ends once it is done
    groups: set[int] = set()
    for line in lines:
        if line[:1] in ("+", "-") and line[1:].strip().isdigit():
            (groups.add if line[0] == "+" else groups.discard)(int(line[1:]))
    for number in (signal.SIGTERM, signal.SIGKILL):
        left = {group for group in groups if signal_group(group, number)}
        deadline = time.monotonic() + grace
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = {group for group in left if signal_group(group, 0)}
        if not left:
            break
    return 0


def run_in_group(command: list[str], **options) -> int:
    """Run a command to its end (a build step); stopped with everything it started if we are interrupted."""
    process = start_background(command, **options)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        stop(process)
        raise
    stop(process)   # at once: it has ended; anything it left in its group goes with it, and the guard forgets it
    return code


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
            return
    if GUARD is not None:
        GUARD.release(process.pid)


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
        try:  # behind the site's builds for the processor (its workers inherit it): an edit never waits for it
            os.setpriority(os.PRIO_PROCESS, self.process.pid, KIT_NICENESS)
        except OSError:  # already gone
            pass
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
            f"  • Espace de gestion : http://localhost:{FUNCTIONS_PORT}/espace/ (liens de connexion dans var/outbox/)",
            f"  • Demandes :      {VAR / 'submissions.sqlite3'} (SQLite ; relances, transmissions et renvois "
            f"toutes les {TICK_EVERY // 60} minutes)",
            f"  • À la main, dans un autre terminal : {by_hand('tick')}",
        ]
    lines += [
        f"  • Kit d'impression : en cours de génération dans {OUTPUT / 'kit'}/ (journal : {VAR / 'kit.log'}) ;"
        " seuls les kits dont les données ont changé sont refaits après chaque reconstruction.",
        "  • Reconstruction automatique dès qu'un fichier de content/, data/, theme/ ou du code change ; "
        "la page ouverte dans le navigateur se recharge toute seule.",
        "  • Ctrl+C pour arrêter.",
        "",
    ]
    print("\n".join(lines), flush=True)


def stop_on_signal(*_) -> None:
    """SIGTERM (a service manager, a test) and SIGHUP (the terminal closed) stop the server as Ctrl+C does."""
    raise KeyboardInterrupt


def main() -> int:
    global GUARD
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
    GUARD = Guard()
    server, functions, kit, builder = None, None, None, WarmBuild()
    try:
        VAR.mkdir(parents=True, exist_ok=True)
        # The site answers at once: the last build's output while this one runs (files are replaced whole, and
        # the open pages reload when it is done), or a page saying it is being built.
        QuietHandler.building = True
        server = serve_site()
        if previous_build(OUTPUT):
            print(f"Site servi tout de suite (construction précédente) : http://localhost:{SITE_PORT}/ ; "
                  "mise à jour en cours…", flush=True)
        functions = start_functions()
        answer = builder.build()
        QuietHandler.building = False
        if report(answer):
            LIVE_RELOAD.publish(answer["changed"])  # pages opened meanwhile reload if the build changed them
        elif not previous_build(OUTPUT):
            return 1
        kit = BackgroundKit(OUTPUT / "kit", VAR / "kit.log")
        kit.start()
        banner(functions is not None)
        last_tick = time.monotonic()
        for actions, answer in rebuilds(builder, watched_paths()):
            if functions is not None and time.monotonic() - last_tick > TICK_EVERY:
                last_tick = time.monotonic()
                tick()
            if answer is not None and report(answer):
                LIVE_RELOAD.publish(answer["changed"])
                if "kit" in actions:
                    kit.start()
    except KeyboardInterrupt:
        print("\nArrêt.", flush=True)
    finally:
        # A second Ctrl+C must not cut the cleanup short: stop() escalates to SIGKILL by itself.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
        LIVE_RELOAD.close()
        if server is not None:
            server.shutdown()
        builder.stop()
        if kit is not None:
            kit.stop()
        if functions is not None:
            stop(functions)
        GUARD.close()
    return 0


if __name__ == "__main__":
    sys.exit(guard(sys.stdin) if sys.argv[1:] == ["--guard"] else main())
