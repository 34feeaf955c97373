"""A preview of every pull request: the production build under ``/apercu/pr-<n>/`` of the same site.

    AAI_PREVIEW=pr-12 make publish                      # the build, marked by plugins/preview
    python -m deploy.preview publish output --pr 12     # upload under apercu/pr-12/, print the address
    python -m deploy.preview remove --pr 12             # when the pull request closes

CloudFront serves ``/apercu/*`` without caching (nothing to invalidate) and with
``X-Robots-Tag: noindex`` (infra/site.yaml); the preview role may write nowhere else.
Settings come from the environment as for ``python -m deploy``: AAI_S3_BUCKET, AAI_SITEURL,
AWS_REGION, AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from deploy import clients
from deploy.sync import PREVIEW_ROOT, DeployError, SyncResult, run_sync

logger = logging.getLogger(__name__)

NBSP = "\u00a0"
COMMENT_MARK = "<!-- aai-apercu -->"  # lets the workflow find and update its own comment


def preview_id(number: int) -> str:
    return f"pr-{number}"


def preview_prefix(number: int) -> str:
    return f"{PREVIEW_ROOT}/{preview_id(number)}/"


def preview_label(ident: str) -> str:
    """« la demande de fusion n° 12 », from the id publishconf.py receives (``pr-12``)."""
    number = ident.removeprefix("pr-")
    return f"la demande de fusion n{NBSP}°{NBSP}{number}" if number.isdigit() else ident


def preview_url(site_url: str, number: int) -> str:
    return f"{site_url.rstrip('/')}/{preview_prefix(number)}"


def comment(url: str, commit: str = "") -> str:
    """The pull request comment, in French, for editors who are not developers."""
    version = f" (version `{commit[:7]}`)" if commit else ""
    return (f"{COMMENT_MARK}\n**Aperçu de cette demande de fusion**{version}{NBSP}: {url}\n\n"
            "C'est le site tel qu'il sera après la fusion, mis à jour à chaque nouvel envoi de modifications. "
            f"Les formulaires y sont désactivés (rien n'est envoyé aux associations), les moteurs de recherche "
            "ne l'indexent pas, et il disparaît quand la demande de fusion est fermée.\n")


def publish(s3, bucket: str, source: Path, number: int, report=None) -> SyncResult:
    """Upload what changed under the preview's prefix; delete what disappeared there, nothing else."""
    return run_sync(s3, None, bucket, source, prefix=preview_prefix(number), report=report)


def remove(s3, bucket: str, number: int) -> int:
    """Delete every object of the preview; returns how many."""
    prefix = preview_prefix(number)
    keys = [obj["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for obj in page.get("Contents", [])]
    for start in range(0, len(keys), 1000):
        response = s3.delete_objects(Bucket=bucket, Delete={
            "Objects": [{"Key": key} for key in keys[start:start + 1000]], "Quiet": True})
        if response.get("Errors"):
            raise DeployError(f"Suppression impossible de «{NBSP}{response['Errors'][0]['Key']}{NBSP}».")
    logger.info("preview removed prefix=%s objects=%d", prefix, len(keys))
    return len(keys)


def _public_url() -> str:
    """The address the build used (publishconf.py): the model is installed wherever a preview is built."""
    from model.settings import load_settings_file, public_url

    return public_url(load_settings_file(Path.cwd()))


def build_parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m deploy.preview",
                                     description="Publie ou retire l'aperçu d'une demande de fusion.")
    parser.add_argument("action", choices=["publish", "remove"])
    parser.add_argument("source", nargs="?", default="output", type=Path,
                        help=f"dossier construit avec AAI_PREVIEW (défaut{NBSP}: output)")
    parser.add_argument("--pr", type=int, required=True, help="numéro de la demande de fusion")
    parser.add_argument("--bucket", default=env("AAI_S3_BUCKET") or None)
    parser.add_argument("--site-url", help="adresse du site public (défaut : celle de la construction, "
                                           "AAI_SITEURL ou data/settings.yaml)")
    parser.add_argument("--region", default=env("AWS_REGION") or env("AWS_DEFAULT_REGION") or None)
    parser.add_argument("--endpoint-url", default=env("AWS_ENDPOINT_URL") or None)
    parser.add_argument("--comment", type=Path, help="écrire ici le commentaire à poster sur la demande")
    parser.add_argument("--commit", default=env("GITHUB_SHA", ""), help="version publiée")
    return parser


def main(argv: list[str] | None = None) -> int:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not args.bucket:
        print(f"Réglage manquant{NBSP}: AAI_S3_BUCKET (ou --bucket).", file=sys.stderr)
        return 2
    s3 = clients.client(boto3.session.Session(region_name=args.region), "s3", args.endpoint_url)
    try:
        if args.action == "remove":
            count = remove(s3, args.bucket, args.pr)
            print(f"Aperçu de {preview_label(preview_id(args.pr))} supprimé{NBSP}: {count} fichiers.")
            return 0
        result = publish(s3, args.bucket, args.source, args.pr, report=print)
    except DeployError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (BotoCoreError, ClientError) as exc:
        print(f"Échec de l'aperçu (erreur AWS){NBSP}: {exc}", file=sys.stderr)
        return 1
    url = preview_url(args.site_url or _public_url(), args.pr)
    print(f"Aperçu publié{NBSP}: {url} (envoyés{NBSP}: {result.uploaded}, supprimés{NBSP}: {result.deleted})")
    if args.comment:
        args.comment.write_text(comment(url, args.commit), "utf-8")
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"url={url}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
