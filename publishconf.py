"""Pelican settings for the production build (``make publish``), read by CI before deploying.

Everything that differs between deployments comes from the environment, so the
same commit builds the same site anywhere.
"""

import os
import sys
from pathlib import Path

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

from model.settings import load_settings_file, public_url  # noqa: E402

# AAI_SITEURL (staging, preview) or the production address of data/settings.yaml; an unset GitHub variable
# arrives as an empty string, which means the latter.
SITEURL = public_url(load_settings_file(Path(__file__).resolve().parent))
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
FORMS_ENDPOINT = os.environ.get("AAI_FORMS_ENDPOINT", "")

DELETE_OUTPUT_DIRECTORY = False  # the build removes exactly the files it no longer makes (plugins/pipeline)

# Content-hashed asset names, cached for a year by the deploy command.
FINGERPRINT_ASSETS = True
if "fingerprint" not in PLUGINS:  # noqa: F405
    PLUGINS = [*PLUGINS, "fingerprint"]  # noqa: F405

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
