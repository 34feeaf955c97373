"""Time the deploy command against a local moto server (S3 + CloudFront).

Builds nothing: give it a built folder (``make publish`` first). It times a first
deploy into an empty bucket and a second deploy of the same folder (which must
upload nothing); with ``--after OTHER``, it then deploys a second build (for
example after editing one article) and reports what that uploads.

    python scripts/benchmark_deploy.py output/ [--after output-edited/]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import boto3

from deploy.sync import run_sync

from benchmarking import moto_endpoint

logger = logging.getLogger(__name__)
REGION = "eu-west-3"
BUCKET = "aai-benchmark"


def create_distribution(cloudfront) -> str:
    config = {
        "CallerReference": "benchmark",
        "Comment": "benchmark",
        "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "site", "DomainName": f"{BUCKET}.s3.{REGION}.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": ""},
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https", "MinTTL": 0,
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": False, "Quantity": 0},
        },
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure la durée d’un déploiement contre moto.")
    parser.add_argument("source", nargs="?", default="output", type=Path)
    parser.add_argument("--after", type=Path, help="seconde construction à déployer ensuite")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        os.environ[key] = "benchmark"

    files = [p for p in args.source.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"Dossier {args.source}\u00a0: {len(files)} fichiers, {size / 1e6:.1f} Mo")

    with moto_endpoint() as endpoint:
        s3 = boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        cloudfront = boto3.client("cloudfront", region_name=REGION, endpoint_url=endpoint)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        distribution = create_distribution(cloudfront)

        runs = [("premier déploiement", args.source), ("sans changement", args.source)]
        if args.after:
            runs.append((f"après modification ({args.after})", args.after))
        for label, folder in runs:
            start = time.perf_counter()
            result = run_sync(s3, cloudfront, BUCKET, folder, distribution_id=distribution,
                              workers=args.workers)
            elapsed = time.perf_counter() - start
            print(
                f"{label}\u00a0: {elapsed:.2f} s — envoyés {result.uploaded}, inchangés {result.unchanged}, "
                f"supprimés {result.deleted}, chemins invalidés {result.invalidated}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
