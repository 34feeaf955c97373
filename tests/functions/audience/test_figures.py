"""The synthetic month gives exactly the figures counted by hand, whatever order CloudFront writes lines in."""

from __future__ import annotations

import gzip
import io

from support_audience import HOST, PARTNERS, SECRET

from chalicelib.audience.figures import MonthFigures, month_figures


def figures_of(lines) -> MonthFigures:
    return month_figures(lines, "2026-11", secret=SECRET, partners=PARTNERS, site_hosts=[HOST])


def test_the_synthetic_month_gives_the_expected_figures(november, expected_november):
    figures = figures_of(november.lines())
    assert figures.to_dict() == expected_november
    assert figures.pages_per_visit == 19 / 8
    assert figures.average_visit_seconds == 4860 / 8
    assert figures.top_pages(3) == [("/merci/", 4), ("/", 3), ("/association/ai-libournais/", 2)]


def test_cloudfronts_interleaved_files_give_the_same_figures(november, expected_november):
    files = november.cloudfront_files(files_per_hour=3)
    lines = (line for _, body in sorted(files.items())
             for line in io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(body)), encoding="utf-8"))
    assert figures_of(lines).to_dict() == expected_november


def test_the_figures_are_read_streaming_from_any_iterable(november, expected_november):
    consumed = []

    def one_at_a_time():
        for line in november.lines():
            consumed.append(line)
            yield line

    assert figures_of(one_at_a_time()).to_dict() == expected_november
    assert len(consumed) == len(november.lines())


def test_partner_sites_are_a_parameter(november):
    figures = month_figures(november.lines(), "2026-11", secret=SECRET, site_hosts=[HOST])
    assert figures.arrivals["partner"] == 0 and figures.arrivals["other"] == 2


def test_another_month_counts_only_its_own_requests(november):
    october = figures_of_month(november, "2026-10")
    assert (october.visits, october.page_views) == (1, 1)   # 31 October, 23:59:59 in Bordeaux
    december = figures_of_month(november, "2026-12")
    assert (december.visits, december.pages) == (1, {"/carte/": 1})


def figures_of_month(log, month):
    return month_figures(log.lines(), month, secret=SECRET, partners=PARTNERS, site_hosts=[HOST])


def test_figures_survive_a_round_trip_through_json(november):
    import json
    figures = figures_of(november.lines())
    again = MonthFigures.from_dict(json.loads(json.dumps(figures.to_dict())))
    assert again == figures
    assert again.association_funnel("ai-libournais").form_posts == 1
    assert again.association_funnel("ai-inconnue").form_posts == 0


def test_nothing_personal_is_in_the_figures(november):
    text = str(figures_of(november.lines()).to_dict())
    for personal in ("198.51.100.10", "203.0.113.20", "Mozilla", "AI-20261103-7K3F9Q", "ref="):
        assert personal not in text


def test_an_empty_month_has_no_averages():
    empty = month_figures([], "2026-11", secret=SECRET)
    assert (empty.visits, empty.pages_per_visit, empty.average_visit_seconds) == (0, None, None)
