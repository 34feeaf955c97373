"""The contract across the wall: the table the build writes is the table the functions read."""

from __future__ import annotations

import json

from chalicelib.routing import Routing

from model.routing import routing_json


def test_the_functions_read_back_what_the_model_says(site_data):
    routing = Routing(json.loads(routing_json(site_data)))
    assert routing.site_name == site_data.settings.site_name
    assert routing.sender == site_data.settings.mail_sender
    assert routing.network.id == "aai" and routing.network.email == site_data.settings.network.forms_email
    assert routing.network.phone == site_data.settings.regional_phone
    for association in site_data.associations:
        contact = routing.recipient(association.id)
        assert (contact.name, contact.email, contact.phone) == (association.name, association.email, association.phone)
        assert contact.services == tuple(s.id for s in association.services)
    for commune in site_data.reference.communes.values():
        assert [c.id for c in routing.serving(commune.insee)] == [a.id for a in site_data.serving(commune.insee)]


def test_the_table_is_the_same_bytes_for_the_same_data(site_data):
    assert routing_json(site_data) == routing_json(site_data)
    assert '"generated"' not in routing_json(site_data)   # no date: an unchanged table is not rewritten
