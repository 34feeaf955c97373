"""The one Jinja2 environment of the functions: the pages (``templates/*.html``, ``templates/espace/``) and the
e-mails (``templates/mail/<name>.txt`` and ``.html``) are rendered by it.

Autoescaping follows the file's extension: on for ``.html`` (whatever a visitor typed is text, never markup), off for
``.txt`` (a plain-text e-mail has nothing to escape, and « & » must stay « & »). Jinja is imported on first use: the
form POSTs answered in JSON never pay for it.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as _html_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rules import grammar
from rules.typography import french_spacing

if TYPE_CHECKING:
    import jinja2
    import markupsafe

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"   # chalicelib/templates


@lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                                                 default_for_string=True, default=False),
                             trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined,
                             # compiled once: a Lambda's files never change, and `chalice local` starts a new
                             # worker when one does (no file's date read again for every message)
                             auto_reload=False)
    env.filters["french"] = french_spacing
    env.filters.update(grammar.filters())   # « d'Aquitaine », « en tant qu'association »
    import markupsafe
    _MARKUP[:] = [markupsafe.Markup]
    env.filters["lines"] = _lines
    return env


def _lines(value: object) -> "markupsafe.Markup":
    """Text for an e-mail's HTML: escaped by the standard library as the e-mails always were (``&#x27;``,
    ``&quot;``: mail filters and the tests know them), its line breaks kept as ``<br>``."""
    return _MARKUP[0](_html_escape(str(value)).replace("\n", "<br>"))


# markupsafe.Markup, set with the environment (Jinja's own dependency, imported with it)
_MARKUP: "list[type[markupsafe.Markup]]" = []


def render(template: str, **context: Any) -> str:
    return str(environment().get_template(template).render(**context))
