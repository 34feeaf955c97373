"""The form functions (functions/app.py) for tests that talk to them over HTTP, as ``chalice local`` serves them."""

from __future__ import annotations

import importlib.util
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parent.parent / "functions"


def load_app(name: str):
    """functions/app.py under a module name of its own: chalice.local rewires the class of the app it serves,
    so each test module serving it needs its own app object (and none may clash with another "app" module)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, FUNCTIONS / "app.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@contextmanager
def served(app_module):
    """The module's Chalice app over HTTP on a free port (``chalice local``'s server), for the time of the block:
    its origin."""
    from chalice.config import Config
    from chalice.local import create_local_server

    server = create_local_server(app_module.app, Config.create(), "127.0.0.1", 0)
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.shutdown()
