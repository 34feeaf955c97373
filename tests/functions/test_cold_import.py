"""The Lambda's cold start (issue 28: importing the handler in 120 ms at most) pays only for what every route needs.
Measured with ``python -X importtime -c "import app"`` (functions/README.md); here, without timing anything, what
importing the handler must NOT load: the audience's rule sets (ua-parser's regexes alone cost about 100 ms), the
monthly follow-up, the AWS SDK, Jinja2, the GitHub client — each loaded by the route or the job that uses it."""

from __future__ import annotations

import json
import subprocess
import sys

from support_functions import FUNCTIONS

LOADED = "import json, sys; import app; print(json.dumps(sorted(sys.modules)))"
NOT_AT_IMPORT = ("user_agents", "ua_parser", "crawlerdetect", "publicsuffixlist", "boto3", "botocore", "jinja2",
                 "ruamel", "urllib.request", "chalicelib.reports.followup", "chalicelib.audience.figures",
                 "chalicelib.jobs.schedule", "chalicelib.backoffice.figures", "chalicelib.details.page")


def _loaded(code: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", code], cwd=FUNCTIONS, capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


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
