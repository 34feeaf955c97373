"""How a visit arrived, from the referrer of its first page: a search engine, directly (no referrer, or the site
itself after a pause), a partner's site, a social network, or another site, named by its domain.

Domains are compared by their registrable part (``www.google.co.uk`` → ``google.co.uk``), found with the Public
Suffix List (``publicsuffixlist``, which ships it). Browsers send only the origin to other sites
(``strict-origin-when-cross-origin``), so the domain is all there is to read, and all the figures keep.

No maintained Python package carries current lists of search engines and social networks (referer-parser's
data stops in 2016: no Qwant, no X, no TikTok), so the few that matter for a French public are named below, by
the registrable name's first label (any country's Google) or by the whole registrable domain.
"""

from __future__ import annotations

import logging
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList

logger = logging.getLogger(__name__)

SEARCH, DIRECT, PARTNER, SOCIAL, OTHER = "search", "direct", "partner", "social", "other"
ARRIVAL_CLASSES = (SEARCH, DIRECT, PARTNER, SOCIAL, OTHER)

SEARCH_ENGINES = frozenset({
    "google", "bing", "qwant", "duckduckgo", "ecosia", "lilo", "startpage", "yandex", "baidu", "ask", "aol",
    "mojeek", "kagi", "yahoo", "brave", "seznam", "naver",   # brave: search.brave.com; yahoo: fr.search.yahoo.com
})
SOCIAL_NETWORKS = frozenset({
    "facebook", "instagram", "linkedin", "twitter", "pinterest", "tiktok", "snapchat", "reddit", "youtube",
    "whatsapp", "nextdoor", "threads", "mastodon", "telegram", "vk", "tumblr", "viadeo",
})
SOCIAL_DOMAINS = frozenset({"t.co", "x.com", "fb.com", "fb.me", "lnkd.in", "youtu.be", "bsky.app", "t.me",
                            "messenger.com", "threads.net", "mastodon.social"})


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    """The Public Suffix List, read on first use (about 40 ms): a cold start that reads no referrer skips it."""
    from publicsuffixlist import PublicSuffixList
    return PublicSuffixList()



@lru_cache(maxsize=16384)
def registrable_domain(host: str) -> str:
    """``candidat.francetravail.fr`` → ``francetravail.fr``; a bare name or an address stays as it is."""
    host = host.lower().strip(".")
    return _suffixes().privatesuffix(host) or host


def host_of(url: str) -> str:
    try:
        return (urllib.parse.urlsplit(url).hostname or "").lower()
    except ValueError:   # a referrer such as "http://[" is noise, not an arrival from anywhere
        return ""


def domains_of(urls_or_domains: Iterable[str]) -> frozenset[str]:
    """Registrable domains of partner sites given as addresses (https://www.gironde.fr) or bare names."""
    found = set()
    for value in urls_or_domains:
        host = host_of(value) if "//" in value else value.strip().lower()
        if host:
            found.add(registrable_domain(host))
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class Arrival:
    kind: str     # one of ARRIVAL_CLASSES
    domain: str   # registrable domain of the referrer; "" for direct arrivals


class ArrivalRules:
    """Classifies referrers; ``partners`` are registrable domains (see ``domains_of``), ``site_hosts`` the names
    of the site itself (a referrer from the site starts a visit only after a pause: a direct arrival)."""

    def __init__(self, partners: Iterable[str] = (), site_hosts: Iterable[str] = ()):
        self.partners = domains_of(partners)
        self.site_hosts = frozenset(host.lower().split(":")[0] for host in site_hosts if host)
        self._classify = lru_cache(maxsize=16384)(self._uncached)

    def arrival(self, referrer: str, request_host: str = "") -> Arrival:
        return self._classify(referrer, request_host.lower().split(":")[0])

    def _uncached(self, referrer: str, request_host: str) -> Arrival:
        host = host_of(referrer) if referrer else ""
        if not host or host == request_host or host in self.site_hosts:
            return Arrival(DIRECT, "")
        if not referrer.startswith(("https://", "http://")):   # android-app://com.example.app/: an app, by its id
            return Arrival(OTHER, host)
        domain = registrable_domain(host)
        label = domain.split(".")[0]
        if domain in self.partners:
            return Arrival(PARTNER, domain)
        if label in SEARCH_ENGINES:
            return Arrival(SEARCH, domain)
        if domain in SOCIAL_DOMAINS or label in SOCIAL_NETWORKS:
            return Arrival(SOCIAL, domain)
        return Arrival(OTHER, domain)
