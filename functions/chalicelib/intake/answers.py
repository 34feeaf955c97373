"""What the forms answer, as (status, headers, body): JSON for ``fetch`` (``Accept: application/json``); without
JavaScript, a 303 redirect to the functions' thank-you page, the form again with its errors (site_pages.py), or
a French page in the site's look. The routes (routes.py) turn them into Chalice responses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..web.http import HttpError, json_body
from .forms import FORMS

if TYPE_CHECKING:
    from ..routing import Routing
    from ..web.pages import Pages
    from .site_pages import SitePages

Answer = tuple[int, dict[str, str], str]   # status, headers, body


def thanks_url(origin: str, kind: str, ref: str, delivered: bool, promised: str = "", channel: str = "",
               feedback: str = "") -> str:
    """The site's /merci/; ``au`` and ``par`` carry the promise (day, channel), displayed once checked; ``avis``
    the signed token of the page's question « Avez-vous trouvé facilement ? »."""
    query = {"ref": ref, "type": kind, **({"au": promised, "par": channel} if promised else {})}
    if feedback:
        query["avis"] = feedback
    if not delivered:
        query["statut"] = "enregistre"
    return f"{origin}/merci/?{urlencode(query)}"


def own_thanks_url(endpoint: str, kind: str, ref: str, delivered: bool, association: str, promised: str = "",
                   channel: str = "", feedback: str = "") -> str:
    """The functions' thank-you page: without JavaScript, the reference is written in the page by the server."""
    query = {"ref": ref, "type": kind, "association": association,
             **({"au": promised, "par": channel} if promised else {})}
    if feedback:
        query["avis"] = feedback
    if not delivered:
        query["statut"] = "enregistre"
    return f"{endpoint}/merci?{urlencode(query)}"


def success(kind: str, ref: str, delivered: bool, as_json: bool, origin: str, pages: Pages,
            no_script_url: str = "", promised: str = "", channel: str = "", feedback: str = "") -> Answer:
    """JSON for fetch (forms.js shows the site's /merci/ with the reference); without JavaScript, a redirect to
    ``no_script_url`` (the functions' thank-you page, which shows the reference) or, without a site build, to
    the site's /merci/."""
    url = no_script_url if no_script_url and not as_json else \
        thanks_url(origin, kind, ref, delivered, promised, channel, feedback)   # only the address given back
    if as_json:
        return 200, {}, json_body({"ok": True, "reference": ref, "type": kind,
                                   "statut": "envoye" if delivered else "enregistre", "redirect": url,
                                   "au_plus_tard": promised, "par": channel})
    page = pages.message("Demande envoyée", ["Votre demande est enregistrée."], link=(url, "Continuer"))
    return 303, {"Location": url, **page.headers}, page.body


def form_again(error: HttpError, kind: str, fields: dict[str, list[str]], site_pages: SitePages,
               routing: Routing) -> Answer | None:
    """Without JavaScript, a refused post gets THE FORM back, what was typed kept, each error beside its field
    and a summary linking to them (None: no form page for that association in the build)."""
    association = (fields.get("association") or [""])[0]
    values = {name: values for name, values in fields.items() if name not in ("website",)}
    commune = (values.get("commune") or [""])[0]
    html = site_pages.form(kind, association, values, error.errors, error.alternatives,
                           message="" if error.errors else error.message,
                           commune_name=routing.commune_name(commune) if commune else "")
    if html is None:
        return None
    return error.status, site_page_headers(site_pages), html


def site_page_headers(site_pages: SitePages) -> dict[str, str]:
    """A page in the site's look: its style sheets, fonts and images from the site, nothing else; its own form
    posts carry the functions' origin (same-origin referrer policy: « no-referrer » would send Origin: null)."""
    return {"Content-Security-Policy": site_pages.csp, "Referrer-Policy": "same-origin"}


def failure(error: HttpError, kind: str | None, as_json: bool, back: str, pages: Pages,
            site_pages: SitePages | None = None) -> Answer:
    if as_json:
        return error.status, {}, json_body({"ok": False, "message": error.message, "errors": error.errors,
                                            "alternatives": error.alternatives})
    schema = FORMS.get(kind or "", {})
    items, seen = [], set()
    for name, message in error.errors.items():
        if message not in seen:
            seen.add(message)
            label = schema[name].label if name in schema else "Formulaire"
            items.append(f"{label} : {message}")
    paragraphs = [error.message]
    if items:
        paragraphs.append("Voici ce qu'il faut corriger. Utilisez le bouton « Retour » de votre navigateur : "
                          "ce que vous avez saisi y est conservé.")
    title, link = "Votre demande n'a pas pu être envoyée", (back, "Revenir au formulaire")
    if site_pages is not None:
        html = site_pages.message(title, paragraphs, items, link)
        if html is not None:
            return error.status, site_page_headers(site_pages), html
    page = pages.message(title, paragraphs, error.status, items, link=link)
    return error.status, page.headers, page.body
