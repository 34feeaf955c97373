"""Figures for the monthly audience: a busy month of CloudFront logs (one million lines by default) read and
counted streaming, against two peers measured in the same run, each in a fresh process:

- reading only: the same gzip files decoded into lines and counted, nothing else (the floor);
- the month in memory: the same lines first loaded into a list, then counted (what streaming avoids).

    .venv/bin/python scripts/benchmark_audience.py [--lines 1000000] [--rounds 3] [--s3]

``--s3`` also reads the month from moto's S3 in server mode (the production path, over HTTP).
Prints time, lines per second and peak memory (resident set, MiB); checks nothing.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

from chalicelib.audience.cloudfront import HEADER, LogRecord, format_record, log_file_name

from benchmarking import moto_endpoint

MONTH = "2026-11"
SECRET = "benchmark-secret"
HOST = "www.ai-aquitaine.example.org"
PARTNERS = ("https://www.gironde.fr", "https://www.francetravail.fr", "https://www.dordogne.fr")
PAGES = (["/", "/trouver/", "/carte/", "/association/", "/services/", "/charte-qualite/", "/actualites/",
          "/rappel/", "/merci/"]
         + [f"/association/ai-{n:02d}/" for n in range(40)]
         + [f"/association/ai-{n:02d}/{kind}/" for n in range(40) for kind in ("demande", "rappel")]
         + [f"/commune/{33000 + n:05d}-commune-{n}/" for n in range(2228)]
         + [f"/departement/{code}-departement/" for code in ("24", "33", "40", "47", "64")])
ASSETS = ["/theme/css/site.css", "/theme/js/finder.js", "/theme/js/forms.js", "/theme/images/logo.svg",
          "/theme/fonts/marianne.woff2", "/favicon.ico"]
REFERRERS = ["", "", "", "https://www.google.fr/", "https://www.google.com/", "https://www.qwant.com/",
             "https://www.bing.com/", "https://duckduckgo.com/", "https://l.facebook.com/", "https://t.co/",
             "https://www.gironde.fr/", "https://www.francetravail.fr/", "https://www.sudouest.fr/",
             "https://www.mairie-pessac.fr/", "android-app://com.google.android.gm/"]
ROBOTS = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
          "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
          "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "curl/8.5.0", "",
          "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"]


def user_agents(count: int, rng: random.Random) -> list[str]:
    """Browsers in many versions: a real month has thousands of distinct agents, not five."""
    shapes = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{b}.{p} "
        "Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS {v}_{b} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/{v}.{b} Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android {b}; SM-A{p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 "
        "Mobile Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS {v}_{b} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/{v}.{b} Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.{b}",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_{b}) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/{v}.{p} Safari/605.1.15",
    ]
    return [rng.choice(shapes).format(v=rng.randint(100, 140), b=rng.randint(0, 15), p=rng.randint(10, 999))
            for _ in range(count)]


def generate(directory: Path, total: int, seed: int = 14) -> int:
    """Hourly gzip files (two per hour, lines interleaved) holding ``total`` lines spread over the month,
    busier by day than by night. Written hour by hour: the generator never holds the month either."""
    rng = random.Random(seed)
    agents = user_agents(3000, rng)
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc).timestamp() - 3600
    hours = 30 * 24
    weights = [0.3 if (h + 1) % 24 < 7 else 1.0 for h in range(hours)]
    written = 0
    pending: dict[int, list[LogRecord]] = defaultdict(list)
    for hour in range(hours):
        quota = round((total - written - sum(map(len, pending.values()))) * weights[hour] / sum(weights[hour:]))
        made = 0
        while made < quota:
            when = start + hour * 3600 + rng.random() * 3600
            if rng.random() < 0.15:   # a robot crawling a page
                record = LogRecord(when, f"66.249.{rng.randint(0, 255)}.{rng.randint(1, 254)}", "GET",
                                   rng.choice(PAGES), 200, user_agent=rng.choice(ROBOTS), host_header=HOST)
                pending[int(when // 3600)].append(record)
                made += 1
                continue
            ip = f"{rng.choice((81, 88, 90, 176))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
            agent, referrer = rng.choice(agents), rng.choice(REFERRERS)
            for _ in range(min(12, 1 + int(rng.expovariate(0.45)))):
                path = rng.choice(PAGES)
                query = f"ref=AI-20261105-{rng.randint(0, 999999):06d}&type=demande" if path == "/merci/" else ""
                for record in [LogRecord(when, ip, "GET", path, rng.choice((200, 200, 200, 304)), query, referrer,
                                         agent, "d1.cloudfront.net", HOST)] + [
                        LogRecord(when + 0.2, ip, "GET", asset, 200, "", f"https://{HOST}{path}", agent,
                                  "d1.cloudfront.net", HOST) for asset in rng.sample(ASSETS, rng.randint(0, 3))]:
                    pending[int(when // 3600)].append(record)
                    made += 1
                referrer = f"https://{HOST}{path}"
                when += rng.expovariate(1 / 90) + (2400 if rng.random() < 0.05 else 0)   # some come back later
        for bucket in sorted(b for b in pending if b <= int(start // 3600) + hour):
            written += write_hour(directory, pending.pop(bucket), rng)
    for bucket in sorted(pending):
        written += write_hour(directory, pending.pop(bucket), rng)
    return written


def write_hour(directory: Path, records: list[LogRecord], rng: random.Random) -> int:
    records.sort(key=lambda r: r.time)
    for part in range(2):
        share = records[part::2]
        if share:
            name = log_file_name("E2BENCHMARK", share[0].time, f"{part:04d}")
            with gzip.open(directory / name, "wt", encoding="utf-8", compresslevel=5) as out:
                out.write(HEADER)
                out.writelines(format_record(r) + "\n" for r in share)
    return len(records)


# --- One measurement, in its own process --------------------------------------------------------------------

def high_water_kib() -> int:
    """Peak resident memory of this process since its start (VmHWM; ru_maxrss would carry the parent's over)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(mode: str, directory: str, endpoint: str = "") -> dict:
    from chalicelib.audience.figures import month_figures
    from chalicelib.audience.logfiles import local_month_lines, s3_month_lines

    if mode == "s3":
        import boto3
        client = boto3.client("s3", region_name="eu-west-3", endpoint_url=endpoint, aws_access_key_id="x",
                              aws_secret_access_key="x")
        lines = s3_month_lines(client, "aai-access-logs", "cloudfront/", MONTH)
    else:
        lines = local_month_lines(directory, MONTH)
    baseline = high_water_kib()
    started = time.perf_counter()
    result: dict = {}
    if mode == "read":
        result["lines"] = sum(1 for _ in lines)
    else:
        if mode == "in-memory":
            lines = list(lines)
            result["loaded_lines"] = len(lines)
        figures = month_figures(lines, MONTH, secret=SECRET, partners=PARTNERS, site_hosts=[HOST])
        from chalicelib.audience.agents import describe
        result["distinct_agents"] = describe.cache_info().currsize
        result.update(visits=figures.visits, page_views=figures.page_views,
                      robot_page_views=figures.robot_page_views, pages_per_visit=round(figures.pages_per_visit, 2),
                      average_visit_seconds=round(figures.average_visit_seconds))
    result["seconds"] = time.perf_counter() - started
    peak = high_water_kib()
    result["peak_mib"] = peak / 1024
    result["growth_mib"] = (peak - baseline) / 1024
    return result


def run(mode: str, directory: Path, endpoint: str = "") -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", mode, "--dir", str(directory),
                           "--endpoint", endpoint], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def upload(directory: Path, endpoint: str) -> None:
    """The month's log files into the log bucket of the moto server at ``endpoint``."""
    import boto3
    client = boto3.client("s3", region_name="eu-west-3", endpoint_url=endpoint, aws_access_key_id="x",
                          aws_secret_access_key="x")
    client.create_bucket(Bucket="aai-access-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    for path in sorted(directory.iterdir()):
        client.upload_file(str(path), "aai-access-logs", "cloudfront/" + path.name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--s3", action="store_true", help="also read the month from moto's S3 (server mode)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best time is kept")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.dir, args.endpoint)))
        return 0

    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        started = time.perf_counter()
        lines = generate(directory, args.lines)
        size = sum(path.stat().st_size for path in directory.iterdir())
        print(f"Generated {lines:,} log lines in {len(list(directory.iterdir()))} gzip files "
              f"({size / 2**20:.1f} MiB) in {time.perf_counter() - started:.1f} s")
        modes = ["read", "streaming", "in-memory"] + (["s3"] if args.s3 else [])
        results: dict[str, dict] = {}
        with moto_endpoint() if args.s3 else nullcontext("") as endpoint:
            if args.s3:
                upload(directory, endpoint)
            for _ in range(args.rounds):   # interleaved rounds, best time kept: the machine is shared
                for mode in modes:
                    result = run(mode, directory, endpoint)
                    best = results.get(mode)
                    if best is None or result["seconds"] < best["seconds"]:
                        results[mode] = {**result, "peak_mib": max(result["peak_mib"], (best or result)["peak_mib"]),
                                         "growth_mib": max(result["growth_mib"], (best or result)["growth_mib"])}

    print(f"\nBest of {args.rounds} interleaved rounds (peak memory: the highest seen)")
    print(f"{'mode':<14}{'seconds':>9}{'lines/s':>11}{'peak MiB':>10}{'growth MiB':>12}")
    for mode, result in results.items():
        print(f"{mode:<14}{result['seconds']:>9.1f}{lines / result['seconds']:>11,.0f}"
              f"{result['peak_mib']:>10.0f}{result['growth_mib']:>12.0f}")
    streaming, memory, floor = results["streaming"], results["in-memory"], results["read"]
    print(f"\nFigures: {streaming['visits']:,} visits, {streaming['page_views']:,} page views, "
          f"{streaming['pages_per_visit']} pages per visit, {streaming['average_visit_seconds']} s per visit, "
          f"{streaming['robot_page_views']:,} robot page views left out; {streaming['distinct_agents']:,} distinct "
          f"user agents parsed once each")
    print(f"Streaming takes {streaming['seconds'] / floor['seconds']:.1f}× the time of merely reading the lines, "
          f"and {streaming['growth_mib'] / max(memory['growth_mib'], 1e-9):.2f}× the memory growth of loading "
          f"the month first ({streaming['growth_mib']:.0f} MiB against {memory['growth_mib']:.0f} MiB).")
    same = all(streaming[k] == memory[k] for k in ("visits", "page_views", "robot_page_views"))
    print(f"Same figures either way: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
