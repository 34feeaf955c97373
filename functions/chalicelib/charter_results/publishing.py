"""The charter's results written where the site's scheduled rebuild reads them: an S3 object in production
(``AAI_RESULTS_BUCKET``, ``AAI_RESULTS_KEY``; through ``chalicelib.web.aws``, whose calls give up in time), a file
locally (``AAI_RESULTS_PATH``, ``var/charter-results.json``: the site build's ``CHARTER_RESULTS``).

The scheduled tick publishes them once a day, at its first run after midnight, before the site's daily rebuild
(.github/workflows/deploy.yml), wherever one of those settings points; ``python -m chalicelib.admin results``
publishes them at once (to ``var/charter-results.json`` when neither is set).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from rules.charter_results import CharterResults, to_json
from rules.dates import local_time

from ..web import aws
from ..config import REPOSITORY
from ..service import FormService
from .figures import charter_results

logger = logging.getLogger(__name__)

KEPT_SECONDS = 3 * 86400   # a day's claim, kept past the day's end whatever the time zone


def configured(svc: FormService) -> bool:
    return bool(svc.settings.results_bucket or svc.settings.results_path)


def write_results(svc: FormService, text: str, default_path: str = "", s3_client: Any = None) -> str:
    """Write the file's text where the settings say (``default_path`` when they say nothing); return where it
    went (for the log and the command line)."""
    settings = svc.settings
    if settings.results_bucket:
        client = s3_client if s3_client is not None else aws.client("s3")
        client.put_object(Bucket=settings.results_bucket, Key=settings.results_key, Body=text.encode("utf-8"),
                          ContentType="application/json; charset=utf-8")
        return f"s3://{settings.results_bucket}/{settings.results_key}"
    path = Path(settings.results_path or default_path)
    if not str(path) or str(path) == ".":
        raise ValueError("nowhere to publish the charter's results: set AAI_RESULTS_BUCKET or AAI_RESULTS_PATH")
    path = path if path.is_absolute() else REPOSITORY / path
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: a build reading the file meanwhile sees the old figures or the new, never half.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".charter-results-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)
    return str(path)


def publish_results(svc: FormService, now: int, default_path: str = "") -> tuple[CharterResults, str]:
    """Compute the figures as of ``now`` and write them; return them with where they went."""
    results = charter_results(svc, now)
    return results, write_results(svc, to_json(results), default_path)


def publish_daily(svc: FormService, now: int) -> int:
    """Once a day (the day's key is claimed first, so two overlapping ticks publish once); 1 when published.
    A failure gives the key back for the next tick and never stops the tick's other jobs: the site keeps
    yesterday's figures meanwhile, with their date. Nothing when no destination is set (tests, a bare checkout)."""
    key = f"results#{local_time(now).date().isoformat()}"
    if not configured(svc) or not svc.store.claim(key, now + KEPT_SECONDS):
        return 0
    try:
        _, where = publish_results(svc, now)
    except Exception:   # S3 down, a full disk: logged, tried again at the next tick
        svc.store.release(key)
        logger.exception("the charter's results were not published")
        return 0
    logger.info("the charter's results published to %s", where)
    return 1
