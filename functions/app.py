"""AAI form functions (Chalice): POST /demande, POST /rappel, GET and POST /traite/{ref}, three scheduled jobs.

Thin on purpose: the rules live in chalicelib/, this file only maps HTTP and schedules onto them.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from chalice import Chalice, Cron, Rate, Response

from chalicelib.config import Settings
from chalicelib.forms import TITLES, Invalid
from rules.dates import french_datetime
from chalicelib.handled import page
from chalicelib.http import (SECURITY_HEADERS, HttpError, cors_headers, failure, origin_refused, parse_body,
                             success, wants_json)
from chalicelib.service import FormService, RateLimited

app = Chalice(app_name="aai-formulaires")
logger = logging.getLogger(__name__)
logging.getLogger("chalicelib").setLevel(logging.INFO)

_service: FormService | None = None
ANY_TYPE = ["*/*"]   # we check the content type ourselves, to answer in French


def service() -> FormService:
    """Built on first use from the environment; tests swap it with set_service()."""
    global _service
    if _service is None:
        _service = FormService.from_settings(Settings.from_env())
    return _service


def set_service(new: FormService | None) -> None:
    global _service
    _service = new


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
    try:
        if origin_refused(request.headers, svc.settings.site_origins):
            raise HttpError(403, "Ce formulaire ne peut être envoyé que depuis le site des associations "
                                 "intermédiaires d'Aquitaine.")
        fields = parse_body(request.headers.get("content-type", ""), request.raw_body or b"")
        source_ip = request.context.get("identity", {}).get("sourceIp", "")
        outcome = svc.submit(kind, fields, source_ip)
    except HttpError as error:
        return _respond(*failure(error, kind, as_json, back, svc.routing.site_name), as_json)
    except Invalid as invalid:
        error = HttpError(400, "Le formulaire contient des erreurs : corrigez les champs signalés.",
                          invalid.errors, invalid.alternatives)
        return _respond(*failure(error, kind, as_json, back, svc.routing.site_name), as_json)
    except RateLimited:
        error = HttpError(429, "Vous avez envoyé beaucoup de demandes en peu de temps. Réessayez dans une heure "
                               "ou appelez directement l'association.")
        return _respond(*failure(error, kind, as_json, back, svc.routing.site_name), as_json)
    except Exception:
        logger.exception("unexpected failure on /%s", kind)
        phone = svc.routing.network.phone
        error = HttpError(503, f"Le service est momentanément indisponible. Réessayez plus tard ou appelez le "
                               f"réseau au {phone}.")
        return _respond(*failure(error, kind, as_json, back, svc.routing.site_name), as_json)
    return _respond(*success(kind, outcome.reference, outcome.delivered, as_json, svc.settings.site_origin,
                               svc.routing.site_name),
                    as_json)


@app.route("/demande", methods=["POST"], content_types=ANY_TYPE)
def demande():
    return _submit("demande")


@app.route("/rappel", methods=["POST"], content_types=ANY_TYPE)
def rappel():
    return _submit("rappel")


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


def _handled_page(status: int, title: str, paragraphs: list[str], form=None) -> Response:
    return Response(body=page(title, paragraphs, service().routing.site_name, form=form), status_code=status,
                    headers={**SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8"})


def _handled_problem(status: int) -> Response:
    if status == 403:
        return _handled_page(403, "Lien non valide", [
            "Ce lien n'est pas valide : il a peut-être été coupé par votre messagerie. "
            "Copiez le lien complet depuis l'e-mail reçu."])
    return _handled_page(404, "Demande introuvable", [
        "Cette demande n'existe plus : elle a peut-être été supprimée à la fin de la durée de conservation "
        "ou à la demande de la personne."])


def _summary(record: dict) -> str:
    """« Demande d'intervention AI-… de Jeanne Martin (Saint-Émilion), reçue le … »."""
    data, routing = record.get("data") or {}, service().routing
    where = f" ({routing.commune_name(data['commune'])})" if data.get("commune") else ""
    return (f"{TITLES.get(record.get('kind'), 'Demande')} {record['ref']} de {data.get('nom', '?')}{where}, "
            f"reçue le {french_datetime(float(record['created_at']))}.")


@app.route("/traite/{ref}", methods=["GET"])
def traite(ref):
    """The link in the AI's e-mail: a confirmation page only, whose button POSTs.

    Mail scanners (Outlook Safe Links and the like) open every link of a message by themselves:
    a GET must never mark the request as handled."""
    sig = (app.current_request.query_params or {}).get("sig")
    status, record = service().find_signed(ref, sig)
    if record is None:
        return _handled_problem(status)
    if record.get("handled_at"):
        return _handled_page(200, "Demande déjà traitée", [
            _summary(record),
            f"Elle est enregistrée comme traitée depuis le {french_datetime(float(record['handled_at']))}."])
    return _handled_page(200, "Marquer la demande comme traitée", [
        _summary(record),
        "Vous avez répondu à cette personne ? Confirmez : la date de traitement sert au suivi de la charte "
        "qualité (réponse sous 48 heures)."], form=(ref, {"sig": sig or ""}, "Confirmer : la demande est traitée"))


@app.route("/traite/{ref}", methods=["POST"], content_types=ANY_TYPE)
def traite_confirm(ref):
    """The button of the confirmation page: records when the request was handled (the first time)."""
    request = app.current_request
    fields = dict(parse_qsl((request.raw_body or b"")[:2048].decode("utf-8", "replace")))
    sig = fields.get("sig") or (request.query_params or {}).get("sig")
    status, record = service().mark_handled(ref, sig)
    if record is None:
        return _handled_problem(status)
    return _handled_page(200, "Demande traitée", [
        f"La demande {record['ref']} est enregistrée comme traitée le "
        f"{french_datetime(float(record['handled_at']))}. Merci !"])


@app.schedule(Rate(15, unit=Rate.MINUTES))
def retry_pending(event):
    """Sends the e-mails that failed earlier."""
    return service().retry_pending()


@app.schedule(Rate(1, unit=Rate.DAYS))
def purge_expired(event):
    """Deletes submissions past the retention period."""
    return service().purge()


@app.schedule(Cron(0, 6, 1, "*", "?", "*"))
def monthly_report(event):
    """On the 1st at 06:00 UTC: last month's follow-up, e-mailed to the network."""
    return {"month": service().send_monthly_report().month}
