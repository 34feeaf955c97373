"""Sponsorship (issue 25, item 5): once an association records a household as its client, the household's next
message — the satisfaction questions — offers the association's page with the source « parrainage »; a neighbour
who comes by it sends a request that stores that source, and the monthly report counts it per source. Local
backends (SQLite, outbox), the clock moved, never slept."""

from __future__ import annotations

import re
import urllib.parse

from support_functions import ORIGIN, bodies, plain, rappel_fields
from test_mission import HOUSEHOLD, THURSDAY, World, at
from test_satisfaction import QUESTIONS, client_with_first_mission, post, welcome_links
from chalicelib import sponsorship
from chalicelib.reports.formats import report_csv, report_text
from chalicelib.reports.request_figures import monthly_report

SPONSOR_URL = f"{ORIGIN}/association/ai-grand-perigueux/?source=parrainage"


def household_texts(world: World) -> list[str]:
    return [plain(bodies(m)[0]) + plain(bodies(m)[1]) for m in world.messages()
            if m["To"].addresses[0].addr_spec == HOUSEHOLD]


def test_the_link_is_offered_only_once_the_household_became_a_client(client, tmp_path):
    world = World(client, tmp_path)
    ref = world.submit(THURSDAY, mode_contact="telephone")
    record = world.service.store.get(ref)
    assert sponsorship.link(record, world.service.routing, ORIGIN) is None, "not a client yet"
    assert household_texts(world) and not any("parrainage" in text for text in household_texts(world))
    assert sponsorship.link({**record.to_item(), "outcome": "sans-suite"}, world.service.routing, ORIGIN) is None

    client_with_first_mission(world, nom="Anne Lafon")
    assert not any("parrainage" in text for text in household_texts(world)), "the client's outcome sends nothing"
    world.tick(QUESTIONS)
    question = world.messages()[-1]
    assert "Votre avis" in str(question["Subject"])
    text, html = plain(bodies(question)[0]), bodies(question)[1]
    assert "Recommandez Association intermédiaire du Grand Périgueux à un voisin" in text
    assert SPONSOR_URL in text and f'href="{SPONSOR_URL}"' in html
    # Built from the configuration, never from a request's headers: the site's origin, the routing table's page.
    assert ORIGIN == world.service.settings.site_origin

    # Answered from the page (the SMS households saw no e-mail): the thank-you offers it too, a happy answer only.
    choices = welcome_links(question)
    world.now(at(2027, 5, 24, 11))
    reply = post(world, choices["5"], accueil="5", suivi="5")
    assert reply.status == 200 and f'href="{SPONSOR_URL}"' in reply.text


def test_a_request_by_the_sponsorship_link_stores_its_source_and_is_counted(client, tmp_path):
    world = World(client, tmp_path)
    client_with_first_mission(world)
    world.tick(QUESTIONS)
    url = re.search(r"https://\S+source=parrainage", plain(bodies(world.messages()[-1])[0])).group(0)
    source = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))["source"]

    world.now(at(2027, 5, 25, 10))
    reply = client.post("/rappel", rappel_fields(nom="Lucie Voisin", email="lucie.voisin@example.org",
                                                 telephone="06 98 76 54 32", source=source), as_json=True)
    assert reply.status == 200, reply.text
    neighbour = world.service.store.get(reply.json()["reference"])
    assert neighbour.data["source"] == "parrainage"

    report = monthly_report(world.service, "2027-05")
    assert report.region.sources == {"parrainage": 1}
    assert report.line("ai-grand-perigueux").sources["parrainage"] == 1
    assert "Parrainage : 1 contact, 0 client (0 %)" in report_text(report, world.service.routing)
    assert "provenance mesurée : Parrainage" in report_csv(report, world.service.routing)
