"""axe-core in Chromium, read the same way by the browser tests that check a page as a whole."""

from __future__ import annotations

SERIOUS = {"serious", "critical"}


def serious(page) -> list[str]:
    """The serious and critical violations axe finds on the page, as « id: help » lines."""
    from axe_playwright_python.sync_playwright import Axe
    return [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
