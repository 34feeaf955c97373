"""HTTP edges: body parsing with caps, CORS for the site's exact origin, redirects, JSON and French pages.

Plain HTML forms (no JavaScript) get a 303 redirect or a French error page; ``fetch`` calls that send
``Accept: application/json`` get JSON.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

from .forms import FORM_KEY, FORMS

MAX_BODY = 16 * 1024
MAX_FIELDS = 200
FORM_TYPES = ("application/x-www-form-urlencoded", "application/json")
# Pages replace the CSP with their own (pages.Pages.csp: the style block by its hash, nothing else).
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                    "Referrer-Policy": "no-referrer",
                    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}


class HttpError(Exception):
    """A request we refuse, with its status and a French message."""

    def __init__(self, status: int, message: str, errors: dict | None = None, alternatives: list | None = None):
        super().__init__(message)
        self.status, self.message = status, message
        self.errors, self.alternatives = errors or {}, alternatives or []


def parse_body(content_type: str, body: bytes) -> dict[str, list[str]]:
    """Field name → list of values, from an urlencoded or JSON body."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = params.strip().lower().removeprefix("charset=").strip('"') if "charset=" in params.lower() else "utf-8"
    if len(body) > MAX_BODY:
        raise HttpError(413, "Le formulaire envoyé est trop volumineux : raccourcissez les textes et réessayez.")
    if media not in FORM_TYPES or charset not in ("utf-8", "utf8"):
        raise HttpError(415, "Format d'envoi non pris en charge : le formulaire doit être envoyé en "
                             "application/x-www-form-urlencoded ou en JSON (UTF-8).")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, "Le formulaire contient des caractères illisibles (encodage UTF-8 attendu).") from None
    if media == FORM_TYPES[0]:
        return _parse_urlencoded(text)
    return _parse_json(text)


def _parse_urlencoded(text: str) -> dict[str, list[str]]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=MAX_FIELDS)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "Le formulaire envoyé est illisible ou contient trop de champs.") from None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    return fields


def _parse_json(text: str) -> dict[str, list[str]]:
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except (ValueError, RecursionError):
        raise HttpError(400, "Les données envoyées ne sont pas un JSON valide.") from None
    if not isinstance(data, dict) or len(data) > MAX_FIELDS:
        raise HttpError(400, "Les données envoyées doivent être un objet JSON dont chaque champ est un texte.")
    fields: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values):
            errors[name if name in _known_fields() else FORM_KEY] = \
                "Valeur inattendue : ce champ doit être un texte ou une liste de textes."
            continue
        fields[name] = values
    if errors:
        raise HttpError(400, "Le formulaire contient des erreurs.", errors)
    return fields


def _known_fields() -> set[str]:
    return {name for schema in FORMS.values() for name in schema}


def wants_json(headers) -> bool:
    return "application/json" in (headers.get("accept") or "").lower()


def cors_headers(headers, origins: tuple[str, ...]) -> dict[str, str]:
    """Allow the site's exact origin, nobody else."""
    origin = headers.get("origin")
    if origin and origin in origins:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {"Vary": "Origin"}


def origin_refused(headers, origins: tuple[str, ...]) -> bool:
    """A browser on another site: refuse, « null » included — a sandboxed iframe on any site sends it, and would
    let visitors' browsers post for an attacker from many addresses. The site's pages send their origin
    (Referrer-Policy strict-origin-when-cross-origin); no Origin at all is not a browser, and meets the rate
    limit like anyone."""
    origin = headers.get("origin")
    return origin is not None and origin not in origins


def thanks_url(origin: str, kind: str, ref: str, delivered: bool) -> str:
    query = {"ref": ref, "type": kind}
    if not delivered:
        query["statut"] = "enregistre"
    return f"{origin}/merci/?{urlencode(query)}"


def success(kind: str, ref: str, delivered: bool, as_json: bool, origin: str, pages) -> tuple[int, dict, str]:
    url = thanks_url(origin, kind, ref, delivered)
    if as_json:
        return 200, {}, json_body({"ok": True, "reference": ref, "type": kind,
                                   "statut": "envoye" if delivered else "enregistre", "redirect": url})
    page = pages.message("Demande envoyée", ["Votre demande est enregistrée."], link=(url, "Continuer"))
    return 303, {"Location": url, **page.headers}, page.body


def failure(error: HttpError, kind: str | None, as_json: bool, back: str, pages) -> tuple[int, dict, str]:
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
    page = pages.message("Votre demande n'a pas pu être envoyée", paragraphs, error.status, items,
                         link=(back, "Revenir au formulaire"))
    return error.status, page.headers, page.body


def json_body(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
