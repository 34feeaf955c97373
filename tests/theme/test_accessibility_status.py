"""One accessibility status, stated the same way in every page's footer and in the statement."""

from __future__ import annotations

import re


def test_footer_states_the_status_of_the_accessibility_statement(built_site):
    statement = (built_site / "accessibilite" / "index.html").read_text("utf-8")
    status = re.search(r"est <strong>(partiellement conforme|non conforme|totalement conforme)</strong>",
                       statement).group(1)
    for page in ("index.html", "services/index.html", "commune/33394-saint-emilion/index.html"):
        html = (built_site / page).read_text("utf-8")
        footer = html[html.index("<footer"):]
        label = re.search(r'href="/accessibilite/">([^<]+)</a>', footer).group(1)
        assert label.replace("\u00a0", " ") == f"Accessibilité : {status}", page
