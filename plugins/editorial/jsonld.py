"""schema.org structured data, as one compact JSON-LD graph per page.

Every page describes AAI (Organization); the home page adds the site (WebSite, with its search);
an association's page adds the association (LocalBusiness: address, phone, geo, the
communes it serves); a news item adds a NewsArticle and, for a fair or an open day, an Event.
Templates call the ``jsonld`` Jinja global from ``_jsonld.html``.
"""

from __future__ import annotations

import json
import logging

from markupsafe import Markup

logger = logging.getLogger(__name__)

CONTEXT = "https://schema.org"


def _base(site, base: str | None) -> str:
    """The build's public address (PUBLIC_URL); production's when called without one (tests)."""
    return (base or site.settings.site_url).rstrip("/")


def _address(street: str, postal_code: str, locality: str) -> dict:
    return {"@type": "PostalAddress", "streetAddress": street, "postalCode": postal_code,
            "addressLocality": locality, "addressCountry": "FR"}


def organization(site, base: str | None = None) -> dict:
    settings, network = site.settings, site.settings.network
    commune = site.reference.communes.get(network.commune)
    base = _base(site, base)
    return {
        "@type": "Organization", "@id": f"{base}/#aai", "name": network.name, "url": f"{base}/",
        "email": network.email, "telephone": network.phone.e164,
        "address": _address(network.address, network.postal_code, commune.name if commune else ""),
        "contactPoint": {"@type": "ContactPoint", "telephone": settings.regional_phone.e164,
                         "contactType": "customer service", "availableLanguage": "fr",
                         "description": settings.regional_phone_hours},
    }


def website(site, base: str | None = None) -> dict:
    base = _base(site, base)
    return {
        "@type": "WebSite", "@id": f"{base}/#site", "name": site.settings.site_name,
        "url": f"{base}/", "inLanguage": "fr", "publisher": {"@id": f"{base}/#aai"},
        "potentialAction": {"@type": "SearchAction",
                            "target": f"{base}/recherche/?q={{search_term_string}}",
                            "query-input": "required name=search_term_string"},
    }


def association_id(site, association, base: str | None = None) -> str:
    return f"{_base(site, base)}/{association.url}#association"


def local_business(site, association, base: str | None = None) -> dict:
    base = _base(site, base)
    communes = site.reference.communes
    served = sorted((communes[insee] for insee in association.zone if insee in communes),
                    key=lambda c: c.insee)
    data = {
        "@type": "LocalBusiness", "@id": association_id(site, association, base),
        "name": association.name, "url": f"{base}/{association.url}",
        "telephone": association.phone.e164, "email": association.email,
        "address": _address(association.address, association.postal_code, association.commune.name),
        "geo": {"@type": "GeoCoordinates", "latitude": association.latitude,
                "longitude": association.longitude},
        "parentOrganization": {"@id": f"{base}/#aai"},
        "knowsAbout": [service.name for service in association.services],
        "areaServed": [{"@type": "City", "name": c.name, "identifier": c.insee} for c in served],
    }
    if association.website:
        data["sameAs"] = association.website
    return data


def news_article(site, article, base: str | None = None) -> list[dict]:
    base = _base(site, base)
    url = f"{base}/{article.url}"
    data = {
        "@type": "NewsArticle", "@id": f"{url}#article", "headline": article.title,
        "url": url, "mainEntityOfPage": url, "inLanguage": "fr",
        "datePublished": article.date.isoformat(),
        "author": {"@id": f"{base}/#aai"}, "publisher": {"@id": f"{base}/#aai"},
    }
    modified = getattr(article, "modified", None)
    if modified:
        data["dateModified"] = modified.isoformat()
    featured = getattr(article, "featured_ai", None)
    if featured is not None:
        data["about"] = {"@id": association_id(site, featured, base)}
    graph = [data]
    start = getattr(article, "event_start", None)
    if start is not None:
        event = {
            "@type": "Event", "name": article.title, "url": url, "startDate": start.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "organizer": {"@id": f"{base}/#aai"},
        }
        end = getattr(article, "event_end_day", None)
        if end is not None:
            event["endDate"] = end.isoformat()
        place = getattr(article, "event_place", None)
        if place:
            event["location"] = {"@type": "Place", "name": place, "address": place}
        graph.append(event)
    return graph


def graph(site, association=None, article=None, home: bool = False, base: str | None = None) -> dict:
    nodes = [organization(site, base)]
    if home:
        nodes.append(website(site, base))
    if association is not None:
        nodes.append(local_business(site, association, base))
    if article is not None:
        nodes.extend(news_article(site, article, base))
    return {"@context": CONTEXT, "@graph": nodes}


def render(site, association=None, article=None, home: bool = False, base: str | None = None) -> Markup:
    """The graph as JSON safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(graph(site, association, article, home, base), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
