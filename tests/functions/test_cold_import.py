"""The Lambda's cold start (issue 28: importing the handler in 120 ms at most) pays only for what every route needs.
Measured with ``python -X importtime -c "import app"`` (functions/README.md); here, without timing anything, what
importing the handler must NOT load: the audience's rule sets (ua-parser's regexes alone cost about 100 ms), the
monthly follow-up, the AWS SDK, Jinja2, the GitHub client — each loaded by the route or the job that uses it. Nor
what a form post needs but registering the routes does not: the service and its stores, the holidays, phone and
e-mail rules, the standard ``email`` package, the back office's views (``chalicelib/web/lazy.py``); the first
request loads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse

from support_functions import FUNCTIONS, ROUTING, rappel_fields

LOADED = "import json, sys; import app; print(json.dumps(sorted(sys.modules)))"
NOT_AT_IMPORT = ("user_agents", "ua_parser", "crawlerdetect", "publicsuffixlist", "boto3", "botocore", "jinja2",
                 "ruamel", "urllib.request", "chalicelib.reports.followup", "chalicelib.audience.figures",
                 "chalicelib.jobs.schedule", "chalicelib.backoffice.figures", "chalicelib.details.page",
                 # what a request needs, loaded by the first one
                 "holidays", "phonenumbers", "email_validator", "smtplib", "ssl", "email.message", "sqlite3",
                 "chalicelib.service", "chalicelib.store", "chalicelib.store.sqlite", "chalicelib.store.dynamodb",
                 "chalicelib.requests.lifecycle", "chalicelib.intake.forms", "chalicelib.mail.messages",
                 "chalicelib.web.pages", "chalicelib.backoffice.gate", "chalicelib.backoffice.web",
                 "chalicelib.backoffice.export", "chalicelib.backoffice.inbox", "chalicelib.backoffice.signin",
                 "chalicelib.complaints.form", "chalicelib.sms.replies", "rules.working_days", "rules.phone")
ON_FIRST_POST = ("holidays", "phonenumbers", "email_validator", "email.message", "chalicelib.service",
                 "chalicelib.store.sqlite", "chalicelib.intake.forms", "chalicelib.mail.messages")


def _loaded(code: str, env: dict[str, str] | None = None) -> set[str]:
    run = subprocess.run([sys.executable, "-c", code], cwd=FUNCTIONS, capture_output=True, text=True, check=True,
                         env=env)
    return set(json.loads(run.stdout.splitlines()[-1]))


def test_importing_the_handler_leaves_what_one_route_or_job_needs_for_later():
    loaded = _loaded(LOADED)
    assert "chalicelib.intake.routes" in loaded and "chalicelib.backoffice.routes" in loaded   # the check sees
    assert not [name for name in NOT_AT_IMPORT if name in loaded]


def test_the_figures_page_and_the_agents_still_load_what_they_use():
    """Lazy is not missing: the route's module and the first described agent bring their libraries."""
    loaded = _loaded("import json, sys; import app; from chalicelib.backoffice import figures; "
                     "from chalicelib.audience.agents import describe; describe('Mozilla/5.0 (iPhone)'); "
                     "print(json.dumps(sorted(sys.modules)))")
    assert {"chalicelib.reports.followup", "user_agents", "crawlerdetect"} <= loaded


def test_the_first_form_post_loads_what_it_needs_and_is_stored(tmp_path):
    """A real post (honeypot empty, stored, mailed to the outbox) after a cold import: the modules left out of the
    import arrive with it."""
    body = urllib.parse.urlencode({**rappel_fields(), "website": "", "idempotence": "cold-import-test"}, doseq=True)
    code = ("import json, sys, sqlite3, os; import app; from chalice.test import Client\n"
            f"reply = Client(app.app).http.post('/rappel', body={body!r}, "
            "headers={'Content-Type': 'application/x-www-form-urlencoded'})\n"
            "assert reply.status_code == 303, reply.body\n"
            "db = sqlite3.connect(os.environ['AAI_SQLITE_PATH'])\n"
            "assert db.execute('SELECT count(*) FROM submissions').fetchone()[0] == 1\n"
            "print(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "AAI_MAILER": "outbox", "AAI_STORE": "sqlite", "AAI_OUTBOX_DIR": str(tmp_path / "outbox"),
           "AAI_SQLITE_PATH": str(tmp_path / "db.sqlite3"), "AAI_ROUTING": str(ROUTING)}
    loaded = _loaded(code, env)
    assert set(ON_FIRST_POST) <= loaded
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2   # the association's e-mail and the acknowledgement
