"""The site's own scripts and stylesheets, minified as the build writes them (``MINIFY_ASSETS``).

Visitors on a phone pay for every byte a page loads; comments and indentation are for the people who read
``theme/static/``, not for the browser. rjsmin and rcssmin only drop what the language ignores (comments,
spaces, line breaks where no statement needs them), keep ``/*! … */`` licence comments, and are
deterministic: the same source always gives the same bytes, so an incremental build stays identical to a
cold one. The vendored libraries' scripts are left as their authors published them (already minified, see
theme/static/vendor/README.md); their stylesheets are not minified upstream, so they are.

Every file goes through ``OutputFiles.write`` (plugins/pipeline/files.py): theme files copied, stylesheets
rendered from templates, each map's ``carte.js``. A file kept from the last build was written by it with the
same setting, since the setting is part of every page's and map's inputs.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable

SETTING = "MINIFY_ASSETS"
UNTOUCHED = ("*/vendor/*.js", "*.min.js", "*.min.css")  # already minified by their authors


def enabled(settings: dict) -> bool:
    """``MINIFY_ASSETS``: a boolean (``-e 'MINIFY_ASSETS=true'`` on the command line gives one); unset → off."""
    value = settings.get(SETTING, False)
    if not isinstance(value, bool):
        raise TypeError(f"{SETTING} must be True or False, not {value!r}")
    return value


def minify_js(text: str) -> str:
    import rjsmin

    return str(rjsmin.jsmin(text, keep_bang_comments=True))


def minify_css(text: str) -> str:
    import rcssmin

    return str(rcssmin.cssmin(text, keep_bang_comments=True))


MINIFIERS: dict[str, Callable[[str], str]] = {".js": minify_js, ".css": minify_css}


def minifier(rel: str) -> Callable[[str], str] | None:
    """The function that minifies the output file ``rel``, or None (not a script or stylesheet, or vendored
    and minified already)."""
    dot = rel.rfind(".")
    minify = MINIFIERS.get(rel[dot:]) if dot >= 0 else None
    if minify is None or any(fnmatch.fnmatch(rel, pattern) for pattern in UNTOUCHED):
        return None
    return minify


def minify_asset(rel: str, data: bytes) -> bytes:
    """``data`` as the build writes it at ``rel``: minified when it is one of the site's scripts or styles."""
    minify = minifier(rel)
    if minify is None:
        return data
    return minify(data.decode("utf-8")).encode("utf-8")
