"""SMS to households who do not live online (issue 26, item 1): the GSM-7 rules, the acknowledgement text, and
the sending against moto's SNS in server mode — one SMS with the reference, none at night, the monthly budget
stops sending and alerts AAI, a refused SMS escalates the request to the cell."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import replace

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from rules.dates import PARIS
from rules.sms import is_gsm7, segments
from support_functions import ROUTING, Local, functions_app, rappel_fields, ses_messages
from chalicelib.web import aws
from chalicelib.jobs import schedule as jobs
from chalicelib.config import Settings
from chalicelib.routing import load_routing
from chalicelib.sms import sending, texts
from chalicelib.sms.senders import OutboxSms, PermanentSmsError, SmsError, SnsSms

MOBILE, MOBILE_E164 = "06 12 34 56 78", "+33612345678"
CELL = "cellule@aai-aquitaine.example.org"


def at(*args) -> float:
    return datetime.datetime(*args, tzinfo=PARIS).timestamp()


TUESDAY_10H = at(2026, 11, 24, 10)
FRIDAY_NIGHT = at(2026, 11, 20, 21, 30)


def sent_sms(region: str = "eu-west-3") -> list[tuple[str, str]]:
    """What moto's SNS accepted, in order: moto's server runs in this process (scripts/benchmarking), so its
    backend is read directly (its /moto-api/data.json leaves SMS out)."""
    return list(sns_backends[DEFAULT_ACCOUNT_ID][region].sms_messages.values())


def without_email(**changes) -> dict:
    """A household with a mobile and no e-mail, reached by phone: the SMS is its only written trace."""
    return rappel_fields(email=None, mode_contact="telephone", telephone=MOBILE, **changes)


# --- the texts -----------------------------------------------------------------------------------------------

def test_every_acknowledgement_fits_one_gsm7_sms_with_the_reference_and_the_ais_phone():
    routing = load_routing(ROUTING)
    deadline = datetime.date(2026, 12, 8)
    for ai in [*routing.associations.values(), routing.network]:
        text = texts.acknowledgement("AI-20261206-7K3M9Q", ai.name, ai.phone, deadline)
        assert is_gsm7(text) and len(text) <= 160 and segments(text) == 1, text
        assert text.startswith("AAI : demande AI-20261206-7K3M9Q recue.") and "8 décembre" in text
        if ai.phone:
            assert ai.phone.display in text


@pytest.mark.parametrize("by_reply", [False, True])
@pytest.mark.parametrize("origin", ["https://api.example.org",
                                    "https://a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com/api"])
def test_the_followup_question_fits_one_sms_even_from_an_api_gateway_address(origin, by_reply):
    """Without a custom domain the short link is API Gateway's (60 characters before /r/): still one segment."""
    text = texts.followup("AI-20261206-7K3M9Q", f"{origin}/r/yv5yqczq", by_reply=by_reply)
    assert is_gsm7(text) and segments(text) == 1, text
    assert "AI-20261206-7K3M9Q" in text and text.endswith(f"{origin}/r/yv5yqczq") and "rappel" in text
    assert ("NON" in text) == by_reply


def test_the_opt_out_mention_is_added_only_when_it_costs_no_segment():
    assert texts.with_opt_out("a" * 100).endswith(texts.OPT_OUT)
    assert texts.with_opt_out("a" * 150) == "a" * 150


def test_the_settings_read_the_budget_and_the_price_as_euros():
    settings = Settings.from_env({"AAI_SMS": "sns", "AAI_SMS_MONTHLY_BUDGET": "12,5",
                                  "AAI_SMS_PRICE_PER_SEGMENT": "0.0625"})
    assert settings.sms == "sns" and sending.monthly_segments(settings) == 200
    with pytest.raises(ValueError):
        Settings.from_env({"AAI_SMS": "carrier-pigeon"})


# --- sending against moto's SNS ------------------------------------------------------------------------------

def test_a_household_with_a_mobile_and_no_email_gets_one_sms_with_its_reference(client, aws, aws_env):
    aws.clock = lambda: TUESDAY_10H
    reply = client.post("/rappel", without_email(), as_json=True)
    assert reply.status == 200, reply.text
    ref = reply.json()["reference"]
    [(phone, text)] = sent_sms()
    assert phone == MOBILE_E164 and ref in text and segments(text) == 1
    assert text == f"AAI : demande {ref} recue. Association intermédiaire du Grand Périgueux vous rappelle au " \
                   "plus tard le 26 novembre ; son numéro : 05 36 49 10 11."   # the weekday did not fit
    assert [e.kind for e in aws.trail(ref)] == ["received", "sent", "sms_sent"]
    assert aws.store.get(ref)["sms_sent_at"] == int(TUESDAY_10H)
    assert "sms" not in jobs.tick(aws, TUESDAY_10H + 3600) and len(sent_sms()) == 1   # once only


def test_a_household_with_an_email_who_did_not_choose_sms_gets_none(client, aws, aws_env):
    aws.clock = lambda: TUESDAY_10H
    ref = client.post("/rappel", rappel_fields(mode_contact="telephone"), as_json=True).json()["reference"]
    assert sent_sms() == [] and [e.kind for e in aws.trail(ref)] == ["received", "sent", "acknowledged"]


def test_no_sms_at_night_nor_on_a_day_off_it_leaves_at_the_offices_opening(client, aws, aws_env):
    aws.clock = lambda: FRIDAY_NIGHT
    ref = client.post("/rappel", without_email(), as_json=True).json()["reference"]
    assert sent_sms() == [] and aws.store.get(ref)["due"] == "sms"
    assert "sms" not in jobs.tick(aws, at(2026, 11, 21, 11))     # Saturday, day time
    assert "sms" not in jobs.tick(aws, at(2026, 11, 23, 7, 30))  # Monday before the opening
    assert sent_sms() == []
    assert jobs.tick(aws, at(2026, 11, 23, 9, 5)).get("sms") == 1
    [(phone, text)] = sent_sms()
    assert phone == MOBILE_E164 and ref in text


def test_a_refused_sms_is_recorded_like_a_bounce_and_the_request_goes_to_the_cell(client, aws, aws_env):
    """moto's SNS refuses a number that is not E.164 (InvalidParameter), as AWS refuses an invalid or
    opted-out one: the sender maps it to a permanent failure."""

    class Garbled(SnsSms):
        def send(self, phone, text, ref=""):
            return super().send(phone.replace("+33", "0"), text, ref)   # « 0612… »: not E.164

    aws.sms = Garbled("AAI")
    aws.clock = lambda: TUESDAY_10H
    ref = client.post("/rappel", without_email(), as_json=True).json()["reference"]
    record = aws.store.get(ref)
    assert sent_sms() == [] and record["sms_failed_at"] and record["state"] == "escalated"
    assert record["escalation"] == "sms"
    assert [e.kind for e in aws.trail(ref)][-2:] == ["sms_failed", "escalated"]
    sheets = [m for m in ses_messages(aws_env) if CELL in str(m["To"])]
    assert len(sheets) == 1 and "n'a pas pu recevoir le SMS" in str(sheets[0]["Subject"])
    assert jobs.tick(aws, TUESDAY_10H + 3600).get("sms") is None   # not retried


def test_a_temporary_failure_is_tried_again_by_the_tick(client, aws, aws_env):
    class Flaky(SnsSms):
        broken = True

        def send(self, phone, text, ref=""):
            if self.broken:
                raise SmsError("sns: Throttling")
            return super().send(phone, text, ref)

    aws.sms = Flaky("AAI")
    aws.clock = lambda: TUESDAY_10H
    ref = client.post("/rappel", without_email(), as_json=True).json()["reference"]
    assert sent_sms() == [] and aws.store.get(ref)["due"] == "sms" and aws.store.get(ref)["sms_attempts"] == 1
    aws.sms.broken = False
    assert jobs.tick(aws, TUESDAY_10H + 120).get("sms") == 1 and len(sent_sms()) == 1


def test_the_monthly_budget_stops_sending_and_alerts_aai_once_per_level(client, aws, aws_env):
    aws.settings = replace(aws.settings, sms_monthly_budget=0.21, sms_price_per_segment=0.07)   # 3 segments
    aws.clock = lambda: TUESDAY_10H
    refs = [client.post("/rappel", without_email(nom=f"Paul {name}"), as_json=True).json()["reference"]
            for name in ("Aa", "Bb", "Cc", "Dd", "Ee")]
    assert len(sent_sms()) == 3 and [ref in text for ref, (_, text) in zip(refs, sent_sms())] == [True] * 3

    def alerts() -> list[tuple[str, str]]:   # the tick may also send the monthly figures (the real date)
        return [(m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in ses_messages(aws_env, everything=True)
                if str(m["Subject"]).startswith("Budget SMS")]

    assert alerts() == [(CELL, "Budget SMS de 2026-11 : 80 %"), (CELL, "Budget SMS de 2026-11 : atteint")]
    assert aws.store.get(refs[3])["due"] == "sms" and not aws.store.get(refs[3]).get("sms_sent_at")
    jobs.tick(aws, TUESDAY_10H + 3600)
    assert len(sent_sms()) == 3 and len(alerts()) == 2   # still stopped, no new alert
    jobs.tick(aws, at(2026, 12, 1, 10))   # a new month, a new budget
    assert len(sent_sms()) == 5 and len(alerts()) == 2


# --- the local outbox ----------------------------------------------------------------------------------------

def test_make_run_writes_the_sms_beside_the_emails(client, tmp_path):
    local = Local(tmp_path)
    local.service.clock = lambda: TUESDAY_10H
    functions_app.set_service(local.service)
    try:
        ref = client.post("/rappel", without_email(), as_json=True).json()["reference"]
    finally:
        functions_app.set_service(None)
    [file] = (tmp_path / "outbox").glob(f"*-{ref}-*.sms.txt")
    assert file.read_text("utf-8").startswith(f"To: {MOBILE_E164}\nFrom: AAI\n\nAAI : demande {ref} recue.")
    assert not list((tmp_path / "outbox").glob(".*.tmp"))
    assert isinstance(local.service.sms, OutboxSms)
    assert local.service.erase(MOBILE) == 1 and not list((tmp_path / "outbox").glob("*.sms.txt"))   # erasure


def test_sns_refusals_map_to_permanent_failures_and_the_rest_to_retries(aws_env):
    sender = SnsSms("AAI")
    assert sender.send(MOBILE_E164, "Bonjour") and sent_sms() == [(MOBILE_E164, "Bonjour")]
    with pytest.raises(PermanentSmsError):
        sender.send("0612345678", "Bonjour")                      # InvalidParameter: not E.164
    broken = SnsSms("AAI", client=aws.client("sns", endpoint_url="http://127.0.0.1:9"))   # a closed port
    with pytest.raises(SmsError) as raised:
        broken.send(MOBILE_E164, "Bonjour")                       # nobody answers: tried again later
    assert not isinstance(raised.value, PermanentSmsError)


# --- « Avez-vous été recontacté ? » by SMS ----------------------------------------------------------------------

def test_the_followup_question_goes_by_sms_in_office_hours_and_its_link_reaches_the_cell(client, aws, aws_env):
    aws.clock = lambda: TUESDAY_10H
    ref = client.post("/rappel", without_email(suivi="oui"), as_json=True).json()["reference"]
    assert aws.store.get(ref)["followup_wanted"] and len(sent_sms()) == 1
    # three working days later: Friday 27 November; the tick comes back at 19:00, then on Monday morning
    assert "followup" not in jobs.tick(aws, at(2026, 11, 27, 19)) and len(sent_sms()) == 1
    assert aws.store.get(ref)["due"] in ("followup", "escalation", "reminder")
    jobs.tick(aws, at(2026, 11, 30, 9, 5))
    question = sent_sms()[-1][1]
    assert len(sent_sms()) == 2 and question.startswith(f"AAI : l'association vous a-t-elle rappelé pour la "
                                                        f"demande {ref} ? Si non, dites-le ici : https://")
    assert is_gsm7(question) and segments(question) == 1   # the short link (sms/short_links.py)
    short = question.rsplit(" ", 1)[1].removeprefix("https://api.example.org")
    assert re.fullmatch(r"/r/[a-z2-9]{8}", short)
    aws.clock = lambda: at(2026, 11, 30, 9, 10)
    redirect = client.request("GET", short)
    assert redirect.status == 303
    link = redirect.headers["location"].removeprefix("https://api.example.org")
    assert link.startswith(f"/suivi/{ref}?")
    page = client.request("GET", link)
    assert page.status == 200 and "Avez-vous été recontacté" in page.text
    reply = client.post(link.split("?")[0], {"reponse": "non", "sig": link.split("sig=")[1]})
    assert reply.status == 200
    record = aws.store.get(ref)
    assert record["followup_answer"] == "non" and "household" in record["escalations"]


# --- short links and replies (a two-way number) -----------------------------------------------------------

def test_a_short_link_stands_only_for_the_functions_own_links_and_expires_with_them(client, aws, aws_env):
    from chalicelib.sms import short_links
    aws.clock = lambda: TUESDAY_10H
    short = short_links.shorten(aws, "https://api.example.org/suivi/AI-20261124-ABCDEF?sig=x", int(TUESDAY_10H) + 60)
    path = short.removeprefix("https://api.example.org")
    assert client.request("GET", path).headers["location"] == "https://api.example.org/suivi/AI-20261124-ABCDEF?sig=x"
    aws.clock = lambda: TUESDAY_10H + 61
    gone = client.request("GET", path)
    assert gone.status == 404 and "n'est plus valable" in gone.text.replace("\u2019", "'")
    assert client.request("GET", "/r/..%2F..%2Fetc").status == 404
    with pytest.raises(ValueError):
        short_links.shorten(aws, "https://evil.example/", int(TUESDAY_10H) + 60)


def two_way(aws):
    """The service as deployed with a two-way number: SMS leave from it, replies come back on SNS."""
    aws.settings = replace(aws.settings, sms_reply_number="+33644000000")
    aws.sms = SnsSms(aws.settings.sms_sender_id, aws.sms.client, reply_number="+33644000000")
    return aws


def sns_reply(text: str, sender: str = MOBILE_E164, to: str = "+33644000000") -> dict:
    """The Lambda event SNS delivers for one reply (Chalice's on_sns_message handler takes it as is)."""
    message = json.dumps({"originationNumber": sender, "destinationNumber": to, "messageBody": text,
                          "inboundMessageId": "in-1", "messageKeyword": "KEYWORD_123"})
    return {"Records": [{"Sns": {"Message": message, "Subject": "", "TopicArn": "arn:aws:sns:x",
                                 "MessageAttributes": {}}}]}


def test_a_reply_non_answers_the_question_and_reaches_the_cell(client, aws, aws_env):
    from chalicelib.sms.routes import sms_reply
    two_way(aws).clock = lambda: TUESDAY_10H
    ref = client.post("/rappel", without_email(suivi="oui"), as_json=True).json()["reference"]
    assert sms_reply(sns_reply("non"), None) == "ignored: no open question"   # nothing asked yet
    jobs.tick(aws, at(2026, 11, 30, 9, 5))
    question = sent_sms()[-1][1]
    assert "Si non, répondez NON ou dites-le ici : https://api.example.org/r/" in question   # « é » is GSM-7
    assert segments(question) == 1
    assert sms_reply(sns_reply("Non.", to="+33600000000"), None) == "ignored: not our number"
    assert sms_reply(sns_reply("Non, toujours rien"), None) == "answered non"
    record = aws.store.get(ref)
    assert record["followup_answer"] == "non" and "household" in record["escalations"]
    assert sms_reply(sns_reply("NON"), None) == "ignored: no open question"   # answered once


def test_stop_stops_every_sms_to_that_number_and_nothing_else(client, aws, aws_env):
    from chalicelib.sms.routes import sms_reply
    two_way(aws).clock = lambda: TUESDAY_10H
    assert sms_reply(sns_reply("Arrêt"), None) == "opted out"
    before = len(sent_sms())
    ref = client.post("/rappel", without_email(suivi="oui"), as_json=True).json()["reference"]
    record = aws.store.get(ref)
    assert len(sent_sms()) == before and record["sms_failed_at"]          # no SMS, and no retry either
    assert record["state"] in ("sent", "delivered") and not record.get("escalations")   # the AI has it all the same
    other = client.post("/rappel", rappel_fields(email=None, mode_contact="telephone", telephone="06 98 76 54 32",
                                                 nom="Autre"), as_json=True).json()
    assert len(sent_sms()) == before + 1 and aws.store.get(other["reference"])["sms_sent_at"]   # other numbers: yes
    assert sms_reply(sns_reply("Bonjour, je voudrais savoir"), None) == "ignored: not a keyword"


def test_replies_are_ignored_without_a_two_way_number(aws):
    from chalicelib.sms import replies
    reply = replies.Reply.from_sns(json.dumps({"originationNumber": MOBILE_E164, "destinationNumber": "+33644000000",
                                               "messageBody": "STOP"}))
    assert reply is not None and replies.receive(aws, reply) == "ignored: not our number"
    assert not replies.opted_out(aws, MOBILE_E164)
    assert replies.Reply.from_sns("not json") is None and replies.Reply.from_sns('{"messageBody": 3}') is None


def test_sms_from_the_two_way_number_carry_it_as_their_origin(client, aws, aws_env):
    """The publish call as it leaves for SNS (moto keeps the number and the text, not the attributes)."""
    two_way(aws).clock = lambda: TUESDAY_10H
    sent = []
    aws.sms.client.meta.events.register("provide-client-params.sns.Publish", lambda params, **_: sent.append(params))
    client.post("/rappel", without_email(), as_json=True)
    [params] = sent
    assert params["MessageAttributes"]["AWS.MM.SMS.OriginationNumber"]["StringValue"] == "+33644000000"
    assert params["PhoneNumber"] == MOBILE_E164 and sent_sms()[-1][0] == MOBILE_E164
