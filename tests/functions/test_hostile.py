"""Hostile inputs: each gets a 4xx with a French message, and nothing is stored or sent — never a 500."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from support_functions import ORIGIN, demande_fields, plain, rappel_fields

INJECTION = "\r\nBcc: victime@example.org"
FRENCH = re.compile(r"[éèàçêùô]|\b(le|la|les|de|du|des|un|une|votre|vos|ce|ces|au|est)\b", re.IGNORECASE)


def form(path, fields, as_json=False):
    return path, fields, as_json


def raw(path, body: bytes, content_type: str | None, accept_json=True):
    headers = {"Origin": ORIGIN}
    if content_type:
        headers["Content-Type"] = content_type
    if accept_json:
        headers["Accept"] = "application/json"
    return path, (body, headers), None


def with_crlf(path, builder, name):
    base = builder()
    value = base.get(name) or "x"
    if isinstance(value, list):
        value = [value[0] + INJECTION]
    else:
        value = value + INJECTION
    return form(path, builder(**{name: value}), as_json=name in ("nom", "email"))


CASES = {
    # CR/LF in every single-line field (headers are the target)
    **{f"crlf-demande-{name}": with_crlf("/demande", demande_fields, name) for name in (
        "association", "nom", "telephone", "email", "commune", "origine", "consentement", "adresse", "services",
        "date_debut", "frequence", "heures", "jours", "creneaux")},
    **{f"crlf-rappel-{name}": with_crlf("/rappel", rappel_fields, name) for name in (
        "mode_contact", "disponibilites")},
    "crlf-idempotence": form("/demande", demande_fields(idempotence="abcdefgh12\r\nX-Evil: 1"), True),
    # HTML and script
    "html-nom": form("/demande", demande_fields(nom="<script>alert(1)</script>"), True),
    "html-adresse": form("/demande", demande_fields(adresse="<img src=x onerror=alert(1)>")),
    "html-description": form("/demande", demande_fields(description="Bonjour <script>fetch('//x')</script>")),
    "html-message": form("/rappel", rappel_fields(message='<a href="https://evil.example.com">cliquez</a>'), True),
    "html-association": form("/demande", demande_fields(association="<script>"), True),
    "html-commune": form("/demande", demande_fields(commune="<b>1</b>"), True),
    "html-heures": form("/demande", demande_fields(heures="<b>3</b>"), True),
    # oversize
    "body-17k": raw("/demande", urllib.parse.urlencode(demande_fields(description="a" * 17000)).encode(),
                    "application/x-www-form-urlencoded"),
    "nom-101": form("/demande", demande_fields(nom="A" * 101), True),
    "adresse-201": form("/demande", demande_fields(adresse="1" + " rue" * 50), True),
    "description-3001": form("/demande", demande_fields(description="é" * 3001), True),
    "message-1001": form("/rappel", rappel_fields(message="m" * 1001), True),
    "email-300": form("/rappel", rappel_fields(email="a" * 290 + "@example.org"), True),
    "too-many-fields": raw("/rappel", "&".join(f"f{i}=x" for i in range(300)).encode(),
                           "application/x-www-form-urlencoded"),
    "too-many-services": form("/demande", demande_fields(services=["menage"] * 50), True),
    # null bytes and control characters
    "null-nom": form("/demande", demande_fields(nom="Jeanne\x00Martin"), True),
    "null-description": form("/demande", demande_fields(description="a\x00b")),
    "null-urlencoded": raw("/rappel", b"nom=Paul%00&association=aai&telephone=0536491234&consentement=oui",
                           "application/x-www-form-urlencoded"),
    "null-json-message": form("/rappel", rappel_fields(message="fin\u0000"), True),
    "escape-nom": form("/demande", demande_fields(nom="Jeanne\x1b[31m Martin"), True),
    "bell-adresse": form("/demande", demande_fields(adresse="4 rue\x07 Guadet"), True),
    "backspace-message": form("/rappel", rappel_fields(message="ok\x08\x08ko"), True),
    # unknown recipient
    "unknown-ai": form("/demande", demande_fields(association="ai-inconnue"), True),
    "aai-on-demande": form("/demande", demande_fields(association="aai"), True),
    "missing-ai": form("/rappel", rappel_fields(association=None), True),
    "email-as-ai": form("/rappel", rappel_fields(association="evil@example.com"), True),
    # commune
    "commune-outside-zone": form("/demande", demande_fields(commune="24322"), True),
    "commune-unserved": form("/demande", demande_fields(commune="40192")),
    "commune-unknown": form("/demande", demande_fields(commune="99999"), True),
    "commune-malformed": form("/demande", demande_fields(commune="3339"), True),
    "commune-missing": form("/demande", demande_fields(commune=None), True),
    "rappel-commune-outside-zone": form("/rappel", rappel_fields(commune="33243"), True),
    # consent
    "consent-missing": form("/demande", demande_fields(consentement=None), True),
    "consent-non": form("/rappel", rappel_fields(consentement="non")),
    # phone and e-mail
    "phone-short": form("/demande", demande_fields(telephone="12345"), True),
    "phone-foreign": form("/demande", demande_fields(telephone="+44 20 7946 0958"), True),
    "phone-letters": form("/rappel", rappel_fields(telephone="zéro-six"), True),
    "email-no-at": form("/demande", demande_fields(email="jeanne.martin"), True),
    "email-two-at": form("/demande", demande_fields(email="a@b@example.org"), True),
    "email-unicode-local": form("/rappel", rappel_fields(email="jéanne@example.org"), True),
    "email-display-name": form("/rappel", rappel_fields(email="Evil <evil@example.com>"), True),
    "no-phone-no-email": form("/demande", demande_fields(telephone=None, email=None), True),
    "mode-email-without-email": form("/rappel", rappel_fields(mode_contact="email", email=None), True),
    "mode-sms-landline": form("/rappel", rappel_fields(mode_contact="sms", telephone="05 36 49 12 34"), True),
    # content type
    "type-text-plain": raw("/demande", b"nom=x", "text/plain"),
    "type-multipart": raw("/demande", b"--b\r\n\r\n--b--", "multipart/form-data; boundary=b"),
    "type-xml": raw("/rappel", b"<nom>x</nom>", "application/xml"),
    "type-none": raw("/rappel", b"nom=x", None),
    "type-latin1": raw("/rappel", "nom=Hél".encode("latin-1"), "application/x-www-form-urlencoded; charset=latin-1"),
    # unexpected fields
    "field-admin": form("/demande", demande_fields(admin="1"), True),
    "field-to": form("/rappel", rappel_fields(to="evil@example.com"), True),
    "field-brackets": form("/rappel", {**rappel_fields(), "association[]": "aai"}),
    "field-repeated": form("/demande", demande_fields(nom=["Jeanne Martin", "Autre Nom"])),
    # Unicode tricks
    "bidi-nom": form("/demande", demande_fields(nom="\u202eJeanne Martin"), True),
    "bidi-adresse": form("/demande", demande_fields(adresse="4 rue \u2067Guadet\u2069"), True),
    "bidi-description": form("/demande", demande_fields(description="ok \u202d fin"), True),
    "line-separator-nom": form("/demande", demande_fields(nom="Jeanne\u2028Martin"), True),
    "private-use-nom": form("/rappel", rappel_fields(nom="Paul \ue000"), True),
    "digits-in-nom": form("/rappel", rappel_fields(nom="Paul 06 12 34 56 78"), True),
    # malformed JSON
    "json-truncated": raw("/demande", b'{"nom": "x"', "application/json"),
    "json-array": raw("/demande", b"[]", "application/json"),
    "json-string": raw("/rappel", b'"nom"', "application/json"),
    "json-null": raw("/rappel", b"null", "application/json"),
    "json-duplicate-keys": raw("/rappel", b'{"association": "aai", "association": "ai-libournais"}',
                               "application/json"),
    "json-deep": raw("/rappel", b"[" * 8000 + b"]" * 8000, "application/json"),
    "json-bad-utf8": raw("/rappel", b'{"nom": "\xff\xfe"}', "application/json"),
    "json-empty": raw("/rappel", b"", "application/json"),
    # non-string JSON values
    "json-number": form("/demande", demande_fields(heures=3), True),
    "json-bool": form("/rappel", rappel_fields(consentement=True), True),
    "json-null-value": form("/rappel", rappel_fields(nom=None) | {"nom": None}, True),
    "json-list-of-numbers": form("/demande", demande_fields(services=[1, 2]), True),
    "json-object": form("/rappel", rappel_fields(nom={"first": "Paul"}), True),
    # values outside the lists
    "service-unknown": form("/demande", demande_fields(services=["plomberie"]), True),
    "service-not-offered": form("/demande", demande_fields(services=["garde-enfants"]), True),
    "frequence-unknown": form("/demande", demande_fields(frequence="quotidienne"), True),
    "jour-dimanche": form("/demande", demande_fields(jours=["dimanche"]), True),
    "creneau-nuit": form("/demande", demande_fields(creneaux=["nuit"]), True),
    "disponibilite-unknown": form("/rappel", rappel_fields(disponibilites=["dimanche-matin"]), True),
    "heures-zero": form("/demande", demande_fields(heures="0"), True),
    "heures-201": form("/demande", demande_fields(heures="201"), True),
    "heures-text": form("/demande", demande_fields(heures="trois"), True),
    "date-impossible": form("/demande", demande_fields(date_debut="2027-02-30"), True),
    "date-words": form("/demande", demande_fields(date_debut="demain"), True),
    "origine-unknown": form("/rappel", rappel_fields(origine="tiktok"), True),
    "idempotence-short": form("/demande", demande_fields(idempotence="abc"), True),
    "mode-unknown": form("/rappel", rappel_fields(mode_contact="pigeon"), True),
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_is_refused_in_french(client, local, case):
    path, payload, as_json = CASES[case]
    if as_json is None:
        body, headers = payload
        reply = client.request("POST", path, body, headers)
    else:
        reply = client.post(path, payload, as_json=as_json)

    assert 400 <= reply.status < 500, (reply.status, reply.text)
    if reply.headers["content-type"].startswith("application/json"):
        data = reply.json()
        assert data["ok"] is False and FRENCH.search(data["message"])
        for message in data["errors"].values():
            assert FRENCH.search(message), message
    else:
        assert '<html lang="fr">' in reply.text and FRENCH.search(reply.text)
        assert "<script" not in reply.text and "<img" not in reply.text
    assert local.rows() == [], "nothing may be stored"
    assert local.messages() == [], "nothing may be sent"
    assert local.mailer.calls == 0


@pytest.mark.parametrize("case", ["html-nom", "html-association", "field-to", "crlf-demande-nom"])
def test_refusals_are_also_french_pages_without_javascript(client, local, case):
    path, payload, _ = CASES[case]
    reply = client.post(path, payload, as_json=False)
    assert reply.status == 400 and reply.headers["content-type"].startswith("text/html")
    assert "Votre demande n'a pas pu être envoyée" in plain(reply.text)
    assert "<script" not in reply.text and "evil@example.com" not in reply.text


def test_crlf_in_free_text_stays_in_the_body(client, local):
    """Multi-line fields may hold line breaks: they must never become headers."""
    reply = client.post("/demande", demande_fields(description="Bonjour" + INJECTION + "\r\nSubject: piège"),
                        as_json=True)
    assert reply.status == 200
    for msg in local.messages():
        assert msg["Bcc"] is None and "piège" not in str(msg["Subject"])
        assert all("victime" not in str(value) for value in msg.values())
    assert local.rows()[0]["data"]["description"].startswith("Bonjour\nBcc: victime")
