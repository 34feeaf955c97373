"""What the measuring scripts share: a free port, a moto server, a static server, the routing table.

Imported by its siblings (``from benchmarking import …``: Python puts a script's own folder first on its path);
the tests take the free port, the moto server and the HTTP server from here too
(``from scripts.benchmarking import …``).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUTING = ROOT / "functions" / "chalicelib" / "routing.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def moto_endpoint():
    """A moto server (S3, SES, SNS, DynamoDB, CloudFront…) on a free port, for the time of the block: its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)   # moto's log: one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@contextmanager
def serve_with(handler):
    """An HTTP server answering with ``handler`` (a request handler class or factory) on a free port, in a
    thread, for the time of the block: its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Gzipped(_Quiet):
    """Answers with the file gzipped when the browser accepts it, as CloudFront serves the site."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path, compress: bool = False):
    """A static server of ``folder`` on a free port, for the time of the block: its URL. ``compress``: gzipped
    answers, as the published site's (what Lighthouse should measure)."""
    return serve_with(functools.partial(_Gzipped if compress else _Quiet, directory=str(folder)))


@functools.cache
def routing_table() -> Path:
    """The functions' routing table, written again from data/ by the data model (as `make routing` does), once
    per run: one left by an older checkout would miss what the functions now read."""
    subprocess.run([sys.executable, "-m", "model", "routing", str(ROUTING)], cwd=ROOT, check=True)
    return ROUTING
