"""The phone cell's week (issue 24, item 6; AXE 9 « suivi hebdomadaire »): a small story of requests counted in
the ISO week it happened, Paris time — received Monday, escalated Wednesday, re-routed Thursday, called back
Friday; the week page for the cell only; the Monday e-mail to the cell, once, from the office's opening."""

from __future__ import annotations

import datetime

import pytest

from support_backoffice import AI_A, OPERATOR, sign_in
from support_functions import Local, bodies, functions_app, plain, rappel_fields
from chalicelib.requests import actions
from chalicelib.jobs import schedule as jobs
from chalicelib.requests import lifecycle
from chalicelib.reports.week import cell_week
from rules.dates import PARIS, week_bounds, week_of

GP, LIB = "ai-grand-perigueux", "ai-libournais"
CELL = lifecycle.actor("cell", "claire")
WEEK = "2026-S45"   # Monday 2 to Sunday 8 November 2026


def at(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=PARIS).timestamp())


def submit(local, when: int, name: str) -> str:
    local.service.clock = lambda: when
    fields = {k: v if isinstance(v, list) else [v] for k, v in rappel_fields(nom=name).items()}
    return local.service.submit("rappel", fields, f"192.0.2.{when % 250}").reference


def act(local, when: int, do, ref: str, *args):
    local.service.clock = lambda: when
    return do(local.service, local.service.store.get(ref), *args)


def handle(local, when: int, ref: str, ai: str):
    details = {"outcome": "client", "reason": None, "orientation": None, "first_visit": None}
    return act(local, when, actions.handle, ref, lifecycle.actor("ai", ai), details)


@pytest.fixture
def story(tmp_path):
    """Sunday night (the week before): one request, called back on Tuesday. Monday: one, which Grand Périgueux
    says is not for it on Wednesday; the cell re-routes it to the Libournais on Thursday, which calls back on
    Friday. The next Monday morning: one more, of the next week."""
    local = Local(tmp_path, rate_limit=10_000)
    earlier = submit(local, at(2026, 11, 1, 20, 0), "Paul Dubreuil")
    handle(local, at(2026, 11, 3, 11, 0), earlier, GP)
    monday = submit(local, at(2026, 11, 2, 10, 0), "Odette Lamarque")
    act(local, at(2026, 11, 4, 10, 0), actions.escalate, monday, "not_ours", lifecycle.actor("ai", GP))
    act(local, at(2026, 11, 5, 14, 0), actions.reroute, monday, LIB, CELL)
    handle(local, at(2026, 11, 6, 16, 0), monday, LIB)
    submit(local, at(2026, 11, 9, 8, 0), "Jean Laborde")
    return local


def test_iso_weeks_in_paris_time():
    assert week_of(at(2026, 11, 2, 0, 0)) == WEEK                # Monday, midnight in Paris (Sunday 23:00 UTC)
    assert week_of(at(2026, 11, 1, 23, 59)) == "2026-S44"
    assert week_bounds(WEEK) == (at(2026, 11, 2, 0, 0), at(2026, 11, 9, 0, 0))
    assert week_of(at(2027, 1, 1, 12, 0)) == "2026-S53"          # ISO: the week of Thursday 31 December


def test_the_week_counts_each_event_in_the_week_it_happened_for_the_ai_holding_the_request(story):
    week = cell_week(story.service, WEEK)
    gp, lib = week.line(GP), week.line(LIB)
    assert (gp.received, gp.called_back, dict(gp.escalations), gp.rerouted) == (1, 1, {"not_ours": 1}, 0)
    assert (lib.received, lib.called_back, dict(lib.escalations), lib.rerouted) == (0, 1, {}, 1)
    region = week.region
    assert (region.received, region.called_back, region.escalated, region.rerouted) == (1, 2, 1, 1)
    others = [line for line in week.lines if line.id not in (GP, LIB)]
    assert others and not any(line.busy for line in others)
    before, after = cell_week(story.service, "2026-S44"), cell_week(story.service, "2026-S46")
    assert (before.region.received, before.region.called_back) == (1, 0)       # Sunday night's request
    assert (after.region.received, after.region.escalated) == (1, 0)           # next Monday's


def story_name(local, ai_id: str) -> str:
    return local.service.routing.recipient(ai_id).name


@pytest.fixture
def app_on(story):
    story.service.clock = lambda: at(2026, 11, 10, 10, 0)
    functions_app.set_service(story.service)
    yield story
    functions_app.set_service(None)


def test_the_week_page_is_the_cells_and_not_an_ais(app_on, client):
    cell = sign_in(client, app_on, OPERATOR)
    reply = cell.get(f"/espace/semaine?semaine={WEEK}")
    assert reply.status == 200
    text = plain(reply.text)
    assert "semaine du 2 au 8 novembre 2026" in text
    gp = story_name(app_on, GP)
    assert f'<th scope="row">{gp}</th><td>1</td><td>0</td><td>1</td><td>1</td>' in text
    assert "« pas pour nous » de l'association : 1" in text
    assert "semaine=2026-S44" in text and "semaine=2026-S46" in text
    assert cell.get("/espace/semaine").status == 200                      # this week
    assert cell.get("/espace/semaine?semaine=2026-S47").status == 400     # to come
    assert cell.get("/espace/semaine?semaine=2025-S53").status == 400     # 2025 has 52 weeks
    assert cell.get("/espace/semaine?semaine=novembre").status == 400
    assert sign_in(client, app_on, AI_A).get(f"/espace/semaine?semaine={WEEK}").status == 403


def summaries(local) -> list:
    return [m for m in local.messages(everything=True) if "semaine de la cellule" in m["Subject"]]


def test_the_monday_summary_reaches_the_cell_once_from_nine(story):
    for when in (at(2026, 11, 8, 20, 0), at(2026, 11, 9, 0, 30), at(2026, 11, 9, 8, 45)):   # Sunday, night
        assert "week_summaries" not in jobs.tick(story.service, when)
    assert summaries(story) == []
    assert jobs.tick(story.service, at(2026, 11, 9, 9, 5))["week_summaries"] == 1
    assert "week_summaries" not in jobs.tick(story.service, at(2026, 11, 9, 9, 20))    # not twice
    assert "week_summaries" not in jobs.tick(story.service, at(2026, 11, 10, 9, 5))    # nor on Tuesday
    [message] = summaries(story)
    assert message["To"].addresses[0].addr_spec == story.service.routing.network.email
    text, html = (plain(body) for body in bodies(message))
    assert "semaine du 2 au 8 novembre 2026" in message["Subject"]
    assert "demandes reçues : 1 (dont 0 par la cellule téléphonique)" in text
    assert "rappelées (marquées traitées) : 2" in text
    assert "transmises à la cellule : 1 (" in text
    assert "réorientées par la cellule : 1" in text
    assert "https://api.example.org/espace/semaine?semaine=2026-S45" in text
    assert "https://api.example.org/espace/semaine?semaine=2026-S45" in html


def test_the_summary_waits_for_the_opening_after_a_public_holiday(story):
    """Monday 1 November 2027 is All Saints' Day: the summary goes on Tuesday, still about the week before."""
    assert "week_summaries" not in jobs.tick(story.service, at(2027, 11, 1, 10, 0))
    assert jobs.tick(story.service, at(2027, 11, 2, 9, 0))["week_summaries"] == 1
    [message] = summaries(story)
    assert "semaine du 25 au 31 octobre 2027" in message["Subject"]
