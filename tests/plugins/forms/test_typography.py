"""French spacing in the form pages: a non-breaking space before « : ; ? ! », never a doubled one."""

from __future__ import annotations

import re

DOUBLED = re.compile(r" (?:\u00a0|&nbsp;)|(?:\u00a0|&nbsp;) ")
PLAIN = re.compile(r"[^\s] [:;?!](?:\s|<|$)")


def pages(site_data):
    yield "rappel/index.html"
    for ai in site_data.associations:
        yield f"{ai.url}demande/index.html"
        yield f"{ai.url}rappel/index.html"
        yield f"{ai.url}demande-pro/index.html"


def test_no_doubled_or_breakable_space_before_punctuation(built_site, site_data):
    for path in pages(site_data):
        html = re.sub(r"<script\b.*?</script>", "", (built_site / path).read_text("utf-8"), flags=re.S)
        for pattern in (DOUBLED, PLAIN):
            match = pattern.search(html)
            assert not match, (path, html[max(0, match.start() - 30):match.end() + 10])


def test_help_texts_use_one_non_breaking_space(built_site, site_data):
    ai = site_data.associations[0]
    demande = (built_site / f"{ai.url}demande/index.html").read_text("utf-8")
    assert "Par exemple\u00a0: 06 12 34 56 78." in demande
    assert "Par exemple\u00a0: surface à entretenir" in demande
    assert "Entre 1 et 200 heures\u00a0; une estimation suffit." in demande
    regional = (built_site / "rappel/index.html").read_text("utf-8")
    assert "votre commune\u00a0? Laissez vos coordonnées\u00a0: la cellule" in regional
