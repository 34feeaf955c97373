"""The deploy's AWS clients, with timeouts: botocore's defaults (60 s to connect, 60 s for an answer, 3 tries)
let a stalled endpoint hold the publication for minutes at every call. Publishing runs in CI, not in a Lambda:
it can afford a longer answer (a large upload) than the functions' clients (functions/chalicelib/web/aws.py)."""

from __future__ import annotations

CONNECT_SECONDS = 5
READ_SECONDS = 60
ATTEMPTS = 3


def client(session, service: str, endpoint_url: str | None = None):
    from botocore.config import Config
    return session.client(service, endpoint_url=endpoint_url, config=Config(
        connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS,
        retries={"mode": "standard", "total_max_attempts": ATTEMPTS}))
