"""The whole life of a request with the clock moved, never slept: submitted over HTTP, then one scheduled tick
after another as of chosen instants — on the local backends (SQLite, outbox) and on the production ones
(DynamoDB and SES in moto)."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import urllib.parse

import pytest

from support_functions import FUNCTIONS, Local, bodies, functions_app, plain, rappel_fields, ses_messages
from chalicelib.requests import actions
from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.store import Stale
from rules.dates import PARIS

AI, HOUSEHOLD, CELL = "contact@grand-perigueux.example.org", "paul.dubreuil@example.org", \
    "cellule@aai-aquitaine.example.org"


def at(*args) -> float:
    return datetime.datetime(*args, tzinfo=PARIS).timestamp()


class World:
    """One backend pair, the app serving it, and the clock in the test's hands."""

    def __init__(self, client, service, messages):
        self.client, self.service, self._messages = client, service, messages

    def submit(self, when: float, **changes) -> str:
        self.service.clock = lambda: when
        reply = self.client.post("/rappel", rappel_fields(**changes), as_json=True)
        assert reply.status == 200, reply.text
        return reply.json()["reference"]

    def tick(self, when: float) -> dict:
        """What the tick did to requests (monthly figures and sweeping follow the real calendar too)."""
        self.service.clock = lambda: when
        self.summary = jobs.tick(self.service)
        return {job: n for job, n in self.summary.items() if job in (*lifecycle.JOBS, "errors")}

    def messages(self):
        return self._messages()

    def recipients(self) -> list[str]:
        return [m["To"].addresses[0].addr_spec for m in self.messages()]

    def record(self, ref: str) -> dict:
        return self.service.store.get(ref)

    def link(self, message, pattern: str) -> str:
        found = re.search(rf"https://api\.example\.org(/{pattern}/\S+)", bodies(message)[0])
        return found.group(1)

    def press(self, url: str, **fields):
        """Follow a signed link like a person: open the page, then press its button."""
        assert self.client.request("GET", url).status == 200
        path, query = url.split("?", 1)
        body = urllib.parse.urlencode({**dict(urllib.parse.parse_qsl(query)), **fields}).encode()
        return self.client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def answers(question) -> tuple[str, str]:
    """The two signed answers of « Avez-vous été recontacté ? », « oui » then « non »."""
    urls = re.findall(r"https://api\.example\.org(/suivi/\S+)", bodies(question)[0])
    return next(u for u in urls if "reponse=oui" in u), next(u for u in urls if "reponse=non" in u)


@pytest.fixture(params=["local", "aws"])
def world(request, client, tmp_path):
    if request.param == "local":
        local = Local(tmp_path)
        functions_app.set_service(local.service)
        yield World(client, local.service, local.messages)
        functions_app.set_service(None)
    else:
        service = request.getfixturevalue("aws")
        endpoint = request.getfixturevalue("aws_env")
        yield World(client, service, lambda: ses_messages(endpoint))


def test_friday_five_pm_reminder_on_monday_escalation_on_tuesday_evening(world):
    ref = world.submit(at(2026, 11, 20, 17), suivi="oui")
    assert world.recipients() == [AI, HOUSEHOLD]
    for moment in (at(2026, 11, 20, 17, 30), at(2026, 11, 21, 10), at(2026, 11, 22, 18), at(2026, 11, 23, 9),
                   at(2026, 11, 23, 16, 50)):
        world.tick(moment)
        assert world.recipients() == [AI, HOUSEHOLD], "nothing on Saturday, Sunday, nor before the delay"

    assert world.tick(at(2026, 11, 23, 17, 5)) == {"reminder": 1}
    reminder = world.messages()[-1]
    assert world.recipients()[-1] == AI and str(reminder["Subject"]).startswith("Rappel : demande de rappel")
    assert "/traite/" + ref in bodies(reminder)[0] and "Paul Dubreuil" in bodies(reminder)[0]
    assert "la cellule régionale d'Aquitaine Associations Intermédiaires (AAI)," in plain(bodies(reminder)[0])
    assert "de Aquitaine" not in plain(bodies(reminder)[1]), "the rulebook elides, in the HTML part too"
    world.tick(at(2026, 11, 23, 17, 20))
    world.tick(at(2026, 11, 24, 10))
    assert len(world.messages()) == 3, "never two reminders"

    assert world.tick(at(2026, 11, 24, 17, 5)) == {"escalation": 1}
    sheet, copy = world.messages()[-2:]
    assert world.recipients()[-2:] == [CELL, AI]
    assert str(sheet["Subject"]).startswith("Fiche de liaison – Pas de réponse dans le délai de la charte")
    sheet_text = plain(bodies(sheet)[0])
    for expected in ("Paul Dubreuil", "06 12 34 56 78", "05 36 49 10 11", "Association intermédiaire du Grand "
                     "Périgueux", "Relance envoyée à l'association", "Délai écoulé : 2,0 jour(s) ouvré(s)"):
        assert expected in sheet_text, expected
    assert sheet["Reply-To"].addresses[0].addr_spec == HOUSEHOLD
    assert "transmise à la cellule régionale d'Aquitaine Associations Intermédiaires (AAI)" in plain(bodies(copy)[0])
    record = world.record(ref)
    assert record["state"] == "escalated" and record["escalations"] == ["deadline"]
    assert [r["ref"] for r in world.service.queue()] == [ref]

    assert world.tick(at(2026, 11, 25, 17, 5)) == {"followup": 1}
    question = world.messages()[-1]
    assert world.recipients()[-1] == HOUSEHOLD and "Avez-vous été recontacté" in str(question["Subject"])
    assert "Paul Dubreuil" not in question.as_string()      # nothing the visitor typed
    yes, no = answers(question)
    forged = yes.replace("reponse=oui", "reponse=non")     # an answer's signature does not fit the other answer
    assert world.client.request("GET", forged).status == 403
    reply = world.press(no)
    assert reply.status == 200 and "La cellule régionale va vous rappeler" in plain(reply.text)
    assert world.recipients()[-2:] == [CELL, AI] and "La personne dit ne pas avoir été recontactée" in \
        str(world.messages()[-2]["Subject"])
    record = world.record(ref)
    assert record["followup_answer"] == "non" and record["escalations"] == ["deadline", "household"]

    kinds = [(e.kind, e.actor) for e in world.service.trail(ref)]
    assert kinds[0] == ("received", "household") and ("reminded", "system") in kinds
    assert ("followup_answered", "household") in kinds and ("escalated", "household") in kinds
    assert all(e.at >= at(2026, 11, 20, 17) for e in world.service.trail(ref))

    # The first tick of December in office hours also sends November's figures, once: to AAI and to each of the
    # three AIs (Sunday 20 December is a day off: Monday 21st, when the closing is still due).
    assert world.tick(at(2026, 12, 20, 17, 5)) == {"close": 1} and "reports" not in world.summary
    assert world.tick(at(2026, 12, 21, 17, 5)) == {} and world.summary["reports"] == 4
    assert world.record(ref)["state"] == "closed" and world.service.queue() == []
    assert world.client.request("GET", yes).status == 410   # links end with the request
    assert world.tick(at(2027, 11, 21, 17, 5)).get("purge") == 1
    assert world.record(ref) is None and world.service.trail(ref) == []


def test_a_public_holiday_is_skipped(client, local):
    world = World(client, local.service, local.messages)
    world.submit(at(2026, 5, 13, 10))                         # Wednesday, Ascension is on Thursday
    assert world.tick(at(2026, 5, 14, 10, 5)) == {}
    assert world.tick(at(2026, 5, 15, 10, 5)) == {"reminder": 1}
    assert world.tick(at(2026, 5, 16, 10, 5)) == {} and world.tick(at(2026, 5, 17, 10, 5)) == {}
    assert world.tick(at(2026, 5, 18, 10, 5)) == {"escalation": 1}
    assert world.recipients()[-2:] == [CELL, AI]


def test_nothing_is_sent_at_night(client, local):
    world = World(client, local.service, local.messages)
    world.submit(at(2026, 11, 20, 19, 30))
    assert world.tick(at(2026, 11, 23, 19, 35)) == {}          # one working day later, but at night
    assert world.tick(at(2026, 11, 24, 7)) == {}
    assert world.tick(at(2026, 11, 24, 9, 5)) == {"reminder": 1, "sms": 1}   # the household chose the SMS


def test_a_handled_request_is_never_reminded(client, local):
    world = World(client, local.service, local.messages)
    ref = world.submit(at(2026, 11, 20, 17), suivi="oui")
    world.service.clock = lambda: at(2026, 11, 23, 10)
    reply = world.press(world.link(local.messages()[0], "traite"), resultat="client",
                        premiere_intervention="2026-11-30")
    assert reply.status == 200 and world.record(ref)["outcome"] == "client"
    for moment in (at(2026, 11, 23, 17, 5), at(2026, 11, 24, 17, 5), at(2026, 11, 26, 12)):
        summary = world.tick(moment)
        assert "reminder" not in summary and "escalation" not in summary
    assert world.recipients() == [AI, HOUSEHOLD, HOUSEHOLD]   # only the household's question went out
    yes, _ = answers(local.messages()[-1])
    assert "enregistrée, merci" in plain(world.press(yes).text)
    record = world.record(ref)
    assert record["state"] == "handled" and record["followup_answer"] == "oui" and world.service.queue() == []


def test_a_stale_copy_cannot_send_a_second_reminder(client, local):
    world = World(client, local.service, local.messages)
    ref = world.submit(at(2026, 11, 20, 17))
    stale = world.record(ref)
    assert world.tick(at(2026, 11, 23, 17, 5)) == {"reminder": 1}
    with pytest.raises(Stale):
        actions.remind(world.service, stale)
    assert len(world.messages()) == 3


def test_overlapping_ticks_log_a_conflict_as_expected_not_as_an_error(client, local, caplog):
    """Two ticks overlap: the second works on a copy the first has just changed. The store refuses it (Stale),
    as designed: an INFO line, no traceback, not counted as an error."""
    world = World(client, local.service, local.messages)
    ref = world.submit(at(2026, 11, 20, 17))
    stale = world.record(ref)
    world.service.change(stale, "noted", lifecycle.actor("cell", "claire"), text="Rappel prévu lundi.")
    due = local.store.due
    local.store.due = lambda now, limit=100: [stale] if limit <= 100 else due(now, limit)   # the other run's read
    caplog.set_level("INFO", logger="chalicelib.jobs.schedule")
    summary = jobs.tick(world.service, at(2026, 11, 23, 17, 5))
    assert "errors" not in summary and summary["changed_meanwhile"] == 1
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert any("changed meanwhile" in r.getMessage() and r.levelname == "INFO" for r in caplog.records)
    local.store.due = due
    assert world.tick(at(2026, 11, 23, 17, 20)) == {"reminder": 1}   # the next tick does the job, once


def test_a_failed_reminder_is_sent_at_the_next_tick(client, local):
    world = World(client, local.service, local.messages)
    ref = world.submit(at(2026, 11, 20, 17))
    local.mailer.broken = True
    assert world.tick(at(2026, 11, 23, 17, 5)) == {"reminder": 1}       # tried, failed, given back
    assert len(world.messages()) == 2 and not world.record(ref).get("reminded_at")
    local.mailer.broken = False
    assert world.tick(at(2026, 11, 23, 17, 20)) == {"reminder": 1}
    assert len(world.messages()) == 3 and world.record(ref)["reminded_at"] == at(2026, 11, 23, 17, 20)


def test_admin_tick_runs_every_job_as_of_the_instant_given(local):
    local.service.clock = lambda: at(2026, 11, 20, 17)
    fields = {k: v if isinstance(v, list) else [v] for k, v in rappel_fields().items()}
    ref = local.service.submit("rappel", fields, "192.0.2.1").reference
    env = {"AAI_STORE": "sqlite", "AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_MAILER": "outbox",
           "AAI_OUTBOX_DIR": local.settings.outbox_dir, "AAI_ROUTING": local.settings.routing,
           "AAI_SECRET": local.settings.secret, "AAI_FORMS_ENDPOINT": local.settings.forms_endpoint,
           "PATH": os.environ["PATH"]}
    run = [sys.executable, "-m", "chalicelib.admin", "tick", "--now"]
    quiet = subprocess.run(run + ["2026-11-23T16:00"], cwd=FUNCTIONS, env=env, capture_output=True, text=True)
    assert quiet.returncode == 0, quiet.stderr
    result = subprocess.run(run + ["2026-11-23T17:05"], cwd=FUNCTIONS, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"reminder": 1' in result.stdout and '"reminder"' not in quiet.stdout
    assert local.service.store.get(ref)["reminded_at"] == at(2026, 11, 23, 17, 5)
    bad = subprocess.run(run + ["lundi"], cwd=FUNCTIONS, env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "ISO 8601" in bad.stderr
