"""HTTP headers stored on each S3 object.

CloudFront and browsers obey what S3 returns, so the right Content-Type and
Cache-Control must be set at upload time: HTML and data files change at every
publication and stay short-lived, fingerprinted assets never change and are
cached for a year.
"""

import logging
import mimetypes
import re
from pathlib import PurePosixPath

logger = logging.getLogger(__name__)

SHORT_CACHE = "public, max-age=300, must-revalidate"
MEDIUM_CACHE = "public, max-age=86400"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"

# Explicit table: the platform's mimetypes database varies between machines.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".ics": "text/calendar",
    ".vcf": "text/vcard",
    ".wasm": "application/wasm",
}

TEXT_TYPES = {
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/manifest+json",
    "image/svg+xml",
}

SHORT_CACHE_TYPES = {
    "text/html",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/manifest+json",
    "text/plain",
}

# "site.3f9a1c2b.css", "app-3f9a1c2b0d.js": a hex hash right before the extension. At least
# one letter is required so that dates ("bilan-20250101.pdf") are not taken for hashes.
FINGERPRINT_RE = re.compile(r"[.-](?=[0-9]*[a-f])[0-9a-f]{8,64}\.[A-Za-z0-9]+$")
# Pagefind names its index chunks after their content: "pagefind/fragment/fr_3f9a1c2.pf_fragment".
PAGEFIND_CHUNK_RE = re.compile(r"_[0-9a-f]{7,64}\.pf_[a-z]+$")


def content_type(key: str) -> str:
    """Content-Type for an object key, with charset=utf-8 for text."""
    suffix = PurePosixPath(key).suffix.lower()
    ctype = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in TEXT_TYPES:
        return f"{ctype}; charset=utf-8"
    return ctype


def is_fingerprinted(key: str) -> bool:
    """True when the file name carries a content hash, so it can never change."""
    name = PurePosixPath(key).name
    if key.startswith("pagefind/") and PAGEFIND_CHUNK_RE.search(name):
        return True
    return bool(FINGERPRINT_RE.search(name))


def cache_control(key: str) -> str:
    """Cache-Control for an object key: short, immutable or medium."""
    ctype = content_type(key).split(";")[0]
    if ctype == "text/html":
        return SHORT_CACHE
    if is_fingerprinted(key):
        return IMMUTABLE_CACHE
    if ctype in SHORT_CACHE_TYPES:
        return SHORT_CACHE
    return MEDIUM_CACHE
