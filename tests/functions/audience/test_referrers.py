"""How a visit arrived, from its first page's referrer."""

import pytest

from chalicelib.audience.referrers import ArrivalRules, domains_of, registrable_domain

RULES = ArrivalRules(partners=["https://www.gironde.fr", "francetravail.fr"],
                     site_hosts=["www.ai-aquitaine.example.org"])


@pytest.mark.parametrize("referrer, kind, domain", [
    ("", "direct", ""),
    ("https://www.ai-aquitaine.example.org/merci/", "direct", ""),
    ("https://www.google.fr/", "search", "google.fr"),
    ("https://www.google.co.uk/", "search", "google.co.uk"),
    ("https://www.qwant.com/", "search", "qwant.com"),
    ("https://duckduckgo.com/", "search", "duckduckgo.com"),
    ("https://www.bing.com/", "search", "bing.com"),
    ("https://www.ecosia.org/", "search", "ecosia.org"),
    ("https://search.brave.com/", "search", "brave.com"),
    ("https://l.facebook.com/", "social", "facebook.com"),
    ("https://t.co/", "social", "t.co"),
    ("https://www.linkedin.com/", "social", "linkedin.com"),
    ("https://www.gironde.fr/", "partner", "gironde.fr"),
    ("https://candidat.francetravail.fr/", "partner", "francetravail.fr"),
    ("https://www.sudouest.fr/", "other", "sudouest.fr"),
    ("https://mairie-libourne.fr/vie-pratique", "other", "mairie-libourne.fr"),
    ("http://[broken", "direct", ""),
    ("android-app://com.google.android.gm/", "other", "com.google.android.gm"),
])
def test_arrivals_are_classed(referrer, kind, domain):
    arrival = RULES.arrival(referrer, "www.ai-aquitaine.example.org")
    assert (arrival.kind, arrival.domain) == (kind, domain)


def test_the_requests_own_host_is_the_site_even_when_not_configured():
    local = ArrivalRules()
    assert local.arrival("http://localhost:8000/trouver/", "localhost:8000").kind == "direct"


def test_partner_domains_come_from_addresses_or_names():
    assert domains_of(["https://www.nouvelle-aquitaine.fr", "WWW.Dordogne.fr", " "]) == {
        "nouvelle-aquitaine.fr", "dordogne.fr"}
    assert registrable_domain("a.b.example.co.uk") == "example.co.uk"
