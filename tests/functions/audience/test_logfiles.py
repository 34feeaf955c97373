"""A month's lines from the log bucket (moto's S3 in server mode) and from the local server's folder."""

from __future__ import annotations

import gzip
import tracemalloc

import boto3
import pytest
from support_audience import DISTRIBUTION, HOST, PARTNERS, SECRET

from chalicelib.audience.figures import month_figures
from chalicelib.audience.logfiles import (local_month_files, local_month_lines, s3_month_keys, s3_month_lines,
                                          text_lines)

BUCKET, PREFIX = "aai-access-logs", "cloudfront/"


@pytest.fixture
def log_bucket(aws_env, november):
    s3 = boto3.client("s3", region_name="eu-west-3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    for name, body in november.cloudfront_files(files_per_hour=2).items():
        s3.put_object(Bucket=BUCKET, Key=PREFIX + name, Body=body)
    s3.put_object(Bucket=BUCKET, Key=PREFIX + "notes.txt", Body=b"not a log")
    s3.put_object(Bucket=BUCKET, Key="aggregates/2026-10.json", Body=b"{}")
    return s3


def test_only_the_months_files_are_listed_in_the_order_of_their_hours(log_bucket):
    keys = s3_month_keys(log_bucket, BUCKET, PREFIX, "2026-11")
    hours = [key.split(".")[1] for key in keys]
    assert hours == sorted(hours)
    # November in Bordeaux starts at 23:00 UTC on 31 October and ends at 23:00 UTC on 30 November.
    assert hours[0] == "2026-10-31-23"
    assert "2026-10-31-22" not in hours and "2026-11-30-23" not in hours
    everything = [item["Key"] for item in log_bucket.list_objects_v2(Bucket=BUCKET, Prefix=PREFIX)["Contents"]]
    assert f"{PREFIX}{DISTRIBUTION}.2026-10-31-22.00000014.gz" in everything   # there, but another month's
    assert len(keys) < len(everything) - 1


@pytest.mark.parametrize("prefetch", [1, 3, 8])
def test_the_month_read_from_s3_gives_the_expected_figures(log_bucket, expected_november, prefetch):
    lines = s3_month_lines(log_bucket, BUCKET, PREFIX, "2026-11", prefetch=prefetch)
    figures = month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])
    assert figures.to_dict() == expected_november


def test_the_local_folder_written_by_the_local_writer_gives_the_same_figures(tmp_path, november,
                                                                              expected_november):
    november.write_local(tmp_path / "access-logs")
    names = [path.name for path in local_month_files(tmp_path / "access-logs", "2026-11")]
    assert names[0] == "local.2026-10-31-23.serve.log" and all(name.endswith(".serve.log") for name in names)
    lines = local_month_lines(tmp_path / "access-logs", "2026-11")
    figures = month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])
    assert figures.to_dict() == expected_november


def test_a_local_folder_may_hold_cloudfronts_gzip_files_too(tmp_path, november, expected_november):
    for name, body in november.cloudfront_files().items():
        (tmp_path / name).write_bytes(body)
    lines = local_month_lines(tmp_path, "2026-11")
    figures = month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])
    assert figures.to_dict() == expected_november


def test_no_folder_no_lines(tmp_path):
    assert list(local_month_lines(tmp_path / "missing", "2026-11")) == []


def test_a_file_is_read_a_line_at_a_time(tmp_path):
    """A 30 MB log file goes through in far less memory than its size."""
    path = tmp_path / "big.gz"
    line = "x" * 299 + "\n"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for _ in range(100_000):
            out.write(line)
    tracemalloc.start()
    with path.open("rb") as stream:
        count = sum(1 for _ in text_lines(stream, compressed=True))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 2_000_000


def test_stray_bytes_are_replaced_not_fatal(tmp_path):
    path = tmp_path / "broken.log"
    path.write_bytes(b"#Version: 1.0\nbad \xff byte\n")
    with path.open("rb") as stream:
        assert list(text_lines(stream, compressed=False)) == ["#Version: 1.0\n", "bad \ufffd byte\n"]


def test_the_settings_choose_the_bucket_or_the_local_folder(log_bucket, tmp_path, november, expected_november):
    from chalicelib.audience.logfiles import month_lines
    from chalicelib.config import Settings
    november.write_local(tmp_path / "access-logs")
    production = Settings.from_env({"AAI_LOG_BUCKET": BUCKET, "AAI_LOG_PREFIX": PREFIX})
    local = Settings.from_env({"AAI_ACCESS_LOG_DIR": str(tmp_path / "access-logs")})
    assert local.log_bucket == "" and Settings().log_prefix == PREFIX
    for settings in (production, local):
        lines = month_lines(settings, "2026-11")
        figures = month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])
        assert figures.to_dict() == expected_november
