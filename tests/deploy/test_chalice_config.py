"""The production stage gets its role and secret at deploy time, never from git."""

import json
import shutil
from pathlib import Path

import pytest

from deploy.chalice_config import configure

ROOT = Path(__file__).resolve().parents[2]
ROLE = "arn:aws:iam::123456789012:role/aai-functions"
SECRET = "s" * 40
PUBLIC = {"AAI_SITEURL": "https://www.ai-aquitaine.example.org", "AAI_FORMS_ENDPOINT": "https://formulaires.example.org/"}


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.json"
    shutil.copy(ROOT / "functions" / ".chalice" / "config.json", path)
    return path


def test_committed_config_holds_no_secret_and_manages_no_role():
    prod = json.loads((ROOT / "functions" / ".chalice" / "config.json").read_text())["stages"]["prod"]
    assert prod["manage_iam_role"] is False
    assert "AAI_SECRET" not in prod.get("environment_variables", {})


def test_role_and_secret_are_filled_in(config):
    configure(config, {"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": SECRET, **PUBLIC})
    prod = json.loads(config.read_text())["stages"]["prod"]
    assert prod["iam_role_arn"] == ROLE
    assert prod["environment_variables"]["AAI_SECRET"] == SECRET
    assert prod["environment_variables"]["AAI_SITE_ORIGINS"] == "https://www.ai-aquitaine.example.org"
    assert prod["environment_variables"]["AAI_FORMS_ENDPOINT"] == "https://formulaires.example.org"
    assert prod["environment_variables"]["AAI_STORE"] == "dynamodb"


@pytest.mark.parametrize("environ, words", [
    ({"AAI_SECRET": SECRET, **PUBLIC}, "AAI_FUNCTIONS_ROLE_ARN"),
    ({"AAI_FUNCTIONS_ROLE_ARN": ROLE, **PUBLIC}, "AAI_SECRET"),
    ({"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": "court", **PUBLIC}, "trop court"),
    ({"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": SECRET, "AAI_SITEURL": PUBLIC["AAI_SITEURL"]},
     "AAI_FORMS_ENDPOINT"),
    ({"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": SECRET, **PUBLIC, "AAI_SITEURL": "http://x.example.org"},
     "https://"),
])
def test_missing_settings_stop_the_deploy_in_french(config, environ, words):
    before = config.read_text()
    with pytest.raises(SystemExit) as stop:
        configure(config, environ)
    assert words in str(stop.value)
    assert config.read_text() == before


def test_the_charter_results_go_to_the_state_bucket(config):
    """The functions publish the charter's results where the deploy role may read them (infra/site.yaml)."""
    configure(config, {"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": SECRET, **PUBLIC})
    assert "AAI_RESULTS_BUCKET" not in json.loads(config.read_text())["stages"]["prod"]["environment_variables"]
    configure(config, {"AAI_FUNCTIONS_ROLE_ARN": ROLE, "AAI_SECRET": SECRET, **PUBLIC, "AAI_STATE_BUCKET": "aai-etat"})
    variables = json.loads(config.read_text())["stages"]["prod"]["environment_variables"]
    assert variables["AAI_RESULTS_BUCKET"] == "aai-etat"
