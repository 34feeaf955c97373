"""The monthly figures the action plan asks for (AXE 2 evaluation criteria, AXE 5 charter, Annexe 3), per AI
and for the region, computed from the stored requests only — the same numbers whoever asks: the scheduled
e-mails, ``python -m chalicelib.admin report`` and the back office.

Data only: ``formats`` renders them as text, CSV and HTML e-mails. Counts, no personal data.

- received (orders and callbacks), delivered to the AI's mailbox, handled;
- handled within the charter's delay, **counting only requests whose deadline has passed** as of the report
  (a request received on the 31st is not « late » on the 1st), and the median delay in working days;
- outcomes (client, in progress, no follow-up and why, oriented elsewhere), conversion into clients;
- Annexe 3: how the requesters and the new clients heard of the AI;
- requests recorded by the phone cell (liaison sheets: « demandes d'informations directes ») and re-routed;
- reminders, escalations to the cell and why, addresses refusing mail;
- the household's side: questions sent, « oui », « non ».

A request the cell re-routed counts for each AI that held it, each event for the AI that held the request when it
happened (read from the request's trail): Haute Lande's « pas pour nous » stays Haute Lande's, and Marsan, which
received the request afterwards, is charged only with what happened with it. A refused message counts for the
AI it was sent to, whenever the refusal comes. The region counts the request once.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from rules import origins
from rules.vocabulary import PROFESSIONAL
from rules.dates import month_name, year_to
from rules.sources import PARAMETER as SOURCE

from ..mission.figures import MissionFigures
from ..requests import lifecycle
from ..requests.enums import Channel, CloseReason, DirectChannel, EventKind, Outcome
from ..requests.model import Request
from ..routing import Routing

if TYPE_CHECKING:   # the one service, for its type only (it imports this module)
    from ..satisfaction.figures import SatisfactionFigures
    from ..service import FormService

UNKNOWN_ORIGIN = origins.UNKNOWN
NO_OUTCOME = "sans-resultat"    # never marked handled


@dataclass
class Figures:
    """One AI's month (or the region's, as the sum of all)."""

    id: str
    name: str
    orders: int = 0
    callbacks: int = 0
    professional: int = 0             # « clients professionnels »: businesses, associations, local authorities
    professional_clients: int = 0     # … that became clients
    delivered: int = 0
    handled: int = 0
    deadline_passed: int = 0          # requests whose charter deadline has passed as of the report
    handled_in_time: int = 0          # … and that were handled by then
    delays: list[float] = field(default_factory=list)   # working days from receipt to « handled »
    outcomes: Counter[str] = field(default_factory=Counter)
    no_follow_up_reasons: Counter[str] = field(default_factory=Counter)
    orientations: Counter[str] = field(default_factory=Counter)
    origins: Counter[str] = field(default_factory=Counter)          # Annexe 3, every requester
    client_origins: Counter[str] = field(default_factory=Counter)   # Annexe 3, the new clients
    sources: Counter[str] = field(default_factory=Counter)          # measured: the link they came by (rules/sources.py)
    client_sources: Counter[str] = field(default_factory=Counter)   # … of the new clients
    reminders: int = 0
    escalations: Counter[str] = field(default_factory=Counter)      # by reason
    mail_failures: int = 0            # AI-bound messages refused (bounce, complaint, suppression, reject)
    questions_sent: int = 0           # « Avez-vous été recontacté ? »
    answered_yes: int = 0
    answered_no: int = 0
    no_longer_needed: int = 0         # closed by the household from its status page: « je n'ai plus besoin »
    site_feedback: Counter[str] = field(default_factory=Counter)   # « Avez-vous trouvé facilement ? », by answer
    by_phone: int = 0                 # recorded by AAI's phone cell on a liaison sheet (« demandes directes »)
    direct: Counter[str] = field(default_factory=Counter)   # an AI's own contacts, by how they came (call, visit…)
    rerouted: int = 0                 # sent on by the cell to another association
    from_site: int = 0                # received through the site's forms (not the cell's liaison sheets)
    handled_from_site: int = 0
    clients_from_site: int = 0
    mission: MissionFigures = field(default_factory=MissionFigures)   # the 72 hours (chalicelib.mission)
    satisfaction: SatisfactionFigures | None = None   # over 12 months, set by monthly.follow_up

    @property
    def received(self) -> int:
        return self.orders + self.callbacks + self.professional

    @property
    def clients(self) -> int:
        return self.outcomes.get(Outcome.CLIENT, 0)

    @property
    def median_delay(self) -> float | None:
        return statistics.median(self.delays) if self.delays else None

    @property
    def in_time_rate(self) -> float | None:
        return self.handled_in_time / self.deadline_passed if self.deadline_passed else None

    @property
    def conversion_rate(self) -> float | None:
        """New clients over requests received (the action plan's « taux de transformation »)."""
        return self.clients / self.received if self.received else None

    def _received(self, record: Request) -> list[str]:
        if record["kind"] == "demande":
            self.orders += 1
        elif record["kind"] == PROFESSIONAL:   # counted apart (issue 25, item 7)
            self.professional += 1
        else:
            self.callbacks += 1
        origin = origins.declared(record.get("data")) or [UNKNOWN_ORIGIN]   # several answers: each row counts
        self.origins.update(origin)
        source = (record.get("data") or {}).get(SOURCE)
        if source:
            self.sources[source] += 1
        self.by_phone += record.get("channel") == Channel.TELEPHONE
        if record.get("channel") == Channel.DIRECT:   # chalicelib.contacts: the seed's first criterion
            self.direct[(record.get("data") or {}).get("canal") or DirectChannel.CALL.value] += 1
        if record.get("channel", Channel.SITE) == Channel.SITE:   # the path from a page view to a client (followup.py)
            self.from_site += 1
        return origin

    def add(self, record: Request, policy: lifecycle.Policy, as_of: int) -> None:
        """A request that never changed hands: its record says everything."""
        origin = self._received(record)
        self.delivered += bool(record.get("delivered_at"))
        self._end(record, policy, as_of, origin)
        self.reminders += bool(record.get("reminded_at"))
        for reason in [*(record.get("past_escalations") or []), *(record.get("escalations") or [])]:
            self.escalations[reason] += 1
        self.rerouted += bool(record.get("routed_at"))
        self.mail_failures += bool(record.get("ai_mail_failure"))
        self.questions_sent += bool(record.get("followup_sent_at"))
        self.answered_yes += record.get("followup_answer") == "oui"
        self.answered_no += record.get("followup_answer") == "non"
        self._site_feedback(record)

    def _site_feedback(self, record: Request) -> None:
        """The household's word on the site: about how it found its first association, so counted once, for
        that one (and the region), never again for the AIs the cell re-routed it to."""
        if record.get("site_feedback"):
            self.site_feedback[record["site_feedback"]] += 1

    def add_span(self, record: Request, span: "Span", policy: lifecycle.Policy, as_of: int) -> None:
        """What happened to a re-routed request while one AI held it (``span``), from its trail. The last holder
        also gets the request's outcome and its charter deadline; a former one, its deadline only if it ran out
        before the cell took the request back."""
        origin = self._received(record)
        if span.start == int(record["created_at"]):
            self._site_feedback(record)
        kinds = Counter(event.kind for event in span.events)
        self.delivered += bool(kinds[EventKind.DELIVERED])
        self.reminders += bool(kinds[EventKind.REMINDED])
        self.rerouted += span.rerouted_in
        self.mail_failures += bool(span.mail_failures)
        self.questions_sent += bool(kinds[EventKind.FOLLOWUP_SENT])
        for event in span.events:
            if event.kind == EventKind.ESCALATED:
                self.escalations[event.details["reason"]] += 1   # never without one (lifecycle)
            elif event.kind == EventKind.FOLLOWUP_ANSWERED:
                self.answered_yes += event.details.get("answer") == "oui"
                self.answered_no += event.details.get("answer") == "non"
        if span.end is None:
            self._end(record, policy, as_of, origin)
            return
        deadline = lifecycle.charter_deadline({"created_at": span.start, "association": span.association},
                                             policy)   # its clock, from its start, for the AI that held it
        if deadline <= min(span.end, as_of):
            self.deadline_passed += 1          # held past the charter's delay without « traitée »

    def _end(self, record: Request, policy: lifecycle.Policy, as_of: int, origin: list[str]) -> None:
        """How the request ended with the AI that holds it now: handled, in time, its outcome."""
        handled_at = record.get("handled_at")
        delay = lifecycle.working_delay(record)
        if delay is not None:   # handled (``handled_at`` set)
            self.handled += 1
            self.delays.append(delay)
        deadline = lifecycle.charter_deadline(record, policy)
        if deadline <= as_of:
            self.deadline_passed += 1
            self.handled_in_time += bool(handled_at and handled_at <= deadline)
        self.no_longer_needed += record.get("close_reason") == CloseReason.NO_LONGER_NEEDED
        self.mission.add(record, as_of)
        outcome = record.get("outcome") or NO_OUTCOME
        self.outcomes[outcome] += 1
        if outcome == Outcome.CLIENT:
            self.professional_clients += record["kind"] == PROFESSIONAL
            self.client_origins.update(origin)
            source = (record.get("data") or {}).get(SOURCE)
            if source:
                self.client_sources[source] += 1
        if record.get("outcome_reason"):
            self.no_follow_up_reasons[record["outcome_reason"]] += 1
        if record.get("orientation"):
            self.orientations[record["orientation"]] += 1
        if record.get("channel", Channel.SITE) == Channel.SITE:
            self.handled_from_site += bool(handled_at)
            self.clients_from_site += outcome == Outcome.CLIENT


@dataclass
class Span:
    """One AI's time with a request: from ``start`` (receipt, or the re-route to it) to ``end`` (the re-route
    away; None while it still holds it), the trail's events of that time."""

    association: str
    start: int
    end: int | None
    rerouted_in: bool
    events: list[lifecycle.Event] = field(default_factory=list)
    mail_failures: int = 0


def spans(record: Request, trail: list[lifecycle.Event]) -> list[Span]:
    """Who held the request when: cut at each re-route. Each event goes to the span it happened in, except a
    refused message, which goes to the AI it was sent to (``association`` in the event, when a late bounce
    arrives after a re-route)."""
    found = [Span(record["association"] if not record.get("previous_associations")
                  else record["previous_associations"][0], int(record["created_at"]), None, False)]
    for event in trail:
        if event.kind == EventKind.REROUTED:
            found[-1].end = event.at
            found.append(Span(event.details.get("to", record["association"]), event.at, None, True))
            continue
        found[-1].events.append(event)
        if event.kind == EventKind.MAIL_FAILED and event.details.get("to") not in ("household", "cell"):
            owner = event.details.get("association") or found[-1].association
            target = next((s for s in reversed(found) if s.association == owner), found[-1])
            target.mail_failures += 1
    return found


@dataclass
class MonthlyReport:
    month: str       # "2026-11"
    as_of: int       # the instant the figures were computed (deadlines are counted against it)
    lines: list[Figures]
    region: Figures
    # The calendar year to date (January to ``month``), the same figures aggregated (issue 25, item 6: the
    # prescribers' weight « mensuelle, annuelle par agrégation des résultats mensuels »); set by the follow-up.
    year: MonthlyReport | None = None

    @property
    def year_months(self) -> list[str]:
        """January to this month, of this month's year."""
        return year_to(self.month)

    @property
    def title(self) -> str:
        return f"Suivi des demandes — {month_name(self.month)}"

    def line(self, ai_id: str) -> Figures:
        return next(line for line in self.lines if line.id == ai_id)


def build_report(records: list[Request], routing: Routing, policy: lifecycle.Policy, month: str,
                 as_of: int, trail: Callable[[str], list[lifecycle.Event]] = lambda ref: []) -> MonthlyReport:
    """Every AI of the routing table gets a line, even with nothing to count: silence is a figure too.
    ``trail`` is read only for the requests the cell re-routed (the others' records say everything)."""
    lines = {ai_id: Figures(ai_id, contact.name) for ai_id, contact in routing.associations.items()}
    network = routing.network.id
    lines[network] = Figures(network, routing.network.name)
    region = Figures("region", "Total régional")

    def line(ai_id: str) -> Figures:
        return lines.setdefault(ai_id, Figures(ai_id, ai_id))

    for record in records:
        if not record.get("previous_associations"):
            line(record["association"]).add(record, policy, as_of)
            region.add(record, policy, as_of)
            continue
        held = spans(record, trail(record["ref"]))
        for span in held:
            line(span.association).add_span(record, span, policy, as_of)
        whole = Span("region", int(record["created_at"]), None, True,
                     [event for span in held for event in span.events], sum(s.mail_failures for s in held))
        region.add_span(record, whole, policy, as_of)
    ordered = sorted(lines.values(), key=lambda line: (line.id == network, line.name))
    return MonthlyReport(month, as_of, ordered, region)


def monthly_report(svc: FormService, month: str, as_of: int | None = None,
                   association: str | None = None) -> MonthlyReport:
    """The month's figures from the store, as of now (or ``as_of``); with ``association``, read that AI's requests
    only, those it held before a re-route included (its line is then the one that counts: the back office's page
    of an association)."""
    return _report_over(svc, [month], month, as_of, association)


def year_to_date(svc: FormService, month: str, as_of: int | None = None,
                 association: str | None = None) -> MonthlyReport:
    """January to ``month`` of its year as one report: the monthly figures' own code, over every month's requests
    (each request counted once, in the month it was received)."""
    return _report_over(svc, year_to(month), month, as_of, association)


def _report_over(svc: FormService, months: list[str], month: str, as_of: int | None,
                 association: str | None) -> MonthlyReport:
    records = [r for each in months for r in svc.store.month(each, association, former=association is not None)]
    return build_report(records, svc.routing, svc.policy, month, svc.now() if as_of is None else as_of,
                        svc.store.trail)
