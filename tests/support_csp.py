"""Production's Content-Security-Policy, read from the CloudFront template, for the servers of the tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TILES = "https://tile.openstreetmap.org"


def production_policy(forms_endpoint: str) -> str:
    """The policy CloudFront sends with every page (infra/site.yaml), for this forms endpoint."""
    text = (ROOT / "infra" / "site.yaml").read_text("utf-8")
    block = re.search(r"ContentSecurityPolicy: !Sub >-\n((?:\s{14,}.*\n)+)", text).group(1)
    policy = " ".join(line.strip() for line in block.splitlines())
    return policy.replace("${TilesUrl}", TILES).replace("${FormsEndpoint}", forms_endpoint)
