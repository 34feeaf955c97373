"""The pull request, through GitHub's REST API: no git in the Lambda, no GitHub account for the association.

The least-privileged path: a branch from the base (``POST /git/refs``), one commit changing one file (the
Contents API, ``PUT /contents/{path}`` with ``branch``), the pull request (``POST /pulls``). A fine-grained token
limited to the site's repository with « Contents: read and write » and « Pull requests: read and write » is
enough (or a GitHub App with the same two permissions); it cannot merge into a protected ``main``, change
settings or read other repositories.

The token is read from AWS Secrets Manager (through the functions' one client factory) when a pull request is
opened. It travels only in the ``Authorization`` header: errors name the API path and status, never a header,
and nothing here logs a request.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

from ..web import aws

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 8   # each call; the web functions have 20 s


class GitHubError(RuntimeError):
    """GitHub refused or did not answer; the message names the call and its status, nothing secret."""


def token_from_secrets_manager(secret_id: str) -> str:
    answer = aws.client("secretsmanager").get_secret_value(SecretId=secret_id)
    secret: str = answer["SecretString"]
    return secret.strip()


@dataclass(frozen=True)
class Author:
    """Who the change is from: the association, named in the commit and the pull request."""
    name: str
    email: str


@dataclass(frozen=True)
class Proposal:
    number: int
    url: str
    branch: str


class GitHub:
    def __init__(self, api: str, repository: str, token: Callable[[], str], base: str = "main"):
        """``token``: a callable that returns it (read only when a call is made)."""
        self.api, self.repository, self.base = api.rstrip("/"), repository, base
        self._token = token

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.api}/repos/{self.repository}{path}"
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "aai-mes-informations", "Authorization": f"Bearer {self._token()}",
            **({"Content-Type": "application/json"} if data else {})})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                body = answer.read()
        except urllib.error.HTTPError as exc:
            raise GitHubError(f"{method} {path}: HTTP {exc.code}") from None   # no header, no body echoed
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GitHubError(f"{method} {path}: {exc.__class__.__name__}") from None
        found: dict[str, Any] = json.loads(body) if body else {}   # GitHub answers an object
        return found

    def read(self, path: str, ref: str | None = None) -> tuple[str, str]:
        """A text file at ``ref`` (the base by default): (its text, its blob sha)."""
        answer = self._call("GET", f"/contents/{quote(path)}?ref={quote(ref or self.base)}")
        if answer.get("content") is None or answer.get("encoding") != "base64":
            raise GitHubError(f"GET /contents/{path}: no content")   # > 1 MB, or a folder
        return base64.b64decode(answer["content"]).decode("utf-8"), answer["sha"]

    def base_commit(self) -> str:
        sha: str = self._call("GET", f"/git/ref/heads/{quote(self.base)}")["object"]["sha"]
        return sha

    def propose(self, path: str, text: str, blob: str, commit: str, branch: str, author: Author, message: str,
                title: str, body: str) -> Proposal:
        """Branch ``branch`` from ``commit``, one commit that sets ``path`` to ``text`` (``blob``: the file's sha
        at ``commit``, so an edit made meanwhile by an editor is refused rather than overwritten), the pull
        request against the base."""
        self._call("POST", "/git/refs", {"ref": f"refs/heads/{branch}", "sha": commit})
        self._call("PUT", f"/contents/{quote(path)}", {
            "message": message, "branch": branch, "sha": blob,
            "content": base64.b64encode(text.encode("utf-8")).decode("ascii"),
            "author": {"name": author.name, "email": author.email}})
        pull = self._call("POST", "/pulls", {"title": title, "head": branch, "base": self.base, "body": body,
                                             "maintainer_can_modify": True})
        logger.info("details: pull request %s opened from %s", pull.get("number"), branch)
        return Proposal(int(pull["number"]), str(pull["html_url"]), branch)
