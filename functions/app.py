"""AAI form functions (Chalice): this file only creates the app and registers what the domains hold.

Each domain's routes are a Blueprint in its package's ``routes.py``; the rules live beside them in chalicelib/:

    intake/routes.py      POST /demande, /rappel, /demande-pro (a visitor's or a professional's request), their
                          preflights; without JavaScript GET /demande, /rappel, /demande-pro, /merci (the site's
                          pages, filled in); GET|POST /erreur
    requests/routes.py    GET|POST /traite/{ref}, /suivi/{ref}, /ma-demande/{ref}: the signed pages of a request
    backoffice/routes.py  /espace/…: the back office (sign-in by e-mailed link, requests, the cell's queue and
                          liaison sheet, figures, week, « Mes informations »)
    contacts/routes.py    /espace/contact, /espace/contacts, /espace/annexe-3: an association's own contacts and
                          the Annexe 3 table
    complaints/routes.py  GET|POST /reclamation (a household's complaint), /suite-donnee/{ref} (its outcome or an
                          error report's), /espace/suites
    mission/routes.py     GET|POST /mission/{ref}: the association's page of the 72 hours
    satisfaction/routes.py  GET|POST /avis/{ref}: the household's satisfaction after the first mission
    site_feedback/routes.py POST /avis-site: « Avez-vous trouvé facilement ? » on the thank-you page
    sms/routes.py         GET /r/{code} (an SMS's short link); the households' SMS replies, on their SNS topic
    tick, every 15 minutes             every time-driven job (chalicelib/jobs/schedule.py)
    mail_event, on the SNS topic       SES Bounce / Complaint / Reject / Delivery (chalicelib/mail/events.py)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalice import Chalice, Rate, Response
from chalice.app import CloudWatchEvent, Request, SNSEvent

from chalicelib.backoffice.routes import routes as backoffice_routes
from chalicelib.config import Settings
from chalicelib.complaints.routes import routes as complaint_routes
from chalicelib.contacts.routes import routes as contact_routes
from chalicelib.intake.routes import routes as intake_routes
from chalicelib.mission.routes import routes as mission_routes
from chalicelib.details.routes import routes as details_routes
from chalicelib.requests.routes import routes as request_routes
from chalicelib.satisfaction.routes import routes as satisfaction_routes
from chalicelib.site_feedback.routes import routes as site_feedback_routes
from chalicelib.sms.routes import routes as sms_routes
from chalicelib.web.http import SECURITY_HEADERS, json_body, wants_json
from chalicelib.web.responses import page_response
from chalicelib.web.runtime import service, set_service  # noqa: F401 (tests swap the service through the app)

if TYPE_CHECKING:
    from chalicelib.web.pages import Pages

app = Chalice(app_name="aai-formulaires")
logger = logging.getLogger(__name__)
logging.getLogger("chalicelib").setLevel(logging.INFO)

app.register_blueprint(intake_routes)
app.register_blueprint(request_routes)
app.register_blueprint(backoffice_routes)
app.register_blueprint(site_feedback_routes)
app.register_blueprint(sms_routes)
app.register_blueprint(mission_routes)
app.register_blueprint(satisfaction_routes)
app.register_blueprint(complaint_routes)
app.register_blueprint(contact_routes)
app.register_blueprint(details_routes)


@app.middleware("http")
def french_when_broken(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Whatever fails — the store at start-up, a bug — the visitor gets the French 503, never Chalice's
    English 500."""
    response = get_response(event)
    if response.status_code < 500:
        return response
    try:
        pages = service().pages
    except Exception:
        pages = _pages_without_service()
    # a routing table without the cell's number (a broken build) still gets this page, without the number
    phone = f" ou appelez la cellule régionale au {pages.network.phone.display}" \
        if pages.network and pages.network.phone else ""
    message = f"Le service est momentanément indisponible. Réessayez plus tard{phone}."
    if wants_json(event.headers):
        return Response(body=json_body({"ok": False, "message": message, "errors": {}, "alternatives": []}),
                        status_code=503, headers={**SECURITY_HEADERS, "Retry-After": "300",
                                                  "Content-Type": "application/json; charset=utf-8"})
    return page_response(pages.message("Service momentanément indisponible", [message], 503), {"Retry-After": "300"})


def _pages_without_service() -> Pages:
    from chalicelib.routing import load_routing
    from chalicelib.web.pages import Pages
    try:
        return Pages(load_routing(Settings.at_import("routing")))
    except Exception:
        return Pages(None)


@app.schedule(Rate(15, unit=Rate.MINUTES))
def tick(event: CloudWatchEvent) -> dict[str, int]:
    """Every time-driven job, as of now: retries, reminders, escalations, questions, closing, purge, reports."""
    from chalicelib.jobs import schedule   # imported by the scheduled function only: a page never pays for it
    return schedule.tick(service())


@app.on_sns_message(topic=Settings.at_import("mail_events_topic"))
def mail_event(event: SNSEvent) -> str:
    """An SES event published by the configuration set (infra/site.yaml)."""
    from chalicelib.mail import events   # imported by the SNS function only
    svc = service()
    found = events.from_sns(event.message, svc.now())
    return events.record(svc, found) if found else "ignored"
