"""Pelican settings for a local build; ``publishconf.py`` overrides them for production."""

from __future__ import annotations

import os

AUTHOR = "Aquitaine Associations Intermédiaires"
SITENAME = "Associations intermédiaires d'Aquitaine"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
LOCALE = ("C.UTF-8", "C")  # French dates come from our own filter, not the machine's locale.
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

PLUGIN_PATHS = ["plugins"]
# "pipeline" first: the others write through it (only changed files, stale ones removed, pages skipped
# when their inputs did not change).
PLUGINS = ["pipeline", "sitedata", "directory", "editorial", "map", "charter", "charter_results", "forms"]

# Where the form functions answer; empty means the local server started by `make run`.
FORMS_ENDPOINT = os.environ.get("AAI_FORMS_ENDPOINT", "http://localhost:8001")
TILES_URL = os.environ.get("AAI_TILES_URL", "")
# The charter's results computed by the functions (plugins/charter_results; relative to the project): the file
# `python -m chalicelib.admin results` writes locally, copied from S3 by the daily rebuild. Absent: no results.
CHARTER_RESULTS = os.environ.get("AAI_CHARTER_RESULTS") or "var/charter-results.json"

# Pages rendered from a theme template with the whole context (plugins/sitedata).
THEME_PAGES = {
    "home.html": "index.html",
    "finder.html": "trouver/index.html",
    "associations.html": "association/index.html",
    "404.html": "404.html",
    "charte-graphique.html": "charte-graphique/index.html",
    "service-filter.css.html": "theme/css/service-filter.css",  # commune pages' filter, per service
    "town-hall-card.css.html": "theme/css/town-hall-card.css",  # the town-hall card's preview (its inline styles)
}

# News live in content/actualites, press items in content/presse, pages in content/pages.
ARTICLE_PATHS = ["actualites", "presse"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["presse/pdf", "images", "extra"]
ARTICLE_URL = "actualites/{slug}/"
ARTICLE_SAVE_AS = "actualites/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
INDEX_SAVE_AS = "actualites/index.html"
DEFAULT_PAGINATION = 10
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# No pages Pelican would make by default that nobody asked for.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
DRAFT_SAVE_AS = DRAFT_PAGE_SAVE_AS = ""
DISPLAY_PAGES_ON_MENU = False  # measured at 74 s and 842 MB with the directory pages.
DISPLAY_CATEGORIES_ON_MENU = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/actualites.atom.xml"  # news only: press items are left out (plugins/editorial)
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

WITH_FUTURE_DATES = False
SLUGIFY_SOURCE = "basename"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CACHE_PATH = "var/cache"  # compiled templates, shared by every build (plugins/pipeline/templates.py)
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False  # not needed: the build removes exactly the files it no longer makes
OUTPUT_RETENTION = ["kit"]  # written by `python -m kit`, never removed by a build
# Processes rendering the commune pages (plugins/pipeline/parallel.py); 0: one per core.
BUILD_WORKERS = int(os.environ.get("AAI_BUILD_WORKERS") or 0)
BUILD_PARALLEL_MIN_PAGES = 400  # fewer commune pages are rendered by the build itself (the tests lower it)
# The site's own scripts and stylesheets minified as they are written (plugins/pipeline/minify.py). On here too,
# not only in publishconf.py: the tests measure this build (the pages' weight, the maps working), `make run`
# previews what visitors get, and it costs a few milliseconds a build. The sources stay readable in theme/static/;
# AAI_MINIFY_ASSETS=0 serves them as written, e.g. to step through a script with its own line numbers.
MINIFY_ASSETS = os.environ.get("AAI_MINIFY_ASSETS", "1") != "0"
TYPOGRIFY = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.smarty": {"substitutions": {
            "left-single-quote": "&rsquo;", "right-single-quote": "&rsquo;",
            "left-double-quote": "&laquo;&nbsp;", "right-double-quote": "&nbsp;&raquo;"}},
    },
    "output_format": "html5",
}

MENU = [
    ("Accueil", ""),
    ("Trouver mon association", "trouver/"),
    ("Carte", "carte/"),
    ("Nos services", "services/"),
    ("Qu'est-ce qu'une AI ?", "association-intermediaire/"),
    ("Charte qualité", "charte-qualite/"),
    ("Actualités", "actualites/"),
]
FOOTER_MENU = [
    ("Les associations", "association/"),
    ("Partenaires", "partenaires/"),
    ("Revue de presse", "revue-de-presse/"),
    ("Accessibilité : non conforme", "accessibilite/"),  # the status of content/pages/accessibilite.md
    ("Mentions légales", "mentions-legales/"),
    ("Données personnelles", "donnees-personnelles/"),
    ("Plan du site", "plan-du-site/"),
]
