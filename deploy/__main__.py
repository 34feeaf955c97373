"""Command line: ``python -m deploy [--dry-run] [output/]``.

Settings come from flags or, so that CI needs no arguments, from the
environment: AAI_S3_BUCKET, AAI_CLOUDFRONT_ID, AWS_REGION, AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from deploy import clients
from deploy.sync import MAX_INVALIDATION_PATHS, DeployError, run_sync

logger = logging.getLogger(__name__)

NBSP = "\u00a0"


def build_parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python -m deploy",
        description="Publie le site construit sur S3 et invalide les chemins modifiés dans CloudFront.",
    )
    parser.add_argument("source", nargs="?", default="output", type=Path,
                        help="dossier construit à publier (défaut\u00a0: output)")
    parser.add_argument("--bucket", default=env("AAI_S3_BUCKET") or None,
                        help="compartiment S3 (ou variable AAI_S3_BUCKET)")
    parser.add_argument("--distribution-id", default=env("AAI_CLOUDFRONT_ID") or None,
                        help="identifiant de la distribution CloudFront (ou AAI_CLOUDFRONT_ID)")
    parser.add_argument("--region", default=env("AWS_REGION") or env("AWS_DEFAULT_REGION") or None,
                        help="région AWS (ou AWS_REGION)")
    parser.add_argument("--endpoint-url", default=env("AWS_ENDPOINT_URL") or None,
                        help="point d’accès AWS de substitution, pour les essais (ou AWS_ENDPOINT_URL)")
    parser.add_argument("--dry-run", action="store_true",
                        help="affiche ce qui changerait sans rien modifier")
    parser.add_argument("--force", action="store_true",
                        help="renvoie tous les fichiers, même inchangés (après un changement d’en-têtes)")
    parser.add_argument("--max-invalidation-paths", type=int, default=MAX_INVALIDATION_PATHS,
                        help="au-delà de ce nombre de chemins, invalide «\u00a0/*\u00a0» "
                             f"(défaut\u00a0: {MAX_INVALIDATION_PATHS})")
    parser.add_argument("--workers", type=int, default=8, help="envois en parallèle (défaut\u00a0: 8)")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    return parser


def summary_line(result) -> str:
    """The French summary printed at the end of every run."""
    label = "Simulation" if result.dry_run else "Déploiement terminé"
    parts = [
        f"envoyés{NBSP}: {result.uploaded}",
        f"inchangés{NBSP}: {result.unchanged}",
        f"supprimés{NBSP}: {result.deleted}",
        f"chemins invalidés{NBSP}: {result.invalidated}",
    ]
    return f"{label}{NBSP}— " + " · ".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.bucket:
        print(f"Aucun compartiment S3{NBSP}: passez --bucket ou définissez AAI_S3_BUCKET.", file=sys.stderr)
        return 2
    session = boto3.session.Session(region_name=args.region)
    s3 = clients.client(session, "s3", args.endpoint_url)
    cloudfront = clients.client(session, "cloudfront", args.endpoint_url)
    if args.dry_run:
        print(f"Simulation{NBSP}: rien ne sera modifié.")
    try:
        result = run_sync(
            s3, cloudfront, args.bucket, args.source,
            distribution_id=args.distribution_id, dry_run=args.dry_run,
            force=args.force, workers=args.workers,
            max_paths=args.max_invalidation_paths, report=print,
        )
    except DeployError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as exc:
        logger.error("aws error: %s", exc)
        print(f"Échec de la publication (erreur AWS){NBSP}: {exc}", file=sys.stderr)
        return 1
    if not args.distribution_id and not args.dry_run and result.uploaded + result.deleted:
        print(f"Attention{NBSP}: aucune distribution CloudFront indiquée, le cache n’a pas été invalidé.",
              file=sys.stderr)
    print(summary_line(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
