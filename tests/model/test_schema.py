"""The JSON Schemas come from the model, are committed up to date, and agree with it.

check-jsonschema (the maintained CLI editors' hooks use) plays the editor's tool: it reads the YAML
as VS Code's YAML extension does, with YAML 1.2 and JSON Schema 2020-12.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from model import load_site
from model.errors import DataError
from model.schema import SCHEMAS, TEXTS, modeline, render, schema_file
from tests.model.broken_cases import CASES, ODD, VALID

ROOT = Path(__file__).resolve().parents[2]
CHECK_JSONSCHEMA = str(Path(sys.executable).with_name("check-jsonschema"))

# The broken fixtures an editor's tool already flags while typing: shape, spelling and format.
# The others need the commune reference, the service catalogue or the phone rules: the model's job.
SCHEMA_CATCHES = {
    "yaml-syntax", "yaml-tab", "missing-field", "wrong-type-number", "wrong-type-unquoted-code",
    "wrong-type-date", "unknown-field", "bad-id", "duplicate-key", "bad-website", "no-services",
    "invalid-email", "service-as-list", "service-as-block", "zone-code-null", "zone-code-list",
    "key-as-list", "octal-phone", "website-http", "blank-name",
    "price-negative", "price-text", "price-over-100", "price-zero", "advance-not-boolean", "verified-not-a-date",
    "verified-impossible",
}


def check_jsonschema(schema: Path, *files: Path) -> dict:
    result = subprocess.run([CHECK_JSONSCHEMA, "--schemafile", str(schema), "-o", "json", *map(str, files)],
                            capture_output=True, text=True)
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def rejected_files(report: dict) -> set[str]:
    return {Path(e["filename"]).name for e in [*report["errors"], *report["parse_errors"]]}


def test_committed_schemas_are_up_to_date():
    stale = [name for name in SCHEMAS if schema_file(ROOT, name).read_text("utf-8") != render(name)]
    assert stale == [], "régénérez les schémas : .venv/bin/python -m model schemas"


def test_every_data_file_names_its_schema():
    for name in SCHEMAS:
        first = (ROOT / "data" / f"{name}.yaml").read_text("utf-8").splitlines()[0]
        assert first == modeline(name), name


def test_every_french_text_describes_a_field_of_the_model():
    for name, build in SCHEMAS.items():
        text = json.dumps(build(), ensure_ascii=False)
        unused = [path for path, (title, _) in TEXTS[name].items() if json.dumps(title, ensure_ascii=False)
                  not in text]
        assert unused == [], (name, unused)


def test_schemas_are_valid_json_schemas():
    result = subprocess.run([CHECK_JSONSCHEMA, "--check-metaschema", *(str(schema_file(ROOT, n)) for n in SCHEMAS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_data_passes_its_schema(name):
    report = check_jsonschema(schema_file(ROOT, name), ROOT / "data" / f"{name}.yaml")
    assert report["status"] == "ok", report


def test_schema_and_model_agree_on_the_broken_fixtures(tmp_path, data_root):
    """Every fixture the schema refuses, the model refuses too; the schema catches exactly the listed ones."""
    cases = {**CASES, **ODD}
    files = []
    for name, (old, new, _, _) in sorted(cases.items()):
        path = tmp_path / f"{name}.yaml"
        path.write_text(VALID.replace(old, new, 1), "utf-8")
        files.append(path)
    (tmp_path / "valid.yaml").write_text(VALID, "utf-8")
    report = check_jsonschema(schema_file(ROOT, "associations"), tmp_path / "valid.yaml", *files)
    caught = {name.removesuffix(".yaml") for name in rejected_files(report)}

    assert "valid" not in caught, report
    assert caught == SCHEMA_CATCHES
    data = data_root / "data" / "associations.yaml"
    for name in sorted(caught):
        shutil.copy(tmp_path / f"{name}.yaml", data)
        with pytest.raises(DataError):
            load_site(data_root)
    shutil.copy(tmp_path / "valid.yaml", data)
    assert load_site(data_root).associations


def test_schema_messages_point_at_the_field(tmp_path):
    path = tmp_path / "associations.yaml"
    path.write_text(VALID.replace("    address:", "    adress:"), "utf-8")
    report = check_jsonschema(schema_file(ROOT, "associations"), path)
    messages = sorted(e["message"] for e in report["errors"] if e["path"] == "$.associations[0]")
    assert len(messages) == 2 and "'address' is a required property" in messages[0]
    assert "Additional properties are not allowed ('adress' was unexpected)" in messages[1]
