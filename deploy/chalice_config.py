"""Fills the production stage of ``functions/.chalice/config.json`` just before ``chalice deploy``.

The functions' IAM role comes from the CloudFormation stack (least privilege, and the
deploying role may not create roles), the secret that signs the links comes from a GitHub
secret, and the site's and the functions' public addresses from the same GitHub variables the
site build reads (AAI_SITEURL, AAI_FORMS_ENDPOINT): none of them belongs in git, and each is
written once.

    python -m deploy.chalice_config functions/.chalice/config.json
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

REQUIRED = {
    "AAI_FUNCTIONS_ROLE_ARN": "la variable de dépôt AAI_FUNCTIONS_ROLE_ARN (sortie FunctionsRoleArn de la pile)",
    "AAI_SECRET": "le secret de dépôt AAI_SECRET (au moins 32 caractères aléatoires)",
    "AAI_SITEURL": "la variable de dépôt AAI_SITEURL (adresse publique du site, https://…)",
    "AAI_FORMS_ENDPOINT": "la variable de dépôt AAI_FORMS_ENDPOINT (adresse publique des formulaires, https://…)",
}


def configure(path: Path, environ: dict[str, str]) -> dict:
    missing = [help for name, help in REQUIRED.items() if not environ.get(name)]
    if missing:
        raise SystemExit("Configuration de production incomplète : renseignez " + " et ".join(missing) + ".")
    for name in ("AAI_SITEURL", "AAI_FORMS_ENDPOINT"):
        if not environ[name].startswith("https://"):
            raise SystemExit(f"La variable {name} doit être une adresse complète commençant par https://.")
    if len(environ["AAI_SECRET"]) < 32:
        raise SystemExit("Le secret AAI_SECRET est trop court : il faut au moins 32 caractères aléatoires.")
    config = json.loads(path.read_text("utf-8"))
    prod = config["stages"]["prod"]
    prod["manage_iam_role"] = False
    prod["iam_role_arn"] = environ["AAI_FUNCTIONS_ROLE_ARN"]
    variables = prod.setdefault("environment_variables", {})
    variables["AAI_SECRET"] = environ["AAI_SECRET"]
    variables["AAI_SITE_ORIGINS"] = environ["AAI_SITEURL"].rstrip("/")
    variables["AAI_FORMS_ENDPOINT"] = environ["AAI_FORMS_ENDPOINT"].rstrip("/")
    if environ.get("AAI_LOG_BUCKET"):   # the audience figures read CloudFront's logs there
        variables["AAI_LOG_BUCKET"] = environ["AAI_LOG_BUCKET"]
    if environ.get("AAI_STATE_BUCKET"):   # the charter's public results, for the site's rebuild (under charter/)
        variables["AAI_RESULTS_BUCKET"] = environ["AAI_STATE_BUCKET"]
    path.write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    logger.info("Production stage configured with role %s", prod["iam_role_arn"])
    return config


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    configure(Path(argv[1] if len(argv) > 1 else "functions/.chalice/config.json"), dict(os.environ))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
