"""Which paths are pages, and which page: the directory, the forms, the thank-you page."""

import pytest

from chalicelib.audience.pages import classify, is_page_view, page_path


@pytest.mark.parametrize("path, kind, key, form", [
    ("/", "other", "", ""),
    ("/trouver/", "directory", "", ""),
    ("/carte/", "directory", "", ""),
    ("/association/", "directory", "", ""),
    ("/association/ai-libournais/", "association", "ai-libournais", ""),
    ("/association/ai-libournais/demande/", "form", "ai-libournais", "demande"),
    ("/association/ai-libournais/rappel/", "form", "ai-libournais", "rappel"),
    ("/rappel/", "form", "aai", "rappel"),
    ("/merci/", "thanks", "", ""),
    ("/commune/33063-bordeaux/", "commune", "33063", ""),
    ("/commune/2A004-ajaccio/", "commune", "2A004", ""),
    ("/departement/33-gironde/", "departement", "", ""),
    ("/actualites/jardinage-de-printemps/", "other", "", ""),
    ("/association/ai-libournais/kit/", "other", "", ""),
])
def test_pages_are_classified_by_the_sites_url_shapes(path, kind, key, form):
    page = classify(path)
    assert (page.kind, page.key, page.form) == (kind, key, form)


@pytest.mark.parametrize("path, canonical", [
    ("/carte/index.html", "/carte/"), ("/carte/", "/carte/"), ("/404.html", "/404.html"),
    ("/theme/css/site.css", None), ("/theme/js/forms.js", None), ("/carte", None), ("/data/routage.json", None),
])
def test_page_paths_are_canonical_and_files_are_not_pages(path, canonical):
    assert page_path(path) == canonical


@pytest.mark.parametrize("method, path, status, counted", [
    ("GET", "/carte/", 200, True), ("GET", "/carte/", 304, True), ("HEAD", "/carte/", 200, False),
    ("GET", "/carte/", 404, False), ("GET", "/carte", 301, False), ("POST", "/carte/", 200, False),
    ("GET", "/theme/css/site.css", 200, False),
])
def test_only_pages_served_to_a_reader_are_page_views(method, path, status, counted):
    assert is_page_view(method, path, status) is counted
