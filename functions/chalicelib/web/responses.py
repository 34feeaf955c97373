"""From a Chalice request to the functions' inputs, and from their pages to a Chalice Response.

Shared by every Blueprint so that each route stays one line: its view gets plain values (query, button fields)
and returns a Page; the security headers are added here, once.
"""

from __future__ import annotations

import contextvars
import copy
import functools
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint, Request, Response

from .http import SECURITY_HEADERS, URLENCODED, HttpError, parse_body

if TYPE_CHECKING:
    from .pages import Page

class Routes(Blueprint):
    """A domain's routes (Chalice's Blueprint) that can be registered in more than one app.

    Lambda builds one app, but the tests serve one app per module (tests/support_chalice.py), and a plain
    Blueprint serves only one: Chalice pops a route's options (``methods``…) from the dict the Blueprint keeps when
    it registers them, so a second app would get every route as GET; and the Blueprint's ``current_request`` is
    the last registering app's, not the one serving. Here each registration gets a fresh copy of the options, and
    the request is the one of whichever app is serving."""

    def __init__(self, import_name: str) -> None:
        super().__init__(import_name)
        self._serving: contextvars.ContextVar[Any] = contextvars.ContextVar(f"serving:{import_name}")

    def _register_handler(self, handler_type: str, name: str, user_handler: Any, wrapped_handler: Any,
                          kwargs: dict[str, Any], options: dict[Any, Any] | None = None) -> None:
        pristine = copy.deepcopy(kwargs)

        def register(app: Any, app_options: dict[Any, Any]) -> None:
            handler = self._served_by(app, user_handler) if handler_type == "route" else user_handler
            super(Routes, self)._register_handler(handler_type, name, handler, wrapped_handler,
                                                  copy.deepcopy(pristine), options)
            self._deferred_registrations.pop()(app, app_options)   # the registration Chalice just deferred

        self._deferred_registrations.append(register)

    def _served_by(self, app: Any, view: Any) -> Any:
        """The view as ``app`` calls it: while it runs, ``current_request`` is that app's. An app keeps its last
        request after answering, so asking every app which one is serving would find a stale one."""

        @functools.wraps(view)
        def serve(*args: Any, **kwargs: Any) -> Any:
            token = self._serving.set(app)
            try:
                return view(*args, **kwargs)
            finally:
                self._serving.reset(token)

        return serve

    @property
    def current_request(self) -> Request:
        """The request being served, by whichever of the apps holding these routes serves it."""
        app = self._serving.get(None)
        request = getattr(app, "current_request", None)
        if request is None:
            raise RuntimeError("no request is being served")
        return request  # type: ignore[no-any-return]


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
