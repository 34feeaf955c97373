"""A local stand-in for GitHub's REST API, on a local bare git repository: the calls « Mes informations » makes
(refs, contents, pulls) are recorded and applied with git, so a test reads the pull request's real diff."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


def git(repo: Path, *args: str, data: bytes | None = None, env: dict | None = None) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=True,
                          env={**os.environ, **(env or {})}).stdout.decode("utf-8").strip()


def bare_repository(folder: Path, files: dict[str, str]) -> Path:
    """A bare repository whose ``main`` holds ``files`` (path → text), one commit by AAI."""
    work, bare = folder / "work", folder / "remote.git"
    subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True)
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, "utf-8")
    git(work, "add", "-A")
    git(work, "-c", "user.name=AAI", "-c", "user.email=aai@example.org", "commit", "-qm", "Données")
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return bare


class FakeGitHub:
    def __init__(self, bare: Path, repository: str = "aai/site"):
        self.bare, self.repository = bare, repository
        self.requests: list[dict] = []   # method, path, headers, payload
        self.pulls: list[dict] = []

    def handle(self, method: str, url: str, headers: dict, payload: dict | None) -> tuple[int, dict]:
        self.requests.append({"method": method, "path": url, "headers": headers, "payload": payload})
        parts = urlsplit(url)
        prefix = f"/repos/{self.repository}"
        if not parts.path.startswith(prefix):
            return 404, {"message": "Not Found"}
        path = unquote(parts.path[len(prefix):])
        if method == "GET" and path.startswith("/git/ref/heads/"):
            return 200, {"object": {"sha": git(self.bare, "rev-parse", path.removeprefix("/git/ref/heads/"))}}
        if method == "POST" and path == "/git/refs":
            git(self.bare, "update-ref", payload["ref"], payload["sha"])
            return 201, {"ref": payload["ref"]}
        if method == "GET" and path.startswith("/contents/"):
            name, ref = path.removeprefix("/contents/"), parse_qs(parts.query)["ref"][0]
            content = subprocess.run(["git", "-C", str(self.bare), "show", f"{ref}:{name}"], capture_output=True,
                                     check=True).stdout
            return 200, {"sha": git(self.bare, "rev-parse", f"{ref}:{name}"), "encoding": "base64",
                         "content": base64.b64encode(content).decode("ascii")}
        if method == "PUT" and path.startswith("/contents/"):
            return self._commit(path.removeprefix("/contents/"), payload)
        if method == "POST" and path == "/pulls":
            number = len(self.pulls) + 1
            self.pulls.append({**payload, "number": number})
            return 201, {"number": number, "html_url": f"https://github.com/{self.repository}/pull/{number}"}
        return 404, {"message": "Not Found"}

    def _commit(self, name: str, payload: dict) -> tuple[int, dict]:
        branch = payload["branch"]
        parent = git(self.bare, "rev-parse", branch)
        if git(self.bare, "rev-parse", f"{parent}:{name}") != payload["sha"]:
            return 409, {"message": "sha does not match"}
        blob = git(self.bare, "hash-object", "-w", "--stdin", data=base64.b64decode(payload["content"]))
        index = {"GIT_INDEX_FILE": str(self.bare / "fake-index")}
        git(self.bare, "read-tree", parent, env=index)
        git(self.bare, "update-index", "--cacheinfo", f"100644,{blob},{name}", env=index)
        tree = git(self.bare, "write-tree", env=index)
        author = payload.get("author") or {"name": "token owner", "email": "bot@example.org"}
        commit = git(self.bare, "commit-tree", tree, "-p", parent, "-m", payload["message"], env={
            "GIT_AUTHOR_NAME": author["name"], "GIT_AUTHOR_EMAIL": author["email"],
            "GIT_COMMITTER_NAME": "aai-espace-de-gestion[bot]", "GIT_COMMITTER_EMAIL": "bot@example.org"})
        git(self.bare, "update-ref", f"refs/heads/{branch}", commit)
        return 201, {"commit": {"sha": commit}}


@contextmanager
def served(fake: FakeGitHub):
    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length)) if length else None
            status, answer = fake.handle(self.command, self.path, dict(self.headers), payload)
            body = json.dumps(answer).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
