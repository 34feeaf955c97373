"""News and press review: two flows from Pelican's one list of articles.

Press items (``content/presse/``, category « Revue de presse ») are taken out of the
articles before Pelican builds its lists, so the news list, its pagination and the Atom
feed hold news only. They get no page of their own: the « Revue de presse » page lists
them (``press_items`` in the template context) with their publication, date, excerpt and
a link to the original or to the attached PDF.

News naming an association (``Association: <id>``) get ``featured_ai``; the association's
page lists them through ``NEWS_BY_ASSOCIATION`` (id → news, newest first).
"""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path

from rules.dates import MONTHS, french_date

logger = logging.getLogger(__name__)

PRESS_FOLDER = "presse"
PRESS_CATEGORY = "Revue de presse"
LINK_PREFIX = re.compile(r"^\{(static|attach|filename)\}/?")


def is_press(article) -> bool:
    folder = Path(article.relative_source_path).parts[0]
    return folder == PRESS_FOLDER or str(getattr(article, "category", "")) == PRESS_CATEGORY


def split_press(generator) -> None:
    """``article_generator_pretaxonomy``: move press items out of the news flow."""
    press = [a for a in generator.articles if is_press(a)]
    generator.articles = [a for a in generator.articles if not is_press(a)]
    generator.translations = [a for a in generator.translations if not is_press(a)]
    generator.hidden_articles = [a for a in generator.hidden_articles if not is_press(a)]
    content_root = Path(generator.settings["PATH"])
    for item in press:
        describe_press_item(item, content_root)
    press.sort(key=lambda a: a.date, reverse=True)
    generator.context["press_items"] = press
    for article in generator.articles:
        describe_event(article)
    logger.info("Editorial: %d news, %d press items", len(generator.articles), len(press))


def describe_press_item(item, content_root: Path) -> None:
    """Set ``press_url`` (site-relative for a PDF, absolute for a link) and ``press_format``."""
    item.press_url = item.press_format = None
    pdf = getattr(item, "pdf", None)
    link = getattr(item, "link", None)
    if pdf:
        relative = LINK_PREFIX.sub("", pdf.strip()).lstrip("/")
        path = content_root / relative
        if path.is_file():
            item.press_url = relative
            item.press_format = f"PDF, {_size(path.stat().st_size)}"
        else:
            logger.warning("%s : le PDF « %s » est introuvable dans content/%s ; "
                           "vérifiez le nom du fichier.", item.relative_source_path, pdf, relative)
    elif link:
        item.press_url = link.strip()
    else:
        logger.warning("%s : ajoutez une ligne « Link: » (adresse de l'article) ou « Pdf: » "
                       "(fichier joint).", item.relative_source_path)


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def parse_day(text) -> datetime.date | None:
    if isinstance(text, datetime.date):
        return text
    try:
        return datetime.date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


def french_period(start: datetime.date, end: datetime.date | None = None) -> str:
    """« le 16 mai 2026 », « du 16 au 24 mai 2026 », « du 28 avril au 3 mai 2026 »."""
    if end is None or end == start:
        return f"le {french_date(start)}"
    first = "1er" if start.day == 1 else str(start.day)
    if (start.year, start.month) == (end.year, end.month):
        return f"du {first} au {french_date(end)}"
    if start.year == end.year:
        return f"du {first} {MONTHS[start.month - 1]} au {french_date(end)}"
    return f"du {french_date(start)} au {french_date(end)}"


def describe_event(article) -> None:
    """``Event_date``/``Event_end``/``Event_place`` → ``event_when`` (French) and ``event_start``."""
    article.event_start = article.event_when = None
    raw = getattr(article, "event_date", None)
    if not raw:
        return
    start = parse_day(raw)
    if start is None:
        logger.warning("%s : la date d'événement « %s » doit s'écrire AAAA-MM-JJ.",
                       article.relative_source_path, raw)
        return
    end = parse_day(getattr(article, "event_end", None) or "")
    article.event_start = start
    article.event_end_day = end
    article.event_when = french_period(start, end)


def link_associations(generator) -> None:
    """``article_generator_finalized``: resolve ``Association:`` and index news by association."""
    site = generator.settings["SITE_DATA"]
    by_association: dict[str, list] = {}
    for article in generator.articles:
        article.featured_ai = None
        ident = getattr(article, "association", None)
        if not ident:
            continue
        association = site.association(str(ident).strip())
        if association is None:
            logger.warning("%s : l'association « %s » n'existe pas dans data/associations.yaml.",
                           article.relative_source_path, ident)
            continue
        article.featured_ai = association
        by_association.setdefault(association.id, []).append(article)
    generator.context["NEWS_BY_ASSOCIATION"] = by_association
