"""The charter's 72 hours (issue 24, item 1): a request becomes a client with the first mission « à proposer »;
the 72 working hours pass over a weekend and Whit Monday; the one reminder reaches the association before the end;
the association reports a difficulty and the household is told — by e-mail, or by SMS (never at night) when it
chose SMS. Local backends (SQLite, outbox), the clock moved, never slept."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from support_functions import Local, bodies, functions_app, plain, rappel_fields
from chalicelib.jobs import schedule as jobs
from chalicelib.reports.request_figures import monthly_report
from chalicelib.reports.formats import report_csv, report_text
from chalicelib.mission import figures, rules
from rules.dates import PARIS

AI, HOUSEHOLD = "contact@grand-perigueux.example.org", "paul.dubreuil@example.org"


def at(*args) -> float:
    return datetime.datetime(*args, tzinfo=PARIS).timestamp()


THURSDAY = at(2027, 5, 13, 10)          # the request
FRIDAY = at(2027, 5, 14, 10)            # it becomes a client; then the weekend and Whit Monday (17 May 2027)


class World:
    def __init__(self, client, tmp_path):
        self.client, self.local = client, Local(tmp_path)
        self.service = self.local.service
        functions_app.set_service(self.service)

    def now(self, when: float) -> None:
        self.service.clock = lambda: when

    def submit(self, when: float, **changes) -> str:
        self.now(when)
        reply = self.client.post("/rappel", rappel_fields(**changes), as_json=True)
        assert reply.status == 200, reply.text
        return reply.json()["reference"]

    def tick(self, when: float) -> dict:
        self.now(when)
        done = jobs.tick(self.service)
        return {job: n for job, n in done.items() if job in ("mission", "satisfaction", "reminder", "escalation",
                                                               "followup", "errors")}

    def messages(self):
        return self.local.messages()

    def recipients(self) -> list[str]:
        return [m["To"].addresses[0].addr_spec for m in self.messages()]

    def link(self, message, path: str) -> str:
        return re.search(rf"https://api\.example\.org(/{path}/\S+)", bodies(message)[0]).group(1)

    def open_and_post(self, url: str, **fields):
        """Like a person: open the page (changes nothing), then press its button."""
        page = self.client.request("GET", url)
        assert page.status == 200, page.text
        path, query = url.split("?", 1)
        import urllib.parse
        body = urllib.parse.urlencode({**dict(urllib.parse.parse_qsl(query)), **fields}).encode()
        return self.client.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def sms(self) -> list[str]:
        folder = Path(self.service.settings.outbox_dir)
        return [p.read_text("utf-8") for p in sorted(folder.glob("*.sms.txt"), key=lambda p: p.stat().st_mtime_ns)]


def becomes_client(world: World, **changes) -> str:
    ref = world.submit(THURSDAY, mode_contact="telephone", **changes)
    handled = world.link(world.messages()[0], "traite")
    world.now(FRIDAY)
    reply = world.open_and_post(handled, resultat="client", premiere_intervention="")
    assert reply.status == 200 and "Intervenant sous 72 heures" in plain(reply.text), reply.text
    return ref


def test_the_72_hours_pass_over_a_weekend_and_whit_monday_with_one_reminder_before(client, tmp_path):
    world = World(client, tmp_path)
    ref = becomes_client(world)
    record = world.service.store.get(ref)
    assert record.client_at == int(FRIDAY) and record.first_visit is None
    # Friday 10:00 + 3 working days, Saturday, Sunday and Whit Monday off: Thursday 20 May, 10:00.
    assert rules.deadline(record) == int(at(2027, 5, 20, 10))
    assert rules.reminder_at(record) == int(at(2027, 5, 19, 10))
    before = len(world.messages())
    for moment in (at(2027, 5, 15, 11), at(2027, 5, 17, 10), at(2027, 5, 18, 17), at(2027, 5, 19, 9, 50)):
        assert "mission" not in world.tick(moment), "nothing over the weekend, the holiday, nor too early"
    assert len(world.messages()) == before

    assert world.tick(at(2027, 5, 19, 10, 5)) == {"mission": 1}
    reminder = world.messages()[-1]
    assert world.recipients()[-1] == AI
    text = plain(bodies(reminder)[0])
    assert "Intervenant sous 72 heures" in str(reminder["Subject"]) and "jeudi 20 mai 2027" in text
    assert "Première mission : à proposer" in text and "Paul Dubreuil" in text
    for moment in (at(2027, 5, 19, 10, 20), at(2027, 5, 19, 16), at(2027, 5, 20, 11)):
        assert "mission" not in world.tick(moment)
    assert len(world.messages()) == before + 1, "the reminder is sent once"
    assert [e.kind for e in world.service.trail(ref)].count("mission_reminded") == 1

    # The association books the first mission on the deadline's day from the reminder's page: in time.
    page = world.link(reminder, "mission")
    reply = world.open_and_post(page, action="date", premiere_intervention="20/05/2027")
    assert reply.status == 200 and "Première mission enregistrée le 20 mai 2027" in plain(reply.text)
    record = world.service.store.get(ref)
    assert record.first_visit == "2027-05-20" and rules.in_time(record) is True
    assert record.client_at == int(FRIDAY), "correcting the date does not restart the 72 hours"
    # A forged signature, or this one on another request, opens nothing.
    assert client.request("GET", page[:-4] + ("AAAA" if not page.endswith("AAAA") else "BBBB")).status == 403
    other = world.submit(FRIDAY, mode_contact="telephone")
    assert client.request("GET", page.replace(ref, other)).status == 403


def test_no_reminder_when_the_first_mission_is_booked_in_time(client, tmp_path):
    world = World(client, tmp_path)
    ref = world.submit(THURSDAY, mode_contact="telephone")
    world.now(FRIDAY)
    reply = world.open_and_post(world.link(world.messages()[0], "traite"), resultat="client",
                                premiere_intervention="18/05/2027")
    assert reply.status == 200
    assert "mission" not in world.tick(at(2027, 5, 19, 10, 5))
    assert rules.in_time(world.service.store.get(ref)) is True


def test_a_difficulty_reaches_the_household_by_email_without_anything_it_typed(client, tmp_path):
    world = World(client, tmp_path)
    ref = becomes_client(world)
    world.tick(at(2027, 5, 19, 10, 5))
    page = world.link(world.messages()[-1], "mission")
    world.now(at(2027, 5, 19, 11))
    reply = world.open_and_post(page, action="difficulte")
    assert reply.status == 200 and "La personne en est prévenue" in plain(reply.text)
    told = world.messages()[-1]
    assert world.recipients()[-1] == HOUSEHOLD
    assert "l'intervenant prend un peu plus de temps" in plain(str(told["Subject"]))
    text = plain(bodies(told)[0])
    assert "rencontre une difficulté" in text and "05 36 49 10 11" in text
    assert "Paul Dubreuil" not in told.as_string() and "Rappelez-moi" not in told.as_string()
    record = world.service.store.get(ref)
    assert record.mission_difficulty_told_at == int(at(2027, 5, 19, 11))
    count = len(world.messages())
    assert world.open_and_post(page, action="difficulte").status == 200
    assert len(world.messages()) == count, "told once"


def test_a_difficulty_reported_at_night_reaches_a_household_that_chose_sms_at_the_opening(client, tmp_path):
    world = World(client, tmp_path)
    ref = world.submit(THURSDAY)   # mode_contact « sms », a mobile: acknowledged by SMS
    assert len(world.sms()) == 1
    world.now(FRIDAY)
    world.open_and_post(world.link(world.messages()[0], "traite"), resultat="client", premiere_intervention="")
    world.tick(at(2027, 5, 19, 10, 5))
    page = world.link(world.messages()[-1], "mission")
    world.now(at(2027, 5, 19, 21, 30))
    reply = world.open_and_post(page, action="difficulte")
    assert reply.status == 200 and "jamais de SMS la nuit" in plain(reply.text)
    assert len(world.sms()) == 1 and HOUSEHOLD not in world.recipients()[-1:]
    assert "mission" not in world.tick(at(2027, 5, 19, 23))
    assert world.tick(at(2027, 5, 20, 9, 5)) == {"mission": 1}
    [_, text] = world.sms()
    assert ref in text and "72 h" in text and "05 36 49 10 11" in text
    assert world.service.store.get(ref).mission_difficulty_told_at == int(at(2027, 5, 20, 9, 5))
    assert "mission" not in world.tick(at(2027, 5, 20, 10))
    assert len(world.sms()) == 2


def test_the_figures_count_new_clients_with_an_intervenant_in_72_hours_and_the_median_delay(client, tmp_path):
    world = World(client, tmp_path)
    refs = []
    for number, day in enumerate(("18/05/2027", "21/05/2027", "")):
        name = ("Paul Dubreuil", "Anne Dubreuil", "Marc Dubreuil")[number]   # three requests, not a double click
        ref = world.submit(THURSDAY, mode_contact="telephone", nom=name)
        world.now(FRIDAY)
        handled = next(world.link(m, "traite") for m in world.messages() if ref in str(m["Subject"]) or
                       ref in bodies(m)[0])
        reply = world.open_and_post(handled, resultat="client", premiere_intervention=day)
        assert reply.status == 200, plain(reply.text)[-1500:]
        refs.append(ref)
    assert [world.service.store.get(r).first_visit for r in refs] == ["2027-05-18", "2027-05-21", None]
    found = figures.mission_figures([world.service.store.get(r) for r in refs], as_of=int(at(2027, 5, 24, 12)))
    assert (found.new_clients, found.deadline_passed, found.in_time) == (3, 3, 1)
    assert found.in_time_rate == 1 / 3
    # Friday 10:00 → Tuesday 9:00 (23 hours of working days), → Friday 21 May 9:00 (three days more).
    assert round(found.median_delay or 0, 3) == round((23 / 24 + 3 + 23 / 24) / 2, 3)
    # In the monthly report (text and CSV), where the charter's 48 hours are.
    report = monthly_report(world.service, "2027-05", as_of=int(at(2027, 5, 24, 12)))
    text = plain(report_text(report, world.service.routing, "ai-grand-perigueux"))
    assert "Intervenant sous 72 heures : 1 sur 3 nouveaux clients échus (33 %) ; délai médian jusqu'à la première " \
           "mission : 2,5 jour ouvré ; première mission à proposer : 1" in text
    header, *rows = report_csv(report, world.service.routing, "ai-grand-perigueux").splitlines()
    columns = dict(zip(header.split(";"), rows[0].split(";")))
    assert (columns["nouveaux clients"], columns["intervenant sous 72 h"], columns["part sous 72 h (%)"]) == \
        ("3", "1", "33")
