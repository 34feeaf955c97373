"""HTTP edges every route shares: body parsing with caps (the only parser), the security headers, CORS for the
site's exact origin, the Origin check, JSON. What the forms answer (redirects, the form again, French pages)
is the intake's: ``chalicelib.intake.answers``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl


if TYPE_CHECKING:
    from ..intake.forms import Alternative

# The one set of limits for every body a visitor sends (the site's forms, the signed links' buttons, the back
# office): ``parse_body`` reads them all.
MAX_BODY = 16 * 1024
MAX_FIELDS = 200
FORM_TYPES = ("application/x-www-form-urlencoded", "application/json")
URLENCODED = FORM_TYPES[:1]   # a browser's HTML form: the pages' buttons, the back office
# Pages replace the CSP with their own (pages.Pages.csp: the style block by its hash, nothing else).
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
                    "Referrer-Policy": "no-referrer",
                    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}


class HttpError(Exception):
    """A request we refuse, with its status and a French message."""

    def __init__(self, status: int, message: str, errors: dict[str, str] | None = None,
                 alternatives: list[Alternative] | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.errors, self.alternatives = errors or {}, alternatives or []


def parse_body(content_type: str, body: bytes, accept: tuple[str, ...] = FORM_TYPES) -> dict[str, list[str]]:
    """Field name → list of values, from an urlencoded or (where ``accept`` allows it) JSON body; an HttpError
    (413, 415, 400) in French otherwise. The only reader of request bodies: its limits are the module's."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = params.strip().lower().removeprefix("charset=").strip('"') if "charset=" in params.lower() else "utf-8"
    if len(body) > MAX_BODY:
        raise HttpError(413, "Le formulaire envoyé est trop volumineux : raccourcissez les textes et réessayez.")
    if media not in accept or charset not in ("utf-8", "utf8"):
        raise HttpError(415, "Format d'envoi non pris en charge : le formulaire doit être envoyé en "
                             "application/x-www-form-urlencoded" + (" ou en JSON" if len(accept) > 1 else "") +
                             " (UTF-8).")
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
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
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
    from ..intake.forms import FORM_KEY   # the forms' rules: imported by a post, not at a cold start
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
    from ..intake.forms import FORMS
    return {name for schema in FORMS.values() for name in schema}


def wants_json(headers: Mapping[str, str]) -> bool:
    return "application/json" in (headers.get("accept") or "").lower()


def cors_headers(headers: Mapping[str, str], origins: tuple[str, ...]) -> dict[str, str]:
    """Allow the site's exact origin, nobody else."""
    origin = headers.get("origin")
    if origin and origin in origins:
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {"Vary": "Origin"}


def origin_refused(headers: Mapping[str, str], origins: tuple[str, ...]) -> bool:
    """A browser on another site: refuse, « null » included — a sandboxed iframe on any site sends it, and would
    let visitors' browsers post for an attacker from many addresses. The site's pages send their origin
    (Referrer-Policy strict-origin-when-cross-origin); no Origin at all is not a browser, and meets the rate
    limit like anyone."""
    origin = headers.get("origin")
    return origin is not None and origin not in origins


def json_body(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)
