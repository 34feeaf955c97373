"""Compare the built folder with the bucket, then upload, delete and invalidate.

Pelican rewrites every output file, so the decision is made on content hashes:
the object's ETag (the MD5 of a single-part upload) first, then the sha256 we
store in the object's metadata when the ETag is not a plain MD5 (multipart or
KMS-encrypted objects). Assets are uploaded before pages, so a new page never
points at a file not yet uploaded, and deletions come last.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from deploy.headers import cache_control, content_type

logger = logging.getLogger(__name__)

SHA256_METADATA = "sha256"
# CloudFront accepts at most 3,000 paths per invalidation and bills each path beyond
# 1,000 a month; past this many, one "/*" (billed as a single path) does the same job.
MAX_INVALIDATION_PATHS = 1000
IGNORED_NAMES = {".DS_Store", "Thumbs.db"}
# Pull requests' previews live under this folder of the same bucket (deploy/preview.py): the
# production sync neither lists nor deletes it, and the production build may not write there.
PREVIEW_ROOT = "apercu"


class DeployError(Exception):
    """A problem the operator must fix; the message is in French, for people."""


@dataclass(frozen=True)
class LocalFile:
    key: str
    path: Path
    md5: str
    sha256: str

    @property
    def content_type(self) -> str:
        return content_type(self.key)

    @property
    def cache_control(self) -> str:
        return cache_control(self.key)


@dataclass
class Plan:
    """What a sync would do; computed without touching the bucket."""

    uploads: list[LocalFile] = field(default_factory=list)
    new_keys: set[str] = field(default_factory=set)
    unchanged: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)

    @property
    def changed_keys(self) -> list[str]:
        return sorted({f.key for f in self.uploads} | set(self.deletions))

    @property
    def invalidation_paths(self) -> list[str]:
        return invalidation_paths(self.changed_keys)


@dataclass
class SyncResult:
    uploaded: int
    unchanged: int
    deleted: int
    invalidated: int
    invalidation_id: str | None
    dry_run: bool


def scan_local(root: Path, prefix: str = "") -> dict[str, LocalFile]:
    """Hash every file under root, keyed by its S3 key (``prefix`` + POSIX relative path)."""
    if not root.is_dir():
        raise DeployError(
            f"Le dossier «\u00a0{root}\u00a0» n’existe pas\u00a0: lancez d’abord «\u00a0make publish\u00a0»."
        )
    files: dict[str, LocalFile] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in IGNORED_NAMES:
            continue
        rel = path.relative_to(root)
        if any(part.startswith(".") and part != ".well-known" for part in rel.parts):
            continue
        data = path.read_bytes()
        key = prefix + rel.as_posix()
        files[key] = LocalFile(
            key=key,
            path=path,
            md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
            sha256=hashlib.sha256(data).hexdigest(),
        )
    if not files:
        raise DeployError(
            f"Le dossier «\u00a0{root}\u00a0» est vide\u00a0: déployer effacerait tout le site, abandon."
        )
    return files


def list_remote(s3, bucket: str, prefix: str = "", exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """Map every object key under ``prefix`` (but not under ``exclude``) to its ETag (without quotes)."""
    remote: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            if not obj["Key"].startswith(exclude):
                remote[obj["Key"]] = obj["ETag"].strip('"')
    return remote


def _same_content(s3, bucket: str, local: LocalFile) -> bool:
    """Fallback when the ETag is not a plain MD5: trust our sha256 metadata."""
    head = s3.head_object(Bucket=bucket, Key=local.key)
    return (
        head.get("Metadata", {}).get(SHA256_METADATA) == local.sha256
        and head.get("ContentType") == local.content_type
        and head.get("CacheControl") == local.cache_control
    )


def plan_sync(s3, bucket: str, root: Path, *, force: bool = False, workers: int = 8,
              prefix: str = "") -> Plan:
    """Decide which files to upload and which objects to delete, under ``prefix`` only.

    The whole site (no prefix) leaves the previews' folder alone; a preview touches nothing else.
    """
    local = scan_local(root, prefix)
    reserved = () if prefix else (f"{PREVIEW_ROOT}/",)
    if reserved and any(key.startswith(reserved) for key in local):
        raise DeployError(f"Le site construit contient un dossier «\u00a0{PREVIEW_ROOT}/\u00a0», réservé "
                          "aux aperçus des demandes de fusion\u00a0: renommez la page en cause.")
    remote = list_remote(s3, bucket, prefix, reserved)
    logger.debug("scanned local=%d remote=%d", len(local), len(remote))
    plan = Plan()
    to_check: list[LocalFile] = []
    for key, file in local.items():
        etag = remote.get(key)
        if etag is None:
            plan.uploads.append(file)
            plan.new_keys.add(key)
        elif force:
            plan.uploads.append(file)
        elif etag == file.md5:
            plan.unchanged.append(key)
        else:
            to_check.append(file)
    if to_check:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            same = list(pool.map(lambda f: _same_content(s3, bucket, f), to_check))
        for file, is_same in zip(to_check, same, strict=True):
            if is_same:
                plan.unchanged.append(file.key)
            else:
                plan.uploads.append(file)
    plan.uploads.sort(key=lambda f: f.key)
    plan.unchanged.sort()
    plan.deletions = sorted(set(remote) - set(local))
    return plan


def invalidation_paths(keys: list[str]) -> list[str]:
    """CloudFront paths for changed keys; a folder's index.html is also its folder URL."""
    paths: set[str] = set()
    for key in keys:
        paths.add("/" + quote(key, safe="/-_.~"))
        if key == "index.html" or key.endswith("/index.html"):
            paths.add("/" + quote(key[: -len("index.html")], safe="/-_.~"))
    return sorted(paths)


def _upload(s3, bucket: str, file: LocalFile) -> None:
    data = file.path.read_bytes()
    s3.put_object(
        Bucket=bucket,
        Key=file.key,
        Body=data,
        ContentType=file.content_type,
        CacheControl=file.cache_control,
        ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode("ascii"),
        Metadata={SHA256_METADATA: file.sha256},
    )
    logger.debug("uploaded key=%s type=%s", file.key, file.content_type)


def apply_plan(s3, bucket: str, plan: Plan, *, workers: int = 8) -> None:
    """Upload assets, then pages, then delete what disappeared."""
    pages: list[LocalFile] = []
    assets: list[LocalFile] = []
    for file in plan.uploads:
        (pages if file.content_type.startswith("text/html") else assets).append(file)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for batch in (assets, pages):
            # list() propagates the first upload error before the next batch starts.
            list(pool.map(lambda f: _upload(s3, bucket, f), batch))
    for start in range(0, len(plan.deletions), 1000):
        chunk = plan.deletions[start : start + 1000]
        response = s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
        )
        if response.get("Errors"):
            first = response["Errors"][0]
            raise DeployError(
                f"Suppression impossible de «\u00a0{first['Key']}\u00a0»\u00a0: {first.get('Message', '')}"
            )


def effective_paths(paths: list[str], max_paths: int = MAX_INVALIDATION_PATHS) -> list[str]:
    """The paths to send: the exact list, or "/*" when it is longer than max_paths."""
    if len(paths) > max_paths:
        logger.info("%d changed paths, invalidating /* instead", len(paths))
        return ["/*"]
    return paths


def invalidate(cloudfront, distribution_id: str, paths: list[str]) -> str:
    """Create one invalidation for the given paths and return its id."""
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"aai-deploy-{uuid.uuid4()}",
        },
    )
    return response["Invalidation"]["Id"]


def run_sync(
    s3,
    cloudfront,
    bucket: str,
    root: Path,
    *,
    distribution_id: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    workers: int = 8,
    max_paths: int = MAX_INVALIDATION_PATHS,
    report=None,
    prefix: str = "",
) -> SyncResult:
    """Plan, then (unless dry_run) apply and invalidate. report(line) receives French lines."""
    report = report or (lambda line: None)
    plan = plan_sync(s3, bucket, Path(root), force=force, workers=workers, prefix=prefix)
    paths = effective_paths(plan.invalidation_paths, max_paths)
    for file in plan.uploads:
        report(f"{'+' if file.key in plan.new_keys else '~'} {file.key}")
    for key in plan.deletions:
        report(f"- {key}")
    if dry_run:
        return SyncResult(len(plan.uploads), len(plan.unchanged), len(plan.deletions),
                          len(paths), None, True)
    apply_plan(s3, bucket, plan, workers=workers)
    invalidation_id = None
    if paths and distribution_id:
        invalidation_id = invalidate(cloudfront, distribution_id, paths)
        logger.info("invalidation id=%s paths=%d", invalidation_id, len(paths))
    elif paths:
        logger.warning("no CloudFront distribution id given, skipping invalidation")
    result = SyncResult(
        uploaded=len(plan.uploads),
        unchanged=len(plan.unchanged),
        deleted=len(plan.deletions),
        invalidated=len(paths) if invalidation_id else 0,
        invalidation_id=invalidation_id,
        dry_run=False,
    )
    logger.info(
        "sync done bucket=%s uploaded=%d unchanged=%d deleted=%d invalidated=%d",
        bucket, result.uploaded, result.unchanged, result.deleted, result.invalidated,
    )
    return result
