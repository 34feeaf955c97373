"""The site's own form pages, answered by the functions when there is no JavaScript.

A household without JavaScript posts the form as plain HTML. If something must be corrected, it gets back THE
SAME FORM, what it typed kept, each error beside its field and a summary at the top linking to the fields; once
sent, a thank-you page that shows its reference; and a link from a commune page opens the form with the commune
already chosen. The site's look (header, logo, fonts, footer) comes with it.

The functions do not copy the site's markup: the build (plugins/forms) writes the finished form pages, the
thank-you page included, into ``site_pages.json`` beside the routing table — generated, never committed. Here they
are filled in as forms.js fills them in the browser: the same ``data-field`` boxes, the same error markup
(``p.field-error``, ``aria-invalid``, ``aria-describedby``), the same summary (``#form-summary``). Root-relative
addresses point at the site; the site's scripts are left out (the Content-Security-Policy allows only the site's
style sheets, fonts and images), so ``<noscript>`` content is shown.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict
from urllib.parse import urlencode, urlsplit

from rules.typography import french_spacing

from . import promise

if TYPE_CHECKING:
    from .forms import Alternative

THANKS = "merci"
REFERENCE = re.compile(r"^AI-\d{8}-[0-9A-Z]{6}$")
INSEE = re.compile(r"^\d[0-9AB]\d{3}$")
URL_ATTRIBUTES = ("href", "src", "action")
CONTROLS = ("input", "select", "textarea")
TEXT_TYPES = ("text", "email", "tel", "date", "number", "search", "url", "hidden")

Attributes = list[tuple[str, str | None]]   # a tag's attributes, as HTMLParser gives them (None: no value)


def page_key(kind: str, ai_id: str) -> str:
    """``demande/ai-agenais``, ``rappel/aai``: the key of a form page in site_pages.json (plugins/forms)."""
    return f"{kind}/{ai_id}"


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> dict[str, str]:
    pages: dict[str, str] = json.loads(Path(path).read_text("utf-8"))
    return pages


def load_pages(path: str) -> dict[str, str]:
    """The build's pages, or nothing (a functions package made without a site build): callers fall back on
    the functions' own plain pages."""
    try:
        return _load(path, Path(path).stat().st_mtime)
    except (OSError, ValueError):
        return {}


@dataclass
class Edits:
    """What to change in a page, by the same hooks forms.js uses in the browser."""
    values: dict[str, list[str]] | None = None     # the form's fields, as posted (None: leave the form alone)
    errors: dict[str, str] = field(default_factory=dict)   # data-field → message
    error_extra: dict[str, str] = field(default_factory=dict)   # data-field → trusted HTML after its message
    summary: str | None = None        # inner HTML of #form-summary (shown, focused)
    action: str | None = None         # the form's action
    show: set[str] = field(default_factory=set)      # ids or .classes to show
    hide: set[str] = field(default_factory=set)      # ids or .classes to hide
    text: dict[str, str] = field(default_factory=dict)   # id → new text content
    href: dict[str, str] = field(default_factory=dict)   # id → new address
    value: dict[str, str] = field(default_factory=dict)  # id → new value of an <input>
    actions: dict[str, str] = field(default_factory=dict)  # id → new action of another <form> than the page's own
    main: str | None = None           # trusted HTML replacing the content of <main>


class FieldBox(TypedDict):
    """A ``data-field`` box of a form page: its label, and the id of its first visible control (None: none)."""
    label: str
    first: str | None


@dataclass
class _OpenBox:
    """A box with an error, while the rewriter is inside it."""
    name: str
    tag: str
    depth: int
    legend_pending: bool   # a fieldset whose error goes after its legend, not yet written


class _FieldBoxes(HTMLParser):
    """First pass: each ``data-field`` box in page order, with its label and its first control's id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.boxes: dict[str, FieldBox] = {}
        self._open: list[tuple[str, str, int]] = []   # (box name, tag, depth)

    def handle_starttag(self, tag: str, attrs: Attributes) -> None:
        a = dict(attrs)
        for i, (name, box_tag, depth) in enumerate(self._open):
            if box_tag == tag:
                self._open[i] = (name, box_tag, depth + 1)
        box = a.get("data-field")
        if box:
            self.boxes.setdefault(box, {"label": a.get("data-label") or box, "first": None})
            self._open.append((box, tag, 1))
        control = a.get("id")
        if tag in CONTROLS and a.get("type") != "hidden" and control:
            for name, _, _ in self._open:
                if self.boxes[name]["first"] is None:
                    self.boxes[name]["first"] = control

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            name, box_tag, depth = self._open[i]
            if box_tag == tag:
                if depth == 1:
                    del self._open[i]
                else:
                    self._open[i] = (name, box_tag, depth - 1)


class _Rewriter(HTMLParser):
    """Second pass: the page token by token, unchanged except where ``edits`` says."""

    def __init__(self, edits: Edits, origin: str) -> None:
        super().__init__(convert_charrefs=False)
        self.e, self.origin = edits, origin
        self.out: list[str] = []
        self._skip: tuple[str, int] | None = None     # (tag, depth): content being dropped
        self._select: str | None = None
        self._boxes: list[_OpenBox] = []

    # -- helpers
    def _emit_tag(self, tag: str, attrs: Attributes, end: str = "") -> None:
        parts = [tag] + [name if value is None else f'{name}="{escape(value, quote=True)}"' for name, value in attrs]
        self.out.append("<" + " ".join(parts) + end + ">")

    def _url(self, value: str | None) -> str | None:
        if value and value.startswith("/") and not value.startswith("//"):
            return self.origin + value
        return value

    def _visible(self, attrs: Attributes, ident: str, classes: list[str]) -> Attributes:
        names = {ident} | {"." + c for c in classes}
        if names & self.e.show:
            attrs = [(n, v) for n, v in attrs if n != "hidden"]
        if names & self.e.hide and not any(n == "hidden" for n, _ in attrs):
            attrs = [*attrs, ("hidden", None)]
        return attrs

    def _error_id(self, name: str) -> str:
        return f"f-{name}-erreur"

    def _error_html(self, name: str) -> str:
        return (f'<p class="field-error" id="{self._error_id(name)}"><span class="visually-hidden">Erreur&nbsp;: '
                f'</span>{escape(french_spacing(self.e.errors[name]))}{self.e.error_extra.get(name, "")}</p>')

    @staticmethod
    def _describe(attrs: Attributes, ident: str) -> Attributes:
        current = dict(attrs).get("aria-describedby")
        attrs = [(n, v) for n, v in attrs if n != "aria-describedby"]
        return [*attrs, ("aria-describedby", f"{ident} {current}" if current else ident)]

    def _fill(self, tag: str, attrs: Attributes) -> Attributes:
        a = dict(attrs)
        name, values = a.get("name"), self.e.values
        if values is None or name is None:
            return attrs
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                attrs = [(n, v) for n, v in attrs if n != "checked"]
                if a.get("value", "on") in values.get(name, []):
                    attrs.append(("checked", None))
            elif kind in TEXT_TYPES and name in values:
                attrs = [(n, v) for n, v in attrs if n != "value"] + [("value", values[name][0])]
        return attrs

    # -- tokens
    def handle_starttag(self, tag: str, attrs: Attributes, end: str = "") -> None:
        if self._skip:
            if tag == self._skip[0]:
                self._skip = (tag, self._skip[1] + 1)
            return
        if tag == "script":
            self._skip = (tag, 1)
            return
        if tag == "noscript":
            return
        a = dict(attrs)
        ident, classes = a.get("id") or "", (a.get("class") or "").split()
        attrs = [(n, self._url(v) if n in URL_ATTRIBUTES else v) for n, v in attrs]
        attrs = self._visible(attrs, "#" + ident if ident else "", classes)
        if ident in self.e.href:
            attrs = [(n, v) for n, v in attrs if n != "href"] + [("href", self.e.href[ident])]
        if tag == "input" and ident in self.e.value:
            attrs = [(n, v) for n, v in attrs if n != "value"] + [("value", self.e.value[ident])]
        if tag == "form" and ident == "formulaire" and self.e.action:
            attrs = [(n, v) for n, v in attrs if n != "action"] + [("action", self.e.action)]
        if tag == "form" and ident in self.e.actions:
            attrs = [(n, v) for n, v in attrs if n != "action"] + [("action", self.e.actions[ident])]
        for box in self._boxes:
            if box.tag == tag:
                box.depth += 1
        box_name = a.get("data-field")
        if box_name is not None and box_name in self.e.errors:
            self._boxes.append(_OpenBox(box_name, tag, 1, tag == "fieldset"))
            if tag == "fieldset":
                attrs = self._describe(attrs, self._error_id(box_name))
        if tag in CONTROLS and a.get("type") != "hidden":
            attrs = self._fill(tag, attrs) if tag == "input" else attrs
            for open_box in self._boxes:
                attrs = self._describe(attrs, self._error_id(open_box.name))
                if not any(n == "aria-invalid" for n, _ in attrs):
                    attrs.append(("aria-invalid", "true"))
        elif tag == "input":
            attrs = self._fill(tag, attrs)
        if tag == "select":
            self._select = a.get("name")
        if tag == "option" and self.e.values is not None and self._select is not None \
                and self._select in self.e.values:
            attrs = [(n, v) for n, v in attrs if n != "selected"]
            if a.get("value") in self.e.values[self._select]:
                attrs.append(("selected", None))
        if ident == "form-summary" and self.e.summary is not None:
            attrs = [(n, v) for n, v in attrs if n != "hidden"] + [("autofocus", None)]
        self._emit_tag(tag, attrs, end)
        if ident == "form-summary" and self.e.summary is not None:
            self.out.append(self.e.summary)
        replace = None
        if ident in self.e.text:
            replace = escape(self.e.text[ident])
        elif tag == "textarea" and self.e.values is not None and (field_name := a.get("name")) is not None \
                and field_name in self.e.values:
            replace = "\n" + escape(self.e.values[field_name][0])
        elif tag == "main" and self.e.main is not None:
            replace = self.e.main
        if replace is not None and not end:
            self.out.append(replace)
            self._skip = (tag, 1)

    def handle_startendtag(self, tag: str, attrs: Attributes) -> None:
        self.handle_starttag(tag, attrs, end=" /")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag != self._skip[0]:
                return
            depth = self._skip[1] - 1
            if depth:
                self._skip = (tag, depth)
                return
            self._skip = None
            if tag == "script":
                return
        if tag == "noscript":
            return
        if tag == "select":
            self._select = None
        for box in list(reversed(self._boxes)):
            if box.tag == tag:
                box.depth -= 1
                if box.depth == 0:
                    if box.legend_pending or box.tag != "fieldset":   # a box, or a fieldset without a legend
                        self.out.append(self._error_html(box.name))
                    self._boxes.remove(box)
        self.out.append(f"</{tag}>")
        if tag == "legend":
            for box in self._boxes:
                if box.legend_pending:
                    box.legend_pending = False
                    self.out.append(self._error_html(box.name))

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        if not self._skip:
            self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self._skip:
            self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        if not self._skip:
            self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def rewrite(html: str, edits: Edits, origin: str) -> str:
    parser = _Rewriter(edits, origin.rstrip("/"))
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


def field_boxes(html: str) -> dict[str, FieldBox]:
    parser = _FieldBoxes()
    parser.feed(html)
    parser.close()
    return parser.boxes


def summary_html(heading: str, items: list[tuple[str | None, str]], message: str = "") -> str:
    """The summary forms.js writes: a heading, then each error, linked to its field when it has one."""
    def say(text: str) -> str:
        return escape(french_spacing(text))

    lines = [f"<h2>{say(heading)}</h2>"]
    if message:
        lines.append(f"<p>{say(message)}</p>")
    if items:
        lines.append("<ul>" + "".join(f'<li><a href="#{escape(target)}">{say(text)}</a></li>' if target
                                      else f"<li>{say(text)}</li>" for target, text in items) + "</ul>")
    return "".join(lines)


class SitePages:
    """The build's pages, filled in for one answer. ``available`` is False without a site build."""

    def __init__(self, path: str, site_origin: str, forms_endpoint: str) -> None:
        self.path, self.site_origin, self.forms_endpoint = path, site_origin.rstrip("/"), forms_endpoint.rstrip("/")
        site, own = _origin(self.site_origin), _origin(self.forms_endpoint)
        self.csp = (f"default-src 'none'; style-src {site}; font-src {site}; img-src {site}; "
                    f"form-action 'self' {own} {site}; frame-ancestors 'none'; base-uri 'none'")

    @property
    def pages(self) -> dict[str, str]:
        return load_pages(self.path)

    def has_thanks(self) -> bool:
        return THANKS in self.pages

    def charter(self, ai_id: str) -> bool:
        """Whether the AI signed the charter, as its form page says (``data-charter``)."""
        html = self.pages.get(page_key("demande", ai_id)) or self.pages.get(page_key("rappel", ai_id)) or ""
        return 'data-charter="oui"' in html

    def form_url(self, kind: str, ai_id: str | None, commune: str = "") -> str:
        """The functions' address of a form with its commune chosen (a link that works without JavaScript)."""
        query = {k: v for k, v in (("association", ai_id or ""), ("commune", commune)) if v}
        return f"{self.forms_endpoint}/{kind}" + (f"?{urlencode(query)}" if query else "")

    def form(self, kind: str, ai_id: str, values: dict[str, list[str]], errors: dict[str, str] | None = None,
             alternatives: list[Alternative] | None = None, message: str = "", commune_name: str = "") -> str | None:
        """The AI's form page with ``values`` in its fields; with ``errors``, each beside its field and summarised
        at the top (focus on the summary, each line a link to its field). None: no such page in the build."""
        html = self.pages.get(page_key(kind, ai_id))
        if html is None:
            return None
        errors = errors or {}
        edits = Edits(values=values, action=f"{self.forms_endpoint}/{kind}")
        boxes = field_boxes(html)
        if errors or message:
            edits.errors = {name: text for name, text in errors.items() if name in boxes}
            items: list[tuple[str | None, str]] = [(None, text) for name, text in errors.items() if name not in boxes]
            items += [(boxes[name]["first"], f"{boxes[name]['label']}\u00a0: {errors[name]}")
                      for name in boxes if name in errors]
            count = len(errors)
            heading = ("Votre demande n'a pas été envoyée\u00a0: un point est à corriger" if count == 1 else
                       f"Votre demande n'a pas été envoyée\u00a0: {count} points sont à corriger" if count else
                       "Votre demande n'a pas été envoyée")
            edits.summary = summary_html(heading, items, message)
            if alternatives and "commune" in edits.errors:
                edits.error_extra["commune"] = self._alternatives(kind, alternatives, values)
        code = (values.get("commune") or [""])[0]
        if commune_name and INSEE.match(code) and "commune" in boxes and not boxes["commune"]["first"]:
            # the regional callback form: a hidden commune field, its name shown beside it
            edits.show |= {"#f-commune-nom"}
            edits.hide |= {"#f-commune-aide"}
            edits.text["f-commune-nom"] = f"Votre commune\u00a0: {commune_name}"
        return rewrite(html, edits, self.site_origin)

    def _alternatives(self, kind: str, alternatives: list[Alternative], values: dict[str, list[str]]) -> str:
        code = (values.get("commune") or [""])[0]
        code = code if INSEE.match(code) else ""
        items = []
        for ai in alternatives:
            network = not ai.get("url")
            href = self.form_url("rappel" if network else kind, None if network else ai["id"], code)
            text = ("Être rappelé par " if network else "Écrire à ") + ai["name"]
            phone = f" ou appeler le {escape(ai['phone'])}" if ai.get("phone") else ""
            items.append(f'<li><a href="{escape(href)}">{escape(text)}</a>{phone}</li>')
        return '<ul class="alternatives">' + "".join(items) + "</ul>"

    def thanks(self, kind: str, ai_id: str, network_id: str, ref: str, delivered: bool, charter: bool,
               promised: datetime.date | None = None, channel: str = "telephone",
               feedback: str = "") -> str | None:
        """The thank-you page with the reference written in it, and the words for its recipient — what forms.js
        does with ``/merci/?ref=…`` in the browser — and the promise: by which channel, at the latest which day."""
        html = self.pages.get(THANKS)
        if html is None or not REFERENCE.match(ref):
            return None
        network = ai_id == network_id
        edits = Edits(show={"#merci-ref"}, hide={"#merci-generique"}, text={"merci-ref-valeur": ref})
        if kind == "rappel" or (kind == "demande" and not network):
            edits.hide |= {"#merci-suite-generique"}
            edits.show |= {f"#merci-suite-{kind}"}
        edits.show |= {".pour-aai"} if network else {".pour-ai"}
        edits.hide |= {".pour-ai"} if network else {".pour-aai"}
        (edits.show if charter and not network else edits.hide).add(".charte-oui")
        if not network:
            edits.href["merci-page-ai"] = f"{self.site_origin}/association/{ai_id}/"
        if promised is not None:
            edits.show |= {"#merci-promesse"}
            edits.text.update({"merci-promesse-jour": promise.day_words(promised),
                               "merci-promesse-par": promise.CHANNELS.get(channel, promise.CHANNELS["telephone"]),
                               "merci-sans-nouvelles": "d'ici là"})
        if not delivered:
            edits.text["merci-titre"] = "Votre demande est bien enregistrée"
            edits.show |= {"#merci-enregistre"}
        if feedback:   # the question on the site itself, with its token (checked when the answer comes)
            edits.show |= {"#avis-site"}
            edits.value["avis-jeton"] = feedback
            edits.actions["avis-site-formulaire"] = f"{self.forms_endpoint}/avis-site"
        return rewrite(html, edits, self.site_origin)

    def message(self, title: str, paragraphs: list[str], items: list[str] | None = None,
                link: tuple[str, str] | None = None) -> str | None:
        """A short message in the site's page (its header, logo and footer): the thank-you page's frame."""
        html = self.pages.get(THANKS)
        if html is None:
            return None
        def say(text: str) -> str:
            return escape(french_spacing(text))

        body = [f"<h1>{say(title)}</h1>", *(f"<p>{say(p)}</p>" for p in paragraphs)]
        if items:
            body.append("<ul>" + "".join(f"<li>{say(i)}</li>" for i in items) + "</ul>")
        if link:
            body.append(f'<p><a class="button" href="{escape(link[0])}">{say(link[1])}</a></p>')
        html = re.sub(r"<title>.*?</title>", f"<title>{escape(title)}</title>", html, count=1, flags=re.S)
        return rewrite(html, Edits(main="\n".join(body)), self.site_origin)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'none'"


__all__ = ["Edits", "SitePages", "load_pages", "page_key", "rewrite"]
