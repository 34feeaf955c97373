"""The complaint form's pages (``GET|POST /reclamation``): the form (named request from a signed link, or the three
ways to say whom it is about), the form again with what was typed and the French messages, the thank-you page
with the complaint's reference — the acknowledgement a household gets when no verified address can receive one."""

from __future__ import annotations

from collections.abc import Mapping

from ..web.http import HttpError, origin_refused, parse_body, URLENCODED
from ..intake.forms import Invalid
from ..web.pages import Page
from ..service import FormService
from .intake import FIELDS, RateLimited, receive, signed_request

TITLE = "Faire une réclamation"
SHOWN = tuple(name for name in FIELDS if name not in ("sig", "website"))


def _values(fields: Mapping[str, list[str]]) -> dict[str, str]:
    return {name: (fields.get(name) or [""])[0] for name in SHOWN}


def form_page(svc: FormService, fields: Mapping[str, list[str]], errors: Mapping[str, str] | None = None,
              status: int = 200) -> Page:
    values = _values(fields)
    sig = (fields.get("sig") or [""])[0]
    signed = signed_request(svc, values["reference"].strip().upper(), sig) is not None
    associations = sorted(((ai.id, ai.name) for ai in svc.routing.associations.values()), key=lambda a: a[1])
    return svc.pages.render("complaint.html", status, title=TITLE, values=values, sig=sig if signed else "",
                            signed=signed, associations=associations, errors=dict(errors or {}),
                            action=f"{svc.settings.forms_endpoint.rstrip('/')}/reclamation")


def show(svc: FormService, query: Mapping[str, str]) -> Page:
    """GET /reclamation, or /reclamation?reference=…&sig=… from a message: a wrong or expired signature still
    gives the form, with the reference typed in (the household is never stuck). ``?association=<id>`` (the link
    of an association's page on the site) chooses it in the list; an unknown id chooses nothing."""
    fields = {name: [value] for name, value in query.items() if name in ("reference", "sig")}
    if query.get("association") in svc.routing.associations:
        fields["association"] = [query["association"]]
    return form_page(svc, fields)


def message(svc: FormService, status: int, title: str, paragraphs: list[str]) -> Page:
    return svc.pages.message(title, paragraphs, status, link=(svc.settings.site_origin + "/", "Retour au site"))


def submit(svc: FormService, headers: Mapping[str, str], body: bytes, client_ip: str) -> Page:
    """POST /reclamation: the forms' spam rules (origin, one body parser and its limits, honeypot, the hour's
    limit), then the complaint; every refusal in French, and nothing sent."""
    origins = (*svc.settings.site_origins, svc.settings.forms_endpoint)
    fields: dict[str, list[str]] = {}
    try:
        if origin_refused(headers, origins):
            raise HttpError(403, "Ce formulaire ne peut être envoyé que depuis le site des associations "
                                 "intermédiaires d'Aquitaine.")
        fields = parse_body(headers.get("content-type") or "", body, accept=URLENCODED)
        ref, acknowledged = receive(svc, fields, client_ip)
    except HttpError as error:
        return message(svc, error.status, "Réclamation non envoyée", [error.message])
    except Invalid as invalid:
        return form_page(svc, fields, invalid.errors, 400)
    except RateLimited:
        return message(svc, 429, "Réclamation non envoyée", ["Vous avez envoyé beaucoup de messages en peu de "
                                                             "temps. Réessayez dans une heure."])
    said = ("Un e-mail de confirmation vient de vous être envoyé à l'adresse de votre demande." if acknowledged
            else "Notez cette référence : elle vous sera demandée si vous nous recontactez.")
    return message(svc, 200, "Votre réclamation a bien été reçue", [
        f"Votre réclamation est enregistrée sous la référence {ref}. Elle a été transmise à l'association "
        "concernée, avec une copie à la cellule régionale, qui veille à ce qu'une suite lui soit donnée.", said])
