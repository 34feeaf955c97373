"""AAI form functions (Chalice): the two forms, the signed-link pages, one scheduled job, the mail events.

Thin on purpose: the rules live in chalicelib/, this file only maps HTTP, the schedule and SNS onto them.

    POST /demande, POST /rappel        a visitor's request (urlencoded without JavaScript, JSON with fetch)
    GET /demande, GET /rappel, /merci  without JavaScript: a form with its commune chosen, the thank-you page
                                       with the reference (the site's pages, filled in: chalicelib/site_pages.py)
    POST /erreur                       « Signaler une erreur » on an association's or a commune's page
    GET|POST /traite/{ref}             the AI's (or the cell's) « traitée » page, with the outcome
    GET|POST /suivi/{ref}              the household's answer to « Avez-vous été recontacté ? »
    GET|POST /ma-demande/{ref}         the household's status page: « je n'ai plus besoin », « pas rappelé »
    /espace/…                          the back office (chalicelib/backoffice): sign-in by e-mailed link, an
                                       AI's requests, the cell's queue and liaison sheet, the monthly figures,
                                       the cell's week (/espace/semaine)
    tick, every 15 minutes             every time-driven job (chalicelib/jobs.py)
    mail_event, on the SNS topic       SES Bounce / Complaint / Reject / Delivery (chalicelib/mail_events.py)
"""

from __future__ import annotations

import logging
import urllib.parse

from chalice import Chalice, Rate, Response

from chalicelib import error_reports, jobs, mail_events, promise
from chalicelib.backoffice import (export, figures, gate, inbox, liaison, request_page, signin, timeout, web,
                                  week_page)
from chalicelib.config import Settings
from chalicelib.details import page as my_details
from chalicelib.details.routes import routes as details_routes
from chalicelib.forms import Invalid
from chalicelib.http import (SECURITY_HEADERS, HttpError, cors_headers, failure, form_again, json_body,
                             origin_refused, own_thanks_url, parse_body, site_page_headers, success, wants_json)
from chalicelib.pages import Pages
from chalicelib.routing import load_routing
from chalicelib.requests.routes import routes as request_routes
from chalicelib.responses import ANY_TYPE, page_response
from chalicelib.runtime import service, set_service  # noqa: F401 (tests swap the service through the app)
from chalicelib.service import RateLimited
from chalicelib.site_pages import INSEE, REFERENCE

app = Chalice(app_name="aai-formulaires")
logger = logging.getLogger(__name__)
logging.getLogger("chalicelib").setLevel(logging.INFO)

app.register_blueprint(request_routes)
app.register_blueprint(details_routes)


@app.middleware("http")
def french_when_broken(event, get_response):
    """Whatever fails — the store at start-up, a bug — the visitor gets the French 503, never Chalice's
    English 500."""
    response = get_response(event)
    if response.status_code < 500:
        return response
    try:
        pages = service().pages
    except Exception:
        pages = _pages_without_service()
    phone = f" ou appelez la cellule régionale au {pages.network.phone.display}" if pages.network else ""
    message = f"Le service est momentanément indisponible. Réessayez plus tard{phone}."
    if wants_json(event.headers):
        return Response(body=json_body({"ok": False, "message": message, "errors": {}, "alternatives": []}),
                        status_code=503, headers={**SECURITY_HEADERS, "Retry-After": "300",
                                                  "Content-Type": "application/json; charset=utf-8"})
    return page_response(pages.message("Service momentanément indisponible", [message], 503), {"Retry-After": "300"})


def _pages_without_service() -> Pages:
    try:
        return Pages(load_routing(Settings.at_import("routing")))
    except Exception:
        return Pages(None)


def _respond(status: int, headers: dict, body: str, as_json: bool) -> Response:
    cors = cors_headers(app.current_request.headers, service().settings.site_origins)
    kind = "application/json; charset=utf-8" if as_json else "text/html; charset=utf-8"
    return Response(body=body, status_code=status, headers={**SECURITY_HEADERS, **cors, **headers,
                                                            "Content-Type": kind})


def _submit(kind: str) -> Response:
    request = app.current_request
    svc = service()
    as_json = wants_json(request.headers)
    referer = request.headers.get("referer") or ""
    back = referer if any(referer.startswith(o + "/") for o in svc.settings.site_origins) else \
        svc.settings.site_origin + "/"
    # the site's pages, and the form the functions answer without JavaScript (its own origin)
    origins = (*svc.settings.site_origins, svc.settings.forms_endpoint)
    fields = {}   # (no annotation: chalice package's policy analyzer cannot read one here)
    try:
        if origin_refused(request.headers, origins):
            raise HttpError(403, "Ce formulaire ne peut être envoyé que depuis le site des associations "
                                 "intermédiaires d'Aquitaine.")
        fields = parse_body(request.headers.get("content-type", ""), request.raw_body or b"")
        source_ip = request.context.get("identity", {}).get("sourceIp", "")
        outcome = svc.submit(kind, fields, source_ip)
    except HttpError as error:
        return _refused(error, kind, as_json, back, fields)
    except Invalid as invalid:
        return _refused(HttpError(400, "Le formulaire contient des erreurs : corrigez les champs signalés.",
                                  invalid.errors, invalid.alternatives), kind, as_json, back, fields)
    except RateLimited:
        return _refused(HttpError(429, "Vous avez envoyé beaucoup de demandes en peu de temps. Réessayez dans une "
                                       "heure ou appelez directement l'association."), kind, as_json, back, fields)
    association = (fields.get("association") or [""])[0]
    own = own_thanks_url(svc.settings.forms_endpoint, kind, outcome.reference, outcome.delivered, association,
                         outcome.promised, outcome.channel) if svc.site_pages.has_thanks() else ""
    return _respond(*success(kind, outcome.reference, outcome.delivered, as_json, svc.settings.site_origin,
                             svc.pages, own, outcome.promised, outcome.channel), as_json)


def _refused(error: HttpError, kind: str, as_json: bool, back: str, fields: dict) -> Response:
    """JSON for fetch; without JavaScript, the form again with what was typed (or a page in the site's look)."""
    svc = service()
    if not as_json and fields:
        again = form_again(error, kind, fields, svc.site_pages, svc.routing)
        if again is not None:
            return _respond(*again, as_json)
    return _respond(*failure(error, kind, as_json, back, svc.pages, svc.site_pages), as_json)


def _prefilled(kind: str) -> Response:
    """GET /demande?association=…&commune=…&source=… (and /rappel): the form with what the site already knows —
    the commune of the page the household came from, the measured source of the link it followed — filled in
    without JavaScript (links of the commune pages)."""
    svc = service()
    query = _query()
    association = query.get("association") or (svc.routing.network.id if kind == "rappel" else "")
    commune = (query.get("commune") or "").upper()
    commune = commune if INSEE.match(commune) else ""
    recipient = svc.routing.recipient(association) if association else None
    if recipient is None:
        return page_response(svc.pages.message("Formulaire introuvable", ["Cette association ne figure pas dans notre "
                                       "annuaire. Choisissez-la depuis sa page sur le site."], 404,
                                       link=(svc.settings.site_origin + "/association/", "Les associations")))
    source = svc.routing.sources.clean(query.get("source"))   # an unknown one is dropped, never refused
    values = {"association": [association], **({"commune": [commune]} if commune else {}),
              **({"source": [source]} if source else {})}
    html = svc.site_pages.form(kind, association, values,
                               commune_name=svc.routing.commune_name(commune) if commune else "")
    if html is None:   # no site build in this package: the site's own page (forms.js reads ?commune=)
        path = "rappel/" if association == svc.routing.network.id else f"{recipient.url.strip('/')}/{kind}/"
        carried = urllib.parse.urlencode({k: v[0] for k, v in values.items() if k in ("commune", "source")})
        location = f"{svc.settings.site_origin}/{path}" + (f"?{carried}" if carried else "")
        return Response(body="", status_code=303, headers={**SECURITY_HEADERS, "Location": location})
    return Response(body=html, status_code=200, headers={**SECURITY_HEADERS, **site_page_headers(svc.site_pages),
                                                         "Content-Type": "text/html; charset=utf-8"})


@app.route("/demande", methods=["GET"])
def demande_form():
    return _prefilled("demande")


@app.route("/rappel", methods=["GET"])
def rappel_form():
    return _prefilled("rappel")


@app.route("/merci", methods=["GET"])
def merci():
    """The thank-you page of a post sent without JavaScript, the reference written in it by the server."""
    svc = service()
    query = _query()
    kind = query.get("type") if query.get("type") in ("demande", "rappel") else ""
    association = query.get("association") or ""
    recipient = svc.routing.recipient(association) if association else None
    ref = query.get("ref") or ""
    promised = promise.parse_day(query.get("au"))   # from the URL: for display only, a strict date or nothing
    channel = query.get("par") if query.get("par") in promise.CHANNELS else "telephone"
    html = svc.site_pages.thanks(kind, association, svc.routing.network.id, ref, query.get("statut") != "enregistre",
                                 svc.site_pages.charter(association), promised, channel) if kind and recipient else None
    if html is None:
        if not REFERENCE.match(ref):
            return page_response(svc.pages.message("Page introuvable",
                                                   ["Cette adresse ne correspond à aucune demande."], 404,
                                                   link=(svc.settings.site_origin + "/", "Accueil du site")))
        return page_response(svc.pages.message("Votre demande a bien été transmise",
                                       [f"Votre numéro de référence : {ref}. Notez-le : il vous sera utile si vous "
                                        "nous recontactez."], link=(svc.settings.site_origin + "/", "Accueil du site")))
    return Response(body=html, status_code=200, headers={**SECURITY_HEADERS, **site_page_headers(svc.site_pages),
                                                         "Content-Type": "text/html; charset=utf-8"})


@app.route("/demande", methods=["POST"], content_types=ANY_TYPE)
def demande():
    return _submit("demande")


@app.route("/rappel", methods=["POST"], content_types=ANY_TYPE)
def rappel():
    return _submit("rappel")


@app.route("/erreur", methods=["GET"])
def erreur_form():
    """The form alone, for the commune pages (their bytes are counted: they only link here)."""
    page = str(_query().get("page") or "")
    return _error_form(200, page, {})


@app.route("/erreur", methods=["POST"], content_types=ANY_TYPE)
def erreur():
    """« Signaler une erreur »: urlencoded without JavaScript, answered with a short page in the site's look;
    refused, the form again with what was typed."""
    request = app.current_request
    svc = service()
    origins = (*svc.settings.site_origins, svc.settings.forms_endpoint)
    fields = {}
    try:
        if origin_refused(request.headers, origins):
            raise HttpError(403, "Ce formulaire ne peut être envoyé que depuis le site des associations "
                                 "intermédiaires d'Aquitaine.")
        fields = parse_body(request.headers.get("content-type", ""), request.raw_body or b"")
        source_ip = request.context.get("identity", {}).get("sourceIp", "")
        ref = error_reports.receive(svc, fields, source_ip)
    except HttpError as error:
        return _message(error.status, "Signalement non envoyé", [error.message])
    except Invalid as invalid:
        if "page" in invalid.errors:
            return _message(400, "Signalement non envoyé", [invalid.errors["page"]])
        return _error_form(400, (fields.get("page") or [""])[0], fields, list(invalid.errors.values()))
    except error_reports.RateLimited:
        return _message(429, "Signalement non envoyé", ["Vous avez envoyé beaucoup de messages en peu de temps. "
                                                          "Réessayez dans une heure."])
    return _message(200, "Merci pour votre signalement", [
        f"Votre signalement (référence {ref}) a été transmis à l'association concernée et à la cellule régionale, "
        "qui vérifieront l'information et la corrigeront si besoin."])


def _error_form(status: int, page: str, fields: dict, errors: list[str] | None = None) -> Response:
    svc = service()
    target = error_reports.target(page, svc.routing)
    if target is None:
        return _message(400, "Signalement non envoyé", [error_reports.UNKNOWN_PAGE])
    typed = {name: (fields.get(name) or [""])[0] for name in ("erreur", "email")}
    return page_response(svc.pages.render("error_report.html", status, title="Signaler une erreur", label=target[0],
                                  page=page, action=svc.settings.forms_endpoint.rstrip("/") + "/erreur",
                                  text=typed["erreur"], email=typed["email"], errors=errors or []))


def _message(status: int, title: str, paragraphs: list[str], items: list[str] | None = None) -> Response:
    """A short page in the site's look when the build is there, else the functions' plain page."""
    svc = service()
    link = (svc.settings.site_origin + "/", "Retour au site")
    html = svc.site_pages.message(title, paragraphs, items, link)
    if html is None:
        return page_response(svc.pages.message(title, paragraphs, status, items, link))
    return _respond(status, site_page_headers(svc.site_pages), html, False)


def _preflight() -> Response:
    """CORS preflight for fetch: only the site's exact origin gets the Allow headers."""
    headers = cors_headers(app.current_request.headers, service().settings.site_origins)
    if "Access-Control-Allow-Origin" in headers:
        headers.update({"Access-Control-Allow-Methods": "POST, OPTIONS",
                        "Access-Control-Allow-Headers": "Content-Type, Accept",
                        "Access-Control-Max-Age": "600"})
        return Response(body="", status_code=204, headers=headers)
    return Response(body="", status_code=403, headers=headers)


@app.route("/demande", methods=["OPTIONS"])
def demande_preflight():
    return _preflight()


@app.route("/rappel", methods=["OPTIONS"])
def rappel_preflight():
    return _preflight()


def _query() -> dict:
    return dict(app.current_request.query_params or {})


# --- The back office: each route maps onto one view; gate.serve checks session, CSRF token and role first ------

def _espace(view, **params) -> Response:
    request = app.current_request
    path = request.path
    for name, value in (request.uri_params or {}).items():
        path = path.replace("{" + name + "}", value)
    query = request.query_params
    visit = web.Visit.parse(request.method, path, {k: query.getlist(k) for k in query} if query else {},
                            request.headers, request.raw_body if request.method == "POST" else b"",
                            request.context.get("identity", {}).get("sourceIp", ""))
    reply = gate.serve(service(), visit, view, **params)
    headers = {**SECURITY_HEADERS, **reply.headers}
    if reply.cookies:
        headers["Set-Cookie"] = reply.cookies if len(reply.cookies) > 1 else reply.cookies[0]
    return Response(body=reply.body, status_code=reply.status, headers=headers)


@app.route("/espace", methods=["GET"])
def espace():
    return _espace(signin.home)


@app.route("/espace/connexion", methods=["POST"], content_types=ANY_TYPE)
def espace_ask_link():
    return _espace(signin.ask_link)


@app.route("/espace/connexion", methods=["GET"])
def espace_link():
    return _espace(signin.link_page)


@app.route("/espace/session", methods=["POST"], content_types=ANY_TYPE)
def espace_session():
    return _espace(signin.open_session)


@app.route("/espace/deconnexion", methods=["POST"], content_types=ANY_TYPE)
def espace_sign_out():
    return _espace(signin.sign_out)


@app.route("/espace/prolonger", methods=["POST"], content_types=ANY_TYPE)
def espace_extend():
    return _espace(timeout.extend)


@app.route("/espace/reprendre/{draft}", methods=["GET"])
def espace_resume(draft):
    return _espace(timeout.resume, draft=draft)


@app.route("/espace/demandes", methods=["GET"])
def espace_requests():
    return _espace(inbox.requests_list)


@app.route("/espace/demandes/{ref}", methods=["GET"])
def espace_request(ref):
    return _espace(request_page.show, ref=ref)


@app.route("/espace/demandes/{ref}/traitee", methods=["POST"], content_types=ANY_TYPE)
def espace_handled(ref):
    return _espace(request_page.handled, ref=ref)


@app.route("/espace/demandes/{ref}/note", methods=["POST"], content_types=ANY_TYPE)
def espace_note(ref):
    return _espace(request_page.note, ref=ref)


@app.route("/espace/demandes/{ref}/pas-pour-nous", methods=["POST"], content_types=ANY_TYPE)
def espace_hand_back(ref):
    return _espace(request_page.hand_back, ref=ref)


@app.route("/espace/demandes/{ref}/reorienter", methods=["POST"], content_types=ANY_TYPE)
def espace_reroute(ref):
    return _espace(request_page.reroute, ref=ref)


@app.route("/espace/export", methods=["GET"])
def espace_export():
    return _espace(export.export)


@app.route("/espace/file", methods=["GET"])
def espace_queue():
    return _espace(inbox.queue)


@app.route("/espace/fiche", methods=["GET"])
def espace_sheet():
    return _espace(liaison.sheet)


@app.route("/espace/fiche", methods=["POST"], content_types=ANY_TYPE)
def espace_sheet_save():
    return _espace(liaison.save)


@app.route("/espace/chiffres", methods=["GET"])
def espace_figures():
    return _espace(figures.figures)


@app.route("/espace/semaine", methods=["GET"])
def espace_week():
    return _espace(week_page.week)


@app.route("/espace/mes-informations", methods=["GET"])
def espace_my_details():
    return _espace(my_details.show)


@app.route("/espace/mes-informations", methods=["POST"], content_types=ANY_TYPE)
def espace_my_details_save():
    return _espace(my_details.save)


@app.schedule(Rate(15, unit=Rate.MINUTES))
def tick(event):
    """Every time-driven job, as of now: retries, reminders, escalations, questions, closing, purge, reports."""
    return jobs.tick(service())


@app.on_sns_message(topic=Settings.at_import("mail_events_topic"))
def mail_event(event):
    """An SES event published by the configuration set (infra/site.yaml)."""
    svc = service()
    found = mail_events.from_sns(event.message, svc.now())
    return mail_events.record(svc, found) if found else "ignored"
