"""The pages the functions serve (form errors, the « traitée » and outcome page, the household's answer,
problems), rendered from Jinja2 templates in ``templates/`` with autoescaping on.

French, accessible (labelled fields, errors linked to their field and summarised at the top, focus on the
summary, 24-pixel targets, visible focus, reflow at 320 pixels), nothing from elsewhere, and a strict
Content-Security-Policy: the one style block is allowed by its hash, and in the back office so is its one small
script (the session's end, ``espace/session.js``), which nothing needs to work. Colours come from the graphic charter
(data/brand.yaml → routing.json); without one, the browser's own system colours.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .templating import TEMPLATES, environment

if TYPE_CHECKING:
    from ..routing import Routing

FALLBACK_SITE_NAME = "Associations intermédiaires d'Aquitaine"


@dataclass(frozen=True)
class Page:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def _css(brand: dict[str, str]) -> str:
    colours = "".join(f"--{name}:{value};" for name, value in sorted(brand.items()))
    return (TEMPLATES / "pages.css").read_text("utf-8").replace("/*brand*/", colours)


def _sha256(text: str) -> str:
    """A CSP source allowing exactly this inline block."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


class Pages:
    """Built once per routing table: the site's name, its colours and the regional phone line."""

    def __init__(self, routing: Routing | None = None) -> None:
        self.site_name = routing.site_name if routing else FALLBACK_SITE_NAME
        self.site_url = routing.site_url if routing else ""
        self.network = routing.network if routing else None
        self.css = _css(routing.brand if routing else {})
        self.script = (TEMPLATES / "espace" / "session.js").read_text("utf-8")
        self.csp = (f"default-src 'none'; style-src '{_sha256(self.css)}'; form-action 'self'; "
                    "frame-ancestors 'none'; base-uri 'none'")
        self.espace_csp = f"{self.csp}; script-src '{_sha256(self.script)}'; connect-src 'self'"

    def render(self, template: str, status: int = 200, **context: Any) -> Page:
        body = environment().get_template(template).render(
            site_name=self.site_name, site_url=self.site_url, network=self.network, css=self.css,
            session_script=self.script, **context)
        return Page(status, body, {"Content-Security-Policy": self.espace_csp if template.startswith("espace/")
                                   else self.csp})

    def message(self, title: str, paragraphs: list[str], status: int = 200, items: list[str] | None = None,
                link: tuple[str, str] | None = None, form: dict[str, Any] | None = None) -> Page:
        """A title, paragraphs, an optional list, link, or one-button form (``action``, ``hidden``, ``label``)."""
        return self.render("message.html", status, title=title, paragraphs=paragraphs, items=items or [],
                           link=link, form=form)
