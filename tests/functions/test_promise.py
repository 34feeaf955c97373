"""A promise in writing (issue 26, item 4): the acknowledgement e-mail, the SMS and the thank-you page say who
calls, by which channel and at the latest on which day — the charter's deadline in working days, one
computation for all three — and what to do if not."""

from __future__ import annotations

import datetime

from rules.dates import PARIS
from support_functions import bodies, demande_fields, plain, rappel_fields
from chalicelib.intake import promise
from chalicelib.sms import sending


def at(*args) -> float:
    return datetime.datetime(*args, tzinfo=PARIS).timestamp()


# Friday 22 May 2026, 20:30; Monday 25 May is Whit Monday (a public holiday): two working days are Tuesday and
# Wednesday, so the promise is « mercredi 27 mai », not Tuesday nor Monday.
FRIDAY_EVENING_BEFORE_WHIT_MONDAY = at(2026, 5, 22, 20, 30)


def submitted(local, client, path: str, fields: dict):
    local.service.clock = lambda: FRIDAY_EVENING_BEFORE_WHIT_MONDAY
    reply = client.post(path, fields, as_json=True)
    assert reply.status == 200, reply.text
    ref = reply.json()["reference"]
    [ack] = [m for m in local.messages() if m["To"].addresses[0].addr_spec == fields["email"]]
    return reply.json(), local.store.get(ref), ack


def test_the_acknowledgement_promises_the_day_the_channel_and_what_to_do_if_not(local, client):
    answer, record, ack = submitted(local, client, "/rappel", rappel_fields(mode_contact="sms"))
    text, html = (plain(b) for b in bodies(ack))
    for body in (text, html):
        assert "Association intermédiaire du Grand Périgueux, qui vous recontactera par SMS au plus tard le " \
               "mercredi 27 mai." in body
        assert "Sans nouvelles d'ici là ?" in body and "05 " in body.split("Sans nouvelles d'ici là ?")[1]
    assert "On ne m'a pas rappelé" in text and "/ma-demande/" in text.split("Sans nouvelles")[0]


def test_the_order_form_promises_a_phone_call(local, client):
    _, _, ack = submitted(local, client, "/demande", demande_fields())
    assert "par téléphone au plus tard le mercredi 27 mai." in plain(bodies(ack)[0])


def test_the_sms_promises_the_same_day(local, client):
    _, record, ack = submitted(local, client, "/rappel", rappel_fields(mode_contact="sms"))
    text = sending.acknowledgement_text(local.service, record)
    assert "au plus tard le 27 mai ;" in text   # the weekday does not fit beside this AI's long name
    assert promise.promised_day(record, local.service.policy) == datetime.date(2026, 5, 27)


def test_a_day_read_back_from_a_url_is_a_strict_date_or_nothing():
    assert promise.parse_day("2026-05-27") == datetime.date(2026, 5, 27)
    for bad in ("", None, "2026-02-30", "27/05/2026", "2026-05-27<script>", " 2026-05-27", "2026-5-27"):
        assert promise.parse_day(bad) is None
