"""The Lambda package is complete: built by `chalice package` as the deploy builds it, unzipped, and run by a Python
that sees nothing but the package (no site-packages, no repository): the shared rules travel in it (vendor/rules),
and a real order goes through the handler to the outbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from support_functions import FUNCTIONS, ROUTING, demande_fields

RUN_HANDLER = r"""
import json, sys
sys.path[:] = [p for p in sys.path if p.startswith(sys.base_prefix)]   # the standard library only
sys.path.insert(0, sys.argv[1])
import app
event = json.loads(sys.stdin.read())
answer = app.app(event, None)
modules = sorted({m.split(".")[0] for m in sys.modules})
import datetime
from rules.working_days import public_holiday
print(json.dumps({"answer": answer, "modules": modules, "christmas": public_holiday(datetime.date(2026, 12, 25)),
                  "paths": sorted({getattr(sys.modules[m], "__file__", "") or "" for m in ("rules", "phonenumbers")})}))
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("lambda")
    project = work / "functions"
    shutil.copytree(FUNCTIONS, project, ignore=shutil.ignore_patterns("__pycache__", "deployments", "deployed"))
    shutil.copy(ROUTING, project / "chalicelib" / "routing.json")
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", "local", str(work / "out")], cwd=project, check=True,
                   capture_output=True, env={**os.environ, "AWS_DEFAULT_REGION": "eu-west-3"})
    unzipped = work / "lambda"
    with zipfile.ZipFile(work / "out" / "deployment.zip") as archive:
        archive.extractall(unzipped)
    return unzipped


def test_the_package_carries_the_rulebook_and_no_test_or_source_data(package):
    assert (package / "rules" / "phone.py").is_file() and (package / "rules" / "working_days.py").is_file()
    assert (package / "chalicelib" / "routing.json").is_file()
    assert not (package / "data").exists() and not (package / "model").exists()


def test_the_handler_runs_from_the_package_alone(package, tmp_path):
    fields = demande_fields()
    body = urllib.parse.urlencode([(k, x) for k, v in fields.items() for x in (v if isinstance(v, list) else [v])])
    event = {
        "resource": "/demande", "path": "/demande", "httpMethod": "POST",
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://www.example.org"},
        "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": None, "stageVariables": None, "body": body, "isBase64Encoded": False,
        "requestContext": {"resourcePath": "/demande", "httpMethod": "POST", "stage": "api",
                           "identity": {"sourceIp": "192.0.2.10"}, "domainName": "evil.example.net"},
    }
    env = {"PATH": os.environ["PATH"], "AAI_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
           "AAI_OUTBOX_DIR": str(tmp_path / "outbox"), "AAI_SITE_ORIGINS": "https://www.example.org",
           "AAI_FORMS_ENDPOINT": "https://formulaires.example.org", "AAI_SECRET": "package-test"}
    result = subprocess.run([sys.executable, "-I", "-c", RUN_HANDLER, str(package)], input=json.dumps(event),
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    output = json.loads(result.stdout.strip().splitlines()[-1])
    assert output["answer"]["statusCode"] == 303
    assert output["answer"]["headers"]["Location"].startswith("https://www.example.org/merci/?ref=AI-")
    assert {"rules", "phonenumbers", "email_validator", "chalicelib", "jinja2"} <= set(output["modules"])   # the page
    assert all(path.startswith(str(package)) for path in output["paths"])
    assert output["christmas"] == "Noël"    # the holidays library travels too
    messages = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(messages) == 2
    to_ai = messages[0].read_text() + messages[1].read_text()
    assert "https://formulaires.example.org/traite/AI-" in to_ai and "evil.example.net" not in to_ai
