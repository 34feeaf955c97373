"""The site's forms, received: POST /demande, /rappel and /demande-pro (a professional client's order), urlencoded
without JavaScript, JSON with fetch, and their CORS preflights; without JavaScript, GET /demande, /rappel and
/demande-pro (the form with its commune chosen) and the thank-you page GET /merci (the site's own pages, filled in:
site_pages.py); « Signaler une erreur » (GET|POST /erreur). Each route reads the request, calls the service, and
answers in French."""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from chalice.app import Response

from ..web.http import SECURITY_HEADERS, HttpError, cors_headers, origin_refused, parse_body, wants_json
from ..web.responses import ANY_TYPE, Routes, page_response, raw_body
from ..web.runtime import service
from ..web.lazy import modules

if TYPE_CHECKING:
    from .. import service as form_service
    from ..site_feedback import feedback as site_feedback
    from . import answers, error_reports, forms, promise, site_pages
else:   # imported by the first route that uses them (web/lazy.py)
    form_service, site_feedback, answers, error_reports, forms, promise, site_pages = modules(
        __package__, "..service", "..site_feedback.feedback", ".answers", ".error_reports", ".forms", ".promise",
        ".site_pages")

routes = Routes(__name__)

NOT_FROM_THE_SITE = ("Ce formulaire ne peut être envoyé que depuis le site des associations intermédiaires "
                     "d'Aquitaine.")


def _respond(status: int, headers: dict[str, str], body: str, as_json: bool) -> Response:
    cors = cors_headers(routes.current_request.headers, service().settings.site_origins)
    kind = "application/json; charset=utf-8" if as_json else "text/html; charset=utf-8"
    every: dict[str, str | list[str]] = {**SECURITY_HEADERS, **cors, **headers, "Content-Type": kind}
    return Response(body=body, status_code=status, headers=every)


def _query() -> dict[str, str]:
    return dict(routes.current_request.query_params or {})


def _posted_fields(origins: tuple[str, ...]) -> dict[str, list[str]]:
    """The fields of a form posted from one of ``origins``, by the one body parser; HttpError (403, 413, 415, 400)
    in French otherwise."""
    request = routes.current_request
    if origin_refused(request.headers, origins):
        raise HttpError(403, NOT_FROM_THE_SITE)
    return parse_body(request.headers.get("content-type", ""), raw_body(request))


def _source_ip() -> str:
    return str(routes.current_request.context.get("identity", {}).get("sourceIp", ""))


def _submit(kind: str) -> Response:
    request = routes.current_request
    svc = service()
    as_json = wants_json(request.headers)
    referer = request.headers.get("referer") or ""
    back = referer if any(referer.startswith(o + "/") for o in svc.settings.site_origins) else \
        svc.settings.site_origin + "/"
    # the site's pages, and the form the functions answer without JavaScript (its own origin)
    origins = (*svc.settings.site_origins, svc.settings.forms_endpoint)
    fields: dict[str, list[str]] = {}
    try:
        fields = _posted_fields(origins)
        outcome = svc.submit(kind, fields, _source_ip())
    except HttpError as error:
        return _refused(error, kind, as_json, back, fields)
    except forms.Invalid as invalid:
        return _refused(HttpError(400, "Le formulaire contient des erreurs : corrigez les champs signalés.",
                                  invalid.errors, invalid.alternatives), kind, as_json, back, fields)
    except form_service.RateLimited:
        return _refused(HttpError(429, "Vous avez envoyé beaucoup de demandes en peu de temps. Réessayez dans une "
                                       "heure ou appelez directement l'association."), kind, as_json, back, fields)
    association = (fields.get("association") or [""])[0]
    feedback = site_feedback.token(svc, outcome.reference)   # a robot's fake success gets one too
    own = answers.own_thanks_url(svc.settings.forms_endpoint, kind, outcome.reference, outcome.delivered, association,
                         outcome.promised, outcome.channel, feedback) \
        if not as_json and svc.site_pages.has_thanks() else ""   # fetch is sent to the site's own page
    return _respond(*answers.success(kind, outcome.reference, outcome.delivered, as_json, svc.settings.site_origin,
                             svc.pages, own, outcome.promised, outcome.channel, feedback), as_json)


def _refused(error: HttpError, kind: str, as_json: bool, back: str, fields: dict[str, list[str]]) -> Response:
    """JSON for fetch; without JavaScript, the form again with what was typed (or a page in the site's look)."""
    svc = service()
    if not as_json and fields:
        again = answers.form_again(error, kind, fields, svc.site_pages, svc.routing)
        if again is not None:
            status, headers, body = again
            return _respond(status, headers, body, as_json)
    return _respond(*answers.failure(error, kind, as_json, back, svc.pages, svc.site_pages), as_json)


def _prefilled(kind: str) -> Response:
    """GET /demande?association=…&commune=…&source=… (and /rappel): the form with what the site already knows —
    the commune of the page the household came from, the measured source of the link it followed — filled in
    without JavaScript (links of the commune pages)."""
    svc = service()
    query = _query()
    association = query.get("association") or (svc.routing.network.id if kind == "rappel" else "")
    commune = (query.get("commune") or "").upper()
    commune = commune if site_pages.INSEE.match(commune) else ""
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
    return _site_page(html)


def _site_page(html: str) -> Response:
    """One of the site's own pages, filled in (site_pages.py), with the site's policy for its styles."""
    headers: dict[str, str | list[str]] = {**SECURITY_HEADERS, **answers.site_page_headers(service().site_pages),
                                           "Content-Type": "text/html; charset=utf-8"}
    return Response(body=html, status_code=200, headers=headers)


@routes.route("/demande", methods=["GET"])
def demande_form() -> Response:
    return _prefilled("demande")


@routes.route("/rappel", methods=["GET"])
def rappel_form() -> Response:
    return _prefilled("rappel")


@routes.route("/merci", methods=["GET"])
def merci() -> Response:
    """The thank-you page of a post sent without JavaScript, the reference written in it by the server."""
    svc = service()
    query = _query()
    kind = str(query.get("type")) if query.get("type") in forms.TITLES else ""
    association = query.get("association") or ""
    recipient = svc.routing.recipient(association) if association else None
    ref = query.get("ref") or ""
    promised = promise.parse_day(query.get("au"))   # from the URL: for display only, a strict date or nothing
    by = query.get("par") or ""
    channel = by if by in promise.CHANNELS else "telephone"
    html = svc.site_pages.thanks(kind, association, svc.routing.network.id, ref, query.get("statut") != "enregistre",
                                 svc.site_pages.charter(association), promised, channel,
                                 str(query.get("avis") or "")) if kind and recipient else None
    if html is None:
        if not site_pages.REFERENCE.match(ref):
            return page_response(svc.pages.message("Page introuvable",
                                                   ["Cette adresse ne correspond à aucune demande."], 404,
                                                   link=(svc.settings.site_origin + "/", "Accueil du site")))
        return page_response(svc.pages.message("Votre demande a bien été transmise",
                                       [f"Votre numéro de référence : {ref}. Notez-le : il vous sera utile si vous "
                                        "nous recontactez."], link=(svc.settings.site_origin + "/", "Accueil du site")))
    return _site_page(html)


@routes.route("/demande", methods=["POST"], content_types=ANY_TYPE)
def demande() -> Response:
    return _submit("demande")


@routes.route("/rappel", methods=["POST"], content_types=ANY_TYPE)
def rappel() -> Response:
    return _submit("rappel")


@routes.route("/demande-pro", methods=["GET"])
def demande_pro_form() -> Response:
    return _prefilled(forms.PROFESSIONAL)


@routes.route("/demande-pro", methods=["POST"], content_types=ANY_TYPE)
def demande_pro() -> Response:
    """A business, an association or a local authority (issue 25, item 7): the same path as a household's order."""
    return _submit(forms.PROFESSIONAL)


def _preflight() -> Response:
    """CORS preflight for fetch: only the site's exact origin gets the Allow headers."""
    headers: dict[str, str | list[str]] = {**cors_headers(routes.current_request.headers,
                                                           service().settings.site_origins)}
    if "Access-Control-Allow-Origin" in headers:
        headers.update({"Access-Control-Allow-Methods": "POST, OPTIONS",
                        "Access-Control-Allow-Headers": "Content-Type, Accept",
                        "Access-Control-Max-Age": "600"})
        return Response(body="", status_code=204, headers=headers)
    return Response(body="", status_code=403, headers=headers)


@routes.route("/demande", methods=["OPTIONS"])
def demande_preflight() -> Response:
    return _preflight()


@routes.route("/rappel", methods=["OPTIONS"])
def rappel_preflight() -> Response:
    return _preflight()


@routes.route("/demande-pro", methods=["OPTIONS"])
def demande_pro_preflight() -> Response:
    return _preflight()


# --- « Signaler une erreur » ------------------------------------------------------------------------------------

@routes.route("/erreur", methods=["GET"])
def erreur_form() -> Response:
    """The form alone, for the commune pages (their bytes are counted: they only link here)."""
    page = str(_query().get("page") or "")
    return _error_form(200, page, {})


@routes.route("/erreur", methods=["POST"], content_types=ANY_TYPE)
def erreur() -> Response:
    """« Signaler une erreur »: urlencoded without JavaScript, answered with a short page in the site's look;
    refused, the form again with what was typed."""
    svc = service()
    origins = (*svc.settings.site_origins, svc.settings.forms_endpoint)
    fields: dict[str, list[str]] = {}
    try:
        fields = _posted_fields(origins)
        ref = error_reports.receive(svc, fields, _source_ip())
    except HttpError as error:
        return _message(error.status, "Signalement non envoyé", [error.message])
    except forms.Invalid as invalid:
        if "page" in invalid.errors:
            return _message(400, "Signalement non envoyé", [invalid.errors["page"]])
        return _error_form(400, (fields.get("page") or [""])[0], fields, list(invalid.errors.values()))
    except error_reports.RateLimited:
        return _message(429, "Signalement non envoyé", ["Vous avez envoyé beaucoup de messages en peu de temps. "
                                                          "Réessayez dans une heure."])
    return _message(200, "Merci pour votre signalement", [
        f"Votre signalement (référence {ref}) a été transmis à l'association concernée et à la cellule régionale, "
        "qui vérifieront l'information et la corrigeront si besoin."])


def _error_form(status: int, page: str, fields: dict[str, list[str]], errors: list[str] | None = None) -> Response:
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
    return _respond(status, answers.site_page_headers(svc.site_pages), html, False)
