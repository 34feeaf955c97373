"""From a Chalice request to the functions' inputs, and from their pages to a Chalice Response.

Shared by every Blueprint so that each route stays one line: its view gets plain values (query, button fields)
and returns a Page; the security headers are added here, once.
"""

from __future__ import annotations

from chalice.app import Request, Response

from .http import SECURITY_HEADERS, URLENCODED, HttpError, parse_body
from .pages import Page

ANY_TYPE = ["*/*"]   # routes check the content type themselves (parse_body), to answer in French


def page_response(page: Page, extra: dict[str, str] | None = None) -> Response:
    return Response(body=page.body, status_code=page.status,
                    headers={**SECURITY_HEADERS, **page.headers, **(extra or {}),
                             "Content-Type": "text/html; charset=utf-8"})


def raw_body(request: Request) -> bytes:
    """The body as bytes (Chalice types it ``str | bytes``; API Gateway's events give bytes)."""
    body = request.raw_body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def query_of(request: Request) -> dict[str, str]:
    return dict(request.query_params or {})


def button_fields(request: Request) -> dict[str, str]:
    """The fields of a page's one-button form (an HTML form: urlencoded), by the one body parser; an
    unreadable body is an empty form (the page then finds no signature: 403 in French)."""
    try:
        fields = parse_body(request.headers.get("content-type") or URLENCODED[0], raw_body(request),
                            accept=URLENCODED)
    except HttpError:
        return {}
    return {name: values[-1] for name, values in fields.items()}
