"""Pelican settings for the production build (``make publish``), read by CI before deploying.

Everything that differs between deployments comes from the environment, so the
same commit builds the same site anywhere.
"""

import os
import runpy
from pathlib import Path

from model.settings import load_settings_file, public_url

# pelicanconf.py's settings (Pelican reads the upper-case names), from the file beside this one: Pelican loads a
# settings file by its path, so pelicanconf is not importable by name unless the current folder is on the path.
_local = runpy.run_path(str(Path(__file__).with_name("pelicanconf.py")))
globals().update({name: value for name, value in _local.items() if name.isupper()})
PLUGINS: list[str] = list(_local["PLUGINS"])

# AAI_SITEURL (staging, preview) or the production address of data/settings.yaml; an unset GitHub variable
# arrives as an empty string, which means the latter.
SITEURL = public_url(load_settings_file(Path(__file__).resolve().parent))
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
FORMS_ENDPOINT = os.environ.get("AAI_FORMS_ENDPOINT", "")

DELETE_OUTPUT_DIRECTORY = False  # the build removes exactly the files it no longer makes (plugins/pipeline)

MINIFY_ASSETS = True  # whatever AAI_MINIFY_ASSETS says: visitors get the scripts and styles minified

# Content-hashed asset names, cached for a year by the deploy command.
FINGERPRINT_ASSETS = True
if "fingerprint" not in PLUGINS:
    PLUGINS = [*PLUGINS, "fingerprint"]

# A pull request's preview (.github/workflows/preview.yml): the same production build, published
# under /apercu/pr-<n>/ behind the same CloudFront, marked and with its forms disabled (plugins/preview).
PREVIEW = os.environ.get("AAI_PREVIEW", "")  # "pr-12"
if PREVIEW:
    from deploy.preview import PREVIEW_ROOT, preview_label  # noqa: E402

    PREVIEW_PUBLIC_URL = SITEURL
    PREVIEW_LABEL = preview_label(PREVIEW)
    SITEURL = f"{SITEURL}/{PREVIEW_ROOT}/{PREVIEW}"
    FEED_DOMAIN = SITEURL
    FORMS_ENDPOINT = ""  # disabled: nothing typed in a preview reaches an association
    PLUGINS = [*PLUGINS, "preview"]
