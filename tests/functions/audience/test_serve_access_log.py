"""`make run`'s site server writes CloudFront's format under var/, so the monthly figures read local traffic."""

from __future__ import annotations

from support_audience import DESKTOP, GOOGLEBOT, IPHONE, paris

from chalicelib.audience.cloudfront import HEADER, parse_lines
from chalicelib.audience.figures import month_figures
from chalicelib.audience.logfiles import local_month_files, local_month_lines


def test_the_local_server_logs_in_cloudfronts_format(local_site):
    fetch, logs, base = local_site
    fetch(paris(23, 9, 0), "/", referrer="https://www.qwant.com/")
    fetch(paris(23, 9, 0, 1), "/theme/css/site.css", referrer=base + "/")
    assert fetch(paris(23, 9, 1), "/trouver/?q=pau", referrer=base + "/") == 200
    [path] = local_month_files(logs, "2026-11")
    assert path.name == "local.2026-11-23-08.serve.log"   # 9 h in Bordeaux is 8 h UTC in November
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    records = list(parse_lines(text.splitlines()))
    assert [(r.method, r.path, r.status, r.query) for r in records] == [
        ("GET", "/", 200, ""), ("GET", "/theme/css/site.css", 200, ""), ("GET", "/trouver/", 200, "q=pau")]
    first = records[0]
    assert (first.time, first.client_ip, first.user_agent, first.referrer) == (
        paris(23, 9, 0), "127.0.0.1", DESKTOP, "https://www.qwant.com/")
    assert first.host_header == base.removeprefix("http://")


def test_local_traffic_becomes_the_months_figures(local_site):
    fetch, logs, base = local_site
    # A phone finds its AI and asks to be called back; a robot crawls; a missing page and a redirect.
    fetch(paris(23, 9, 0), "/", IPHONE, referrer="https://www.google.fr/")
    fetch(paris(23, 9, 2), "/commune/33063-bordeaux/", IPHONE, referrer=base + "/")
    fetch(paris(23, 9, 4), "/association/ai-bordeaux/", IPHONE, referrer=base + "/commune/33063-bordeaux/")
    fetch(paris(23, 9, 6), "/association/ai-bordeaux/rappel/", IPHONE, referrer=base + "/association/ai-bordeaux/")
    fetch(paris(23, 9, 9), "/merci/?ref=AI-20261123-7K3F9Q&type=rappel", IPHONE,
          referrer=base + "/association/ai-bordeaux/rappel/")
    assert fetch(paris(23, 9, 10), "/nulle-part/", IPHONE) == 404
    fetch(paris(23, 3, 0), "/", GOOGLEBOT)
    fetch(paris(23, 3, 1), "/trouver/", GOOGLEBOT)
    figures = month_figures(local_month_lines(logs, "2026-11"), "2026-11", secret="local-development-secret")
    assert (figures.visits, figures.page_views, figures.visit_seconds) == (1, 5, 9 * 60)
    assert dict(figures.arrivals) == {"search": 1} and dict(figures.devices) == {"mobile": 1}
    assert figures.robot_page_views == 2
    assert vars(figures.association_funnel("ai-bordeaux")) == {"directory_views": 1, "form_views": 1,
                                                                 "form_posts": 1}


def test_a_broken_request_is_answered_and_logged_without_breaking_the_log(local_site):
    import socket
    fetch, logs, base = local_site
    fetch(paris(23, 10, 0), "/")
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(b"\x16\x03\x01 nonsense\tfrom a scanner\r\n\r\n")
        answer = raw.recv(4096)
    assert b"400" in answer
    fetch(paris(23, 10, 2), "/trouver/")
    [path] = local_month_files(logs, "2026-11")
    records = list(parse_lines(path.read_text(encoding="utf-8").splitlines()))
    assert [(r.path, r.status) for r in records] == [("/", 200), ("/", 400), ("/trouver/", 200)]
