"""A synthetic month of CloudFront access logs whose figures are known by construction.

``november_2026()`` plays a handful of visitors (desktop, phone, tablet), visits split by 30-minute pauses and by
midnight, robots, files pages need, errors, redirects, referrers of every class and forms sent, plus requests
just outside the month in the region's time. The test states the figures it expects, counted by hand.
``cloudfront_files`` cuts the records into gzip files the way CloudFront does (several files per hour, lines of
an hour interleaved), ``write_local`` writes them with the local server's writer.
"""

from __future__ import annotations

import datetime
import gzip
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from chalicelib.audience.cloudfront import HEADER, LocalAccessLog, LogRecord, format_record, log_file_name

PARIS = ZoneInfo("Europe/Paris")
SITE = "https://www.ai-aquitaine.example.org"
HOST = "www.ai-aquitaine.example.org"
EDGE_HOST = "d1synthetic.cloudfront.net"
SECRET = "audience-test-secret"
PARTNERS = ("https://www.gironde.fr", "https://www.francetravail.fr")
DISTRIBUTION = "E2SYNTHETIC"

DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Safari/537.36")
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
BINGBOT = ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
           "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36")
GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"
CURL = "curl/8.5.0"


def paris(day: int, hour: int, minute: int, second: int = 0, month: int = 11, year: int = 2026) -> float:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=PARIS).timestamp()


@dataclass
class SyntheticLog:
    records: list[LogRecord] = field(default_factory=list)

    def request(self, when: float, ip: str, agent: str, path: str, *, referrer: str = "", query: str = "",
                status: int = 200, method: str = "GET") -> None:
        self.records.append(LogRecord(
            time=when, client_ip=ip, method=method, path=path, status=status, query=query, referrer=referrer,
            user_agent=agent, host=EDGE_HOST, host_header=HOST, bytes_sent=5120, edge_location="CDG50-P1",
            content_type="text/html" if path.endswith("/") else "text/css"))

    def page(self, when: float, ip: str, agent: str, path: str, *, referrer: str = "", query: str = "") -> None:
        """A page as a browser loads it: the page, then its style sheet and script (which are not page views)."""
        self.request(when, ip, agent, path, referrer=referrer, query=query)
        self.request(when + 1, ip, agent, "/theme/css/site.css", referrer=SITE + path)
        self.request(when + 1, ip, agent, "/theme/js/forms.js", referrer=SITE + path, status=304)

    def lines(self) -> list[str]:
        """The whole log as one file's lines, in the time's order."""
        ordered = sorted(self.records, key=lambda r: r.time)
        return HEADER.splitlines(keepends=True) + [format_record(r) + "\n" for r in ordered]

    def cloudfront_files(self, files_per_hour: int = 2, seed: int = 14) -> dict[str, bytes]:
        """``E2SYNTHETIC.<hour>.<id>.gz`` files: each hour's lines dealt over several files, shuffled inside."""
        hours: dict[str, list[LogRecord]] = defaultdict(list)
        for record in self.records:
            hours[log_file_name(DISTRIBUTION, record.time, "x")].append(record)
        shuffle = random.Random(seed)
        files = {}
        for name, records in sorted(hours.items()):
            for part in range(files_per_hour):
                share = records[part::files_per_hour]
                if not share:
                    continue
                shuffle.shuffle(share)
                body = HEADER + "".join(format_record(r) + "\n" for r in share)
                files[name.replace(".x.gz", f".{part:04d}{seed:04d}.gz")] = gzip.compress(body.encode())
        return files

    def write_local(self, directory: Path) -> LocalAccessLog:
        log = LocalAccessLog(directory)
        for record in sorted(self.records, key=lambda r: r.time):
            log.write(record)
        return log


def november_2026() -> SyntheticLog:
    log = SyntheticLog()
    page = log.page

    # A — desktop, 3 November: arrives from Google, finds her commune and her AI, sends an order, reloads the
    # thank-you page (one form sent, not two). 7 page views over 21 minutes.
    a = ("198.51.100.10", DESKTOP)
    page(paris(3, 10, 0), *a, "/", referrer="https://www.google.fr/")
    page(paris(3, 10, 2), *a, "/trouver/", referrer=SITE + "/")
    page(paris(3, 10, 5), *a, "/commune/33394-saint-emilion/", referrer=SITE + "/trouver/")
    page(paris(3, 10, 7), *a, "/association/ai-libournais/", referrer=SITE + "/commune/33394-saint-emilion/")
    page(paris(3, 10, 10), *a, "/association/ai-libournais/demande/", referrer=SITE + "/association/ai-libournais/")
    thanks = "ref=AI-20261103-7K3F9Q&type=demande"
    page(paris(3, 10, 20), *a, "/merci/", query=thanks, referrer=SITE + "/association/ai-libournais/demande/")
    page(paris(3, 10, 21), *a, "/merci/", query=thanks, referrer=SITE + "/association/ai-libournais/demande/")
    # …and comes back 39 minutes later through a link of the tab she left open: a new visit, direct.
    page(paris(3, 11, 0), *a, "/association/ai-libournais/", referrer=SITE + "/merci/")

    # B — phone, 10 November, from Facebook: 3 pages; the pauses of 29 min 59 s and 15 min keep one visit.
    b = ("203.0.113.20", IPHONE)
    page(paris(10, 20, 0), *b, "/actualites/jardinage-de-printemps/", referrer="https://l.facebook.com/")
    page(paris(10, 20, 29, 59), *b, "/services/", referrer=SITE + "/actualites/jardinage-de-printemps/")
    page(paris(10, 20, 45), *b, "/carte/", referrer=SITE + "/services/")
    # C — a tablet behind the same address (the same household's box): another browser, another visit.
    page(paris(10, 20, 10), "203.0.113.20", IPAD, "/")

    # D — phone, 15 → 16 November: from the Département's site at 23:50, then on past midnight: two visits.
    d = ("192.0.2.30", ANDROID)
    page(paris(15, 23, 50), *d, "/commune/33063-bordeaux/", referrer="https://www.gironde.fr/")
    page(paris(16, 0, 5), *d, "/association/ai-bordeaux/", referrer=SITE + "/commune/33063-bordeaux/")
    page(paris(16, 0, 10), *d, "/association/ai-bordeaux/rappel/", referrer=SITE + "/association/ai-bordeaux/")
    page(paris(16, 0, 15), *d, "/merci/", query="ref=AI-20261116-2B4C6D&type=rappel",
         referrer=SITE + "/association/ai-bordeaux/rappel/")

    # E — Firefox, 20 November, from a newspaper: the regional callback form; her browser sends no Referer to
    # the thank-you page, so the form she came from is the one she saw last in the visit.
    e = ("198.51.100.77", FIREFOX_LINUX)
    page(paris(20, 14, 0), *e, "/rappel/", referrer="https://www.sudouest.fr/")
    page(paris(20, 14, 5), *e, "/merci/", query="ref=AI-20261120-9ZXY8W&type=rappel")

    # F — desktop, from DuckDuckGo, half an hour into November (23:30 UTC on 31 October)…
    f = ("198.51.100.99", DESKTOP)
    page(paris(1, 0, 30), *f, "/", referrer="https://duckduckgo.com/")
    # …and two pages just outside the month in the region's time, which must not count.
    page(paris(31, 23, 59, 59, month=10), *f, "/", referrer="https://duckduckgo.com/")
    page(paris(1, 0, 0, 0, month=12), *f, "/carte/", referrer="https://duckduckgo.com/")

    # Not page views: a missing page, a redirect to the trailing slash, a HEAD, a file.
    log.request(paris(12, 9, 0), *a, "/page-qui-n-existe-pas/", status=404)
    log.request(paris(12, 9, 0), *a, "/trouver", status=301)
    log.request(paris(12, 9, 1), *a, "/", method="HEAD")
    log.request(paris(12, 9, 2), *a, "/theme/images/logo.svg")

    # Robots: 12 pages served to them, none counted anywhere else.
    for minute in range(5):
        log.request(paris(8, 4, minute), "66.249.66.1", GOOGLEBOT, f"/commune/3306{minute}-commune/")
    for minute in range(3):
        log.request(paris(8, 5, minute), "157.55.39.1", BINGBOT, "/association/ai-libournais/")
    for minute in range(2):
        log.request(paris(9, 6, minute), "20.15.240.64", GPTBOT, "/")
    log.request(paris(9, 7, 0), "192.0.2.200", CURL, "/")
    log.request(paris(9, 7, 1), "192.0.2.201", "", "/merci/", query="ref=AI-20261109-ROBOT1&type=demande")
    log.request(paris(9, 7, 2), "66.249.66.1", GOOGLEBOT, "/robots.txt")
    return log
