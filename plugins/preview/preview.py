"""Marks a pull request's preview build (``AAI_PREVIEW=pr-12 make publish``) as what it is.

The production build, published under ``/apercu/pr-12/`` behind the same CloudFront: every page
says so in a banner, asks search engines not to index it (CloudFront also sends ``X-Robots-Tag``),
and the order and callback forms are disabled with a French notice, so nobody sends a real request
to an association from a site that is not the public one. Enabled by ``publishconf.py``.
"""

from __future__ import annotations

import logging
import re

from markupsafe import escape
from pipeline import finishing_step

logger = logging.getLogger(__name__)

NOINDEX = '<meta name="robots" content="noindex, nofollow">'
FORM = re.compile(r'<form class="aai-form".*?</form>', re.S)
MAIN = re.compile(r"<main\b[^>]*>")


def banner(label: str, public_url: str) -> str:
    return (f'<div class="card notice preview-banner" role="note" data-pagefind-ignore><p><strong>Aperçu de '
            f'{escape(label)}</strong> — cette version n\'est pas le site public, qui reste '
            f'<a href="{escape(public_url)}/">{escape(public_url.split("://")[-1])}</a> jusqu\'à la fusion. '
            'Les formulaires y sont désactivés.</p></div>')


FORM_NOTICE = ('<p class="card notice preview-notice" role="note"><strong>Aperçu :</strong> ce formulaire est '
               'désactivé, rien n\'est envoyé. Sur le site public, votre demande partira vers l\'association.</p>')


def _disable(form: re.Match) -> str:
    return FORM_NOTICE + form.group(0).replace('<button type="submit"', '<button type="submit" disabled')


def mark_page(html: str, label: str, public_url: str) -> str:
    """The page with the noindex tag, the banner at the top of its content and its forms disabled."""
    if NOINDEX not in html:
        html = html.replace("</head>", NOINDEX + "\n</head>", 1)
    if "preview-banner" not in html:
        html = MAIN.sub(lambda m: m.group(0) + "\n" + banner(label, public_url), html, count=1)
    if "preview-notice" not in html:
        html = FORM.sub(_disable, html)
    return html


def mark_pages(pelican, pipeline) -> None:
    """Every page of the build, before the sitemap and the search index read them."""
    settings = pelican.settings
    label, public_url = settings["PREVIEW_LABEL"], settings["PREVIEW_PUBLIC_URL"]
    files = pipeline.files
    pages = sorted(rel for rel in files.produced if rel.endswith(".html"))
    for rel in pages:
        text = files.read_text(rel)
        marked = mark_page(text, label, public_url)
        if marked != text:
            files.write(rel, marked)
    logger.info("Preview: %d pages marked (%s)", len(pages), label)


def register() -> None:
    finishing_step("preview marks", 10, mark_pages)
