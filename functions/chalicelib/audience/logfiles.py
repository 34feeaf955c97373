"""Where a month's log lines come from: CloudFront's gzip files in the log bucket (production) or the local
server's files under var/ (`make run`). Both are read one line at a time, file after file in the order of the
hours their names carry: the month never sits in memory, and the parser gets lines in nearly the time's order.

A file's name carries the UTC hour of its requests (late entries included), so a month in the region's time is
the files whose hour falls between its first and last instant; lines outside the month are left to the figures.
"""

from __future__ import annotations

import datetime
import gzip
import io
import logging
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Iterator

from rules.dates import PARIS, month_bounds

from .cloudfront import file_hour

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from ..config import Settings

logger = logging.getLogger(__name__)

PREFETCH = 8   # S3 objects downloaded ahead of the one being read


def _hours(month: str, tz: datetime.tzinfo | None) -> tuple[int, int]:
    """[first, last) epoch hours of the files that may hold the month's requests."""
    start, end = month_bounds(month, tz or PARIS)
    return start - start % 3600, end


def text_lines(stream: BinaryIO, compressed: bool) -> Iterator[str]:
    """Lines of a (gzip) byte stream, decoded as UTF-8; a stray byte is replaced, never fatal."""
    raw = gzip.GzipFile(fileobj=stream, mode="rb") if compressed else stream
    with io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="") as text:
        yield from text


def s3_month_keys(client: S3Client, bucket: str, prefix: str, month: str,
                  tz: datetime.tzinfo | None = None) -> list[str]:
    """Keys of the month's log files under ``prefix``, in the order of their hours (names only: a few kB)."""
    first, last = _hours(month, tz)
    found = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            hour = file_hour(item["Key"])
            if hour is not None and first <= hour < last:
                found.append((hour, item["Key"]))
    return [key for _, key in sorted(found)]


def s3_month_lines(client: S3Client, bucket: str, prefix: str, month: str, tz: datetime.tzinfo | None = None,
                   prefetch: int = PREFETCH) -> Iterator[str]:
    """The month's log lines from S3 (``client``: a boto3 S3 client), file after file in hour order.

    A month is a thousand files or more, and each GET waits tens of milliseconds: the next ``prefetch`` files
    are downloaded meanwhile, compressed, by as many threads. At most that many files are in memory at once."""
    keys = s3_month_keys(client, bucket, prefix, month, tz)
    logger.info("Audience %s: %d log files in s3://%s/%s", month, len(keys), bucket, prefix)

    def download(key: str) -> bytes:
        return client.get_object(Bucket=bucket, Key=key)["Body"].read()

    with ThreadPoolExecutor(max_workers=max(1, prefetch), thread_name_prefix="audience-s3") as pool:
        window: deque[tuple[str, Future[bytes]]] = deque()
        for key in keys:
            window.append((key, pool.submit(download, key)))
            if len(window) >= prefetch:
                yield from _lines_of(*window.popleft())
        while window:
            yield from _lines_of(*window.popleft())


def _lines_of(key: str, body: Future[bytes]) -> Iterator[str]:
    yield from text_lines(io.BytesIO(body.result()), compressed=key.endswith(".gz"))


def local_month_files(directory: Path | str, month: str, tz: datetime.tzinfo | None = None) -> list[Path]:
    first, last = _hours(month, tz)
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        hour = file_hour(path.name)
        if hour is not None and first <= hour < last:
            found.append((hour, path.name, path))
    return [path for _, _, path in sorted(found)]


def local_month_lines(directory: Path | str, month: str, tz: datetime.tzinfo | None = None) -> Iterator[str]:
    """The month's lines from the local server's log folder (var/access-logs); none when it does not exist."""
    for path in local_month_files(directory, month, tz):
        with path.open("rb") as stream:
            yield from text_lines(stream, compressed=path.suffix == ".gz")


def month_lines(settings: Settings, month: str, s3_client: S3Client | None = None) -> Iterator[str]:
    """The month's lines from where the settings say: the log bucket (``AAI_LOG_BUCKET``) in production,
    `make run`'s folder (``AAI_ACCESS_LOG_DIR``) otherwise."""
    if settings.log_bucket:
        if s3_client is None:
            from ..web import aws
            s3_client = aws.client("s3")
        return s3_month_lines(s3_client, settings.log_bucket, settings.log_prefix, month)
    return local_month_lines(settings.access_log_dir, month)
