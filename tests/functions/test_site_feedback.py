"""Issue 26, item 5: « Avez-vous trouvé facilement ? » on the thank-you page — one answer per request, carried by
a signed token, kept with the request, counted in the monthly report; no third party."""

from __future__ import annotations

import urllib.parse

from chalicelib.reports.request_figures import monthly_report
from chalicelib.reports.formats import report_csv, report_text
from chalicelib.site_feedback import feedback
from rules.dates import month_of
from support_functions import demande_fields, plain


def _submitted(client, description: str = "Ménage du salon") -> tuple[str, str]:
    """(reference, token) of a real submission without JavaScript (another description: another request)."""
    reply = client.post("/demande", demande_fields(description=description))
    assert reply.status == 303
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.headers["location"]).query)
    return query["ref"][0], query["avis"][0]


def test_the_thank_you_address_carries_a_token_for_this_request_only(client, local):
    ref, token = _submitted(client)
    secret, now = local.settings.secret, local.service.now()
    assert feedback.signing.unstamp(secret, feedback.PURPOSE, token, now, 3600) == ref
    assert feedback.signing.unstamp(secret, "status", token, now, 3600) is None   # scoped to its purpose
    assert feedback.signing.unseal(secret, feedback.SEALED, token, now, 3600) is None   # not a sealed one either


def test_a_token_sealed_before_tokens_were_stamped_still_records_its_answer(client, local):
    """Thank-you pages shown before the change carry a sealed token (signing.seal) for a week: still honoured."""
    ref, _ = _submitted(client)
    sealed = feedback.signing.seal(local.settings.secret, feedback.SEALED, ref, local.service.now())
    assert client.post("/avis-site", {"jeton": sealed, "reponse": "facilement"}).status == 200
    assert local.rows()[0]["site_feedback"] == "facilement"
    late = feedback.signing.seal(local.settings.secret, feedback.SEALED, ref,
                                 local.service.now() - feedback.TOKEN_DAYS * 86400 - 1)
    reply = client.post("/avis-site", {"jeton": late, "reponse": "difficilement"})
    assert reply.status == 403 and local.rows()[0]["site_feedback"] == "facilement"


def test_an_answer_is_kept_with_the_request_once(client, local):
    ref, token = _submitted(client)
    reply = client.post("/avis-site", {"jeton": token, "reponse": "avec-peine",
                                       "commentaire": "  La carte  est un peu lente.  "})
    assert reply.status == 200 and "Merci pour votre avis" in plain(reply.text)
    [row] = local.rows()
    assert row["ref"] == ref and row["site_feedback"] == "avec-peine" and row["site_feedback_at"]
    [event] = [e for e in local.store.trail(ref) if e.kind == "site_feedback"]
    assert event.details == {"answer": "avec-peine", "comment": "La carte est un peu lente."}
    assert event.actor_kind == "household"

    again = client.post("/avis-site", {"jeton": token, "reponse": "facilement"})
    assert again.status == 409 and "déjà donné votre avis" in plain(again.text)
    assert local.rows()[0]["site_feedback"] == "avec-peine"   # the first answer stands


def test_what_cannot_be_recorded_gets_a_french_answer_and_changes_nothing(client, local):
    ref, token = _submitted(client)
    cases = [
        ({"jeton": token[:-2] + "xx", "reponse": "facilement"}, {}, 403, "n'est plus valable"),
        ({"jeton": token, "reponse": "<script>"}, {}, 400, "Choisissez une réponse"),
        ({"jeton": token, "reponse": "facilement", "commentaire": "x" * 501}, {}, 400, "dépasse 500 caractères"),
        ({"jeton": token, "reponse": "facilement"}, {"Origin": "https://evil.example"}, 403, "depuis le site"),
    ]
    for fields, headers, status, words in cases:
        reply = client.post("/avis-site", fields, headers=headers)
        assert reply.status == status and words in plain(reply.text), (fields, reply.status)
    as_json = client.post("/avis-site", {"jeton": token, "reponse": "facilement"}, as_json=True)
    assert as_json.status == 415   # an HTML form's answer: urlencoded only
    assert "site_feedback" not in local.rows()[0]
    assert not [e for e in local.store.trail(ref) if e.kind == "site_feedback"]


def test_the_token_expires_after_a_week(client, local):
    ref, token = _submitted(client)
    start = local.service.now()
    local.service.clock = lambda: start + feedback.TOKEN_DAYS * 86400 + 1
    reply = client.post("/avis-site", {"jeton": token, "reponse": "facilement"})
    assert reply.status == 403 and "n'est plus valable" in plain(reply.text)


def test_a_robot_s_fake_success_gets_a_token_that_records_nothing(client, local):
    reply = client.post("/demande", demande_fields(website="http://spam.example"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.headers["location"]).query)
    answer = client.post("/avis-site", {"jeton": query["avis"][0], "reponse": "facilement"})
    assert answer.status == 404 and local.rows() == []


def test_the_monthly_report_counts_the_answers(client, local):
    answers = ["facilement", "facilement", "difficilement"]
    for n, answer in enumerate(answers):
        _, token = _submitted(client, f"Ménage, semaine {n}")
        assert client.post("/avis-site", {"jeton": token, "reponse": answer}).status == 200
    _submitted(client, "Repassage")   # no answer: not counted
    month = month_of(local.rows()[0]["created_at"])
    report = monthly_report(local.service, month)
    line = report.line("ai-libournais")
    assert dict(line.site_feedback) == {"facilement": 2, "difficilement": 1} == dict(report.region.site_feedback)
    text = plain(report_text(report, local.service.routing))
    assert "« Avez-vous trouvé facilement ? » (page de remerciement) : « Oui, facilement » 2 ; " \
           "« Oui, mais avec un peu de mal » 0 ; « Non, c'était difficile » 1" in text
    header, *rows = report_csv(report, local.service.routing).lstrip("\ufeff").splitlines()
    column = header.split(";").index("site : Oui, facilement")
    region = next(r for r in rows if ";region;" in r)
    assert region.split(";")[column] == "2"
