"""Figures for the SMS to households who do not live online: each text the functions send, as long as it can get
(its characters, its encoding, the segments the operator bills), then a synthetic month run through the real
lifecycle, and what its SMS cost in a month and in a year.

    .venv/bin/python scripts/benchmark_sms.py [--requests 300] [--sms-share 0.3] [--two-way] [--endpoint URL]

The texts are written with worst-case values: the longest association name of data/associations.yaml with its
phone, a reference as the functions draw it, the longest French date of a year, a short link made by the real
``short_links.shorten`` on ``--endpoint`` (by default an API Gateway address, longer than a custom domain).
Encoding and segments are the project's own (rules/sms.py).

The month: ``--requests`` requests (the busiest month the network expects is a few hundred) spread over November,
``--sms-share`` of them from households with a mobile and no e-mail, posted through ``FormService.submit``; the
associations answer (or not), some households become clients with a first mission, some of them answer the
satisfaction questions (shares below, drawn at random with a fixed seed); the scheduled tick runs every quarter of
an hour at instants passed in (nothing sleeps), through the month and five weeks more, until the month's last
clients have had their satisfaction reminder. The SMS counted are those the sender received: the month's requests'
whole SMS bill, whenever it falls. The budget is lifted for the run (the figure is the
need); the settings' cap is printed against it.

The price per segment is the settings' (``AAI_SMS_PRICE_PER_SEGMENT``): AWS's public price list for SMS to French
mobiles (End User Messaging SMS / SNS, transactional) is the reference, and the figure must be checked there before
it is quoted: there is no network here. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import logging
import os
import random
import tempfile
from collections import Counter
from pathlib import Path

from benchmark_tick import CountingMailer
from benchmarking import routing_table
from chalicelib.config import Settings
from chalicelib.jobs import schedule as jobs
from chalicelib.mission import messages as mission_messages
from chalicelib.mission import sending as mission_sending
from chalicelib.requests import actions
from chalicelib.requests.enums import Orientation, Outcome, State
from chalicelib.requests.outcome import clean_outcome
from chalicelib.routing import load_routing
from chalicelib.satisfaction import messages as satisfaction_messages
from chalicelib.satisfaction import rules as satisfaction_rules
from chalicelib.satisfaction import sending as satisfaction_sending
from chalicelib.service import FormService, new_reference
from chalicelib.sms import sending as sms_sending
from chalicelib.sms import short_links, texts
from chalicelib.store import SqliteStore
from rules.dates import PARIS, french_date, local_time
from rules.sms import is_gsm7, length, segments
from rules.working_days import add_working_days, next_office_time

API_GATEWAY = "https://a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com/api"   # its default address, no custom domain
START = datetime.datetime(2026, 11, 1, tzinfo=PARIS)
DAYS = 30
TAIL_DAYS = 35          # after the month: the last clients' satisfaction reminders
TICK = 15 * 60
DAY = 86400
# The scenario: who answers, who becomes a client, who books a first mission or reports a difficulty.
FOLLOWUP_SHARE = 0.5    # households that tick « Avez-vous été recontacté ? »
HANDLED_SHARE = 0.8     # associations that answer
CLIENT_SHARE = 0.5      # of the answered requests
MISSION_SHARE = 0.8     # of the clients: a first mission booked; the others half report a difficulty
ANSWER_SHARE = 0.4      # households who answer the satisfaction questions before the reminder


KINDS = ("acknowledgement", "« recontacté ? »", "satisfaction questions", "satisfaction reminder",
         "mission difficulty")


class RecordingSms:
    """The SMS sender the service uses, keeping what it was handed."""

    def __init__(self):
        self.sent: list[tuple[str, str, str]] = []

    def send(self, phone: str, text: str, ref: str = "") -> str:
        self.sent.append((phone, text, ref))
        return f"sms-bench-{len(self.sent)}"

    def forget(self, refs) -> int:
        return 0

    def purge(self, before) -> int:
        return 0


def a_service(workdir: Path, endpoint: str, two_way: bool) -> FormService:
    settings = Settings(sqlite_path=str(workdir / "sms.sqlite3"), routing=routing_table(), forms_endpoint=endpoint,
                        secret="benchmark-secret", sms_monthly_budget=1e9,
                        sms_reply_number="+33644000000" if two_way else "")
    return FormService(settings, load_routing(settings.routing), SqliteStore(settings.sqlite_path), CountingMailer(),
                       clock=lambda: START.timestamp(), sms=RecordingSms())


# --- the texts ---------------------------------------------------------------------------------------------------

def worst_texts(svc: FormService) -> list[tuple[str, str]]:
    contacts = [*svc.routing.associations.values(), svc.routing.network]
    ai = max(contacts, key=lambda c: len(c.name))
    phone = ai.phone.e164 if ai.phone else None
    ref = new_reference(svc.now())
    year = [START.date() + datetime.timedelta(days=n) for n in range(365)]
    day = max(year, key=lambda d: len(french_date(d, weekday=True)))
    link = short_links.shorten(svc, f"{svc.settings.forms_endpoint}/suivi/{ref}?sig=x", svc.now() + DAY)
    return [
        ("acknowledgement", texts.acknowledgement(ref, ai.name, phone, day)),
        ("« recontacté ? »", texts.followup(ref, link)),
        ("« recontacté ? » two-way", texts.followup(ref, link, by_reply=True)),
        ("satisfaction questions", satisfaction_messages.questions_sms(ref, ai.name, link)),
        ("mission difficulty", mission_messages.difficulty_sms(ref, ai.name, phone)),
    ]


def kind_of(text: str) -> str:
    """Which text the sender was handed, read from the text itself."""
    for marker, kind in (("recue.", "acknowledgement"), ("vous a-t-elle rappel", "« recontacté ? »"),
                         ("votre avis", "satisfaction questions"), ("difficult", "mission difficulty")):
        if marker in text:
            return kind
    return "other"


# --- the month ---------------------------------------------------------------------------------------------------

def office(epoch: float) -> float:
    return next_office_time(local_time(epoch)).timestamp()


def household(index: int, place: tuple[str, str], rng: random.Random, sms_share: float) -> dict[str, list[str]]:
    commune, association = place
    fields = {"association": association, "nom": "Jeanne Martin", "commune": commune, "origine": "mairie",
              "consentement": "oui", "website": "", "mode_contact": "telephone",
              "message": "Rappelez-moi le matin, s'il vous plaît."}
    if rng.random() < sms_share:
        fields["telephone"] = f"06{index:08d}"      # a mobile, no e-mail: the SMS is the written channel
    else:
        fields.update(telephone="0536491234", email=f"foyer{index}@example.org")
    if rng.random() < FOLLOWUP_SHARE:
        fields["suivi"] = "oui"
    return {name: [value] for name, value in fields.items()}


def a_month(svc: FormService, count: int, sms_share: float, seed: int = 26) -> int:
    """Post the month's requests, let the associations and the households act, tick until the end; the ticks run."""
    rng = random.Random(seed)
    places = sorted((insee, ai) for insee, commune in svc.routing.communes.items() for ai in commune.get("ais", ())
                    if ai in svc.routing.associations)   # a served commune and one of its associations
    start = START.timestamp()
    events: list[tuple[float, int, str, int]] = []   # (at, order, what, index)
    for index in range(count):
        heapq.heappush(events, (start + DAYS * DAY * (index + rng.random()) / count, len(events), "post", index))
    refs: dict[int, str] = {}

    def at(when: float, what: str, index: int) -> None:
        heapq.heappush(events, (when, len(events), what, index))

    def act(what: str, index: int, now: float) -> None:
        svc.clock = lambda: now
        if what == "post":
            raw = household(index, rng.choice(places), rng, sms_share)
            refs[index] = svc.submit("rappel", raw, f"10.0.{index // 256}.{index % 256}").reference
            if rng.random() < HANDLED_SHARE:
                at(office(now + rng.expovariate(1 / (1.2 * DAY))), "handle", index)
            return
        record = svc.store.get(refs[index])
        if record is None or record["state"] == State.CLOSED:
            return
        who = f"ai:{record['association']}"
        if what == "handle":
            client = rng.random() < CLIENT_SHARE
            booked = client and rng.random() < MISSION_SHARE
            day = add_working_days(local_time(now), rng.randint(1, 3)).date() if booked else None
            fields = {"resultat": Outcome.CLIENT if client else Outcome.ORIENTED,
                      "orientation": "" if client else Orientation.OTHER_AI,
                      "premiere_intervention": day.strftime("%d/%m/%Y") if day else ""}
            outcome = clean_outcome(fields, local_time(record["created_at"]).date(), local_time(now).date())
            record = actions.handle(svc, record, who, outcome)
            questions = satisfaction_rules.questions_at(record)
            if questions and rng.random() < ANSWER_SHARE:
                at(questions + DAY, "answer", index)
            if client and not booked and rng.random() < 0.5:
                at(office(now + DAY), "difficulty", index)
        elif what == "difficulty":
            mission_sending.report_difficulty(svc, record, who)
        elif what == "answer" and record.get("satisfaction_sent_at"):
            satisfaction_sending.answer(svc, record, 4, 5, "")

    ticks = 0
    for now in range(int(start), int(start) + (DAYS + TAIL_DAYS) * DAY, TICK):
        while events and events[0][0] <= now:
            when, _, what, index = heapq.heappop(events)
            act(what, index, when)
        jobs.tick(svc, now)
        ticks += 1
    return ticks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--sms-share", type=float, default=0.3, help="households with a mobile and no e-mail")
    parser.add_argument("--two-way", action="store_true", help="SMS from a two-way number (« répondez NON »)")
    parser.add_argument("--endpoint", default=API_GATEWAY, help="the functions' public address (short links)")
    args = parser.parse_args()
    logging.getLogger("chalicelib").setLevel(logging.ERROR)
    jobs.TIME_BUDGET = float("inf")
    settings = Settings.from_env(dict(os.environ))   # the price and the cap as deployed
    price = settings.sms_price_per_segment

    shm = Path("/dev/shm")   # the store in memory where there is one: the disk's syncs are not what is measured
    with tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None) as tmp:
        svc = a_service(Path(tmp), args.endpoint.rstrip("/"), args.two_way)
        print(f"every SMS text at its longest (short links on {svc.settings.forms_endpoint})\n")
        print(f"{'text':26} {'chars':>5} {'encoding':>8} {'units':>5} {'segments':>8}")
        for name, text in worst_texts(svc):
            print(f"{name:26} {len(text):5d} {'GSM-7' if is_gsm7(text) else 'UCS-2':>8} {length(text):5d} "
                  f"{segments(text):8d}")
            print(f"  {text}")
        svc.sms.sent.clear()
        ticks = a_month(svc, args.requests, args.sms_share)
        sent = list(svc.sms.sent)
        households = len({phone for phone, _, _ in sent})

    count, parts, asked = Counter(), Counter(), set()
    for _, text, ref in sent:
        kind = kind_of(text)
        if kind == "satisfaction questions":   # the reminder repeats the questions
            if ref in asked:
                kind = "satisfaction reminder"
            asked.add(ref)
        count[kind] += 1
        parts[kind] += segments(text)
    total = sum(parts.values())
    print(f"\na month of {args.requests} requests from {START:%d %B %Y}, {args.sms_share:.0%} from households "
          f"without e-mail ({'two-way number' if args.two_way else 'sender name'}), {ticks} ticks; "
          f"{households} households got SMS\n")
    print(f"{'kind':26} {'SMS':>5} {'segments':>8}")
    for kind in [*KINDS, *(k for k in count if k not in KINDS)]:
        print(f"{kind:26} {count[kind]:5d} {parts[kind]:8d}")
    print(f"{'total':26} {sum(count.values()):5d} {total:8d}")
    cap = settings.sms_monthly_budget
    cap_segments = sms_sending.monthly_segments(settings)
    print(f"\nat {price:.3f} € a segment (AAI_SMS_PRICE_PER_SEGMENT; check AWS's price list for French mobiles): "
          f"{total * price:.2f} € a month, {12 * total * price:.2f} € a year")
    print(f"monthly cap (AAI_SMS_MONTHLY_BUDGET): {cap:.2f} €, {cap_segments} segments — this month uses "
          f"{total / cap_segments:.0%} of it" if cap_segments else "monthly cap: none (no SMS leaves)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
