"""Sponsorship (parrainage, issue 25, item 5): a household that became a client is the best prescriber there is
(word of mouth brings most contacts), so its next message — the satisfaction questions after the first mission —
offers a link to recommend the association to a neighbour: the association's public page, carrying the measured
source « parrainage » (rules/sources.py). A request that arrives by it stores that source like any other link's,
and the monthly report counts it per source.

The link is built from the configuration (the site's origin) and the routing table (the association's page), never
from a request's headers; it is offered only once an association recorded the household as its client.
"""

from __future__ import annotations

from rules.sources import with_source

from ..requests.enums import Outcome
from ..requests.model import Item
from ..routing import Routing

SOURCE = "parrainage"   # one of rules.sources.FIXED_SOURCES


def link(record: Item, routing: Routing, site_origin: str) -> str | None:
    """The association's page with the sponsorship source, or None: not (yet) a client, or no association's page
    to recommend (the regional network holds the request)."""
    if record.get("outcome") != Outcome.CLIENT:
        return None
    ai = routing.associations.get(str(record.get("association") or ""))
    if ai is None:
        return None
    return with_source(ai.page_url(site_origin), SOURCE)
