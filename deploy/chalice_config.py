"""Fills the production stage of ``functions/.chalice/config.json`` just before ``chalice deploy``.

The functions' IAM role comes from the CloudFormation stack (least privilege, and the
deploying role may not create roles), and the secret that signs the "handled" links comes
from a GitHub secret: neither belongs in git.

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
}


def configure(path: Path, environ: dict[str, str]) -> dict:
    missing = [help for name, help in REQUIRED.items() if not environ.get(name)]
    if missing:
        raise SystemExit("Configuration de production incomplète : renseignez " + " et ".join(missing) + ".")
    if len(environ["AAI_SECRET"]) < 32:
        raise SystemExit("Le secret AAI_SECRET est trop court : il faut au moins 32 caractères aléatoires.")
    config = json.loads(path.read_text("utf-8"))
    prod = config["stages"]["prod"]
    prod["manage_iam_role"] = False
    prod["iam_role_arn"] = environ["AAI_FUNCTIONS_ROLE_ARN"]
    prod.setdefault("environment_variables", {})["AAI_SECRET"] = environ["AAI_SECRET"]
    path.write_text(json.dumps(config, indent=2) + "\n", "utf-8")
    logger.info("Production stage configured with role %s", prod["iam_role_arn"])
    return config


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    configure(Path(argv[1] if len(argv) > 1 else "functions/.chalice/config.json"), dict(os.environ))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
