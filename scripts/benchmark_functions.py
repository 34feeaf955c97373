"""Figures for the form functions: handler latency in process (SQLite + outbox), cold import time,
and the size of the deployment package.

Every form is posted as a visitor's browser posts it: the hidden anti-robot field ``website`` sent
empty and a submission token (``idempotence``, set by forms.js). A post without them takes the
robots' path (a fake success, nothing stored, nothing sent), which is many times quicker than a
real request: the script checks at the end that every valid post was stored and mailed. Each post is a
household of its own (name, phone, e-mail), as in real traffic, where nothing remembered of one helps the next.
Each post alternates with the same post to a bare Chalice route (the peer), timed by the clock and in
CPU time (a busy machine disturbs the latter less).

``chalicelib`` is the installed distribution's (the editable install's checkout); to measure another checkout, put
its ``functions/`` and root first: ``PYTHONPATH=functions:. .venv/bin/python scripts/benchmark_functions.py``.

    .venv/bin/python scripts/benchmark_functions.py [--requests 300]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from benchmarking import routing_table

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"


ROUTING_OVERRIDE: list[Path] = []


def routing_path() -> Path:
    """--routing if given, else the real table, written again from data/ by the data model."""
    return ROUTING_OVERRIDE[0] if ROUTING_OVERRIDE else routing_table()


def load_app():
    """functions/app.py, the Lambda's entry module, loaded from its file: it is the Chalice project's, not a module
    of the installed distribution (chalicelib, which it imports, is)."""
    spec = importlib.util.spec_from_file_location("app", FUNCTIONS / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def bare_app():
    """The peer: a bare Chalice route taking the same form post and answering its 303, nothing else."""
    from chalice import Chalice, Response

    bare = Chalice(app_name="bare")

    @bare.route("/demande", methods=["POST"], content_types=["application/x-www-form-urlencoded"])
    def demande():
        urllib.parse.parse_qs(bare.current_request.raw_body.decode())
        return Response(body="", status_code=303, headers={"Location": "/merci/"})

    return bare


def _letters(number: int) -> str:
    """A name part of its own for each post (« Bcd »): nothing remembered of one household helps the next."""
    letters = ""
    while True:
        number, rest = divmod(number, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if not number:
            return letters.capitalize()


def _timed(client, body: str) -> tuple[float, float, int]:
    """Wall and CPU milliseconds of one post, and its status (CPU time: the machine may be busy elsewhere)."""
    wall, cpu = time.perf_counter(), time.process_time()
    reply = client.http.post("/demande", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, reply.status_code


def latency(requests: int, workdir: Path) -> dict:
    """Real posts and the bare route's, alternated in the same run so that both see the same machine."""
    os.environ.update({"AAI_MAILER": "outbox", "AAI_STORE": "sqlite", "AAI_OUTBOX_DIR": str(workdir / "outbox"),
                       "AAI_SQLITE_PATH": str(workdir / "db.sqlite3"), "AAI_ROUTING": str(routing_path()),
                       "AAI_RATE_LIMIT": str(requests * 10), "AAI_SITE_ORIGINS": "http://localhost:8000"})
    from chalice.test import Client
    app = load_app()
    table = json.loads(routing_path().read_text("utf-8"))
    ai_id, ai = next((k, v) for k, v in table["associations"].items() if v["services"])
    commune = next(code for code, c in table["communes"].items() if ai_id in c["ais"])
    start = (time.localtime().tm_year + 1)
    walls: dict[str, list[float]] = {"valid": [], "invalid": [], "bare": []}
    cpus: dict[str, list[float]] = {kind: [] for kind in walls}
    with Client(app.app) as client, Client(bare_app()) as peer:
        for i in range(requests):
            valid = i % 5 != 4
            fields = [("website", ""), ("idempotence", f"benchmark-{i:08d}"),  # as a visitor's browser sends them
                      ("association", ai_id), ("nom", f"Jeanne Martin-{_letters(i)}"),   # each household its own
                      ("telephone", f"05 36 49 {i // 100 % 100:02d} {i % 100:02d}"),
                      ("email", f"jeanne{i}@example.org"),
                      ("commune", commune if valid else "00000"), ("consentement", "oui"),
                      ("adresse", f"{i} rue Guadet"), ("services", ai["services"][0]),
                      ("description", "Ménage du salon & de la cuisine."), ("date_debut", f"{start}-01-15"),
                      ("frequence", "hebdomadaire"), ("heures", "3"), ("jours", "lundi"), ("creneaux", "matin")]
            body = urllib.parse.urlencode(fields)
            wall, cpu, status = _timed(client, body)
            kind = "valid" if valid else "invalid"
            assert status == (303 if valid else 400), status
            walls[kind].append(wall)
            cpus[kind].append(cpu)
            wall, cpu, status = _timed(peer, body)
            assert status == 303, status
            walls["bare"].append(wall)
            cpus["bare"].append(cpu)
    stored_and_mailed(workdir, len(walls["valid"]))
    return {k: {"n": len(v), "p50_ms": statistics.median(v), "p95_ms": percentile(v, 0.95),
                "cpu_p50_ms": statistics.median(cpus[k]), "cpu_p95_ms": percentile(cpus[k], 0.95)}
            for k, v in walls.items()}


def stored_and_mailed(workdir: Path, valid: int) -> None:
    """Every valid post took the real path: stored, its AI's e-mail sent (and the household's acknowledgement)."""
    with sqlite3.connect(workdir / "db.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM submissions").fetchone()[0]
        mailed = db.execute("SELECT count(DISTINCT ref) FROM messages WHERE purpose = 'request'").fetchone()[0]
    files = len(list((workdir / "outbox").glob("*.eml")))
    assert stored == valid, f"{stored} requests stored for {valid} valid posts: the robots' path was measured"
    assert mailed == valid, f"{mailed} AI e-mails recorded for {valid} stored requests"
    assert files >= 2 * valid, f"{files} messages in the outbox for {valid} requests (AI + acknowledgement each)"
    print(f"checked: {stored} requests stored, {mailed} AI e-mails sent, {files} messages in the outbox")


def cold_start(runs: int = 5) -> dict:
    """A fresh interpreter each time: import app.py, then serve one request (loads routing, SQLite, mailer)."""
    code = ("import time; t=time.perf_counter(); import app; t1=time.perf_counter();"
            "from chalice.test import Client;"
            "c=Client(app.app); t2=time.perf_counter();"
            "r=c.http.post('/rappel', body='website=&idempotence=benchmark-cold-start&association=aai"
            "&nom=Paul+Test&telephone=0536491234&consentement=oui&mode_contact=telephone',"
            " headers={'Content-Type': 'application/x-www-form-urlencoded'});"
            "t3=time.perf_counter(); assert r.status_code == 303, r.body;"
            "import os, sqlite3; db=sqlite3.connect(os.environ['AAI_SQLITE_PATH']);"
            "assert db.execute('SELECT count(*) FROM submissions').fetchone()[0] == 1, 'not stored';"
            "print((t1-t)*1000, (t3-t2)*1000)")
    imports, firsts = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AAI_OUTBOX_DIR": f"{tmp}/outbox", "AAI_SQLITE_PATH": f"{tmp}/db.sqlite3",
               "AAI_ROUTING": str(routing_path()), "PYTHONDONTWRITEBYTECODE": "1"}
        for run in range(runs):
            env["AAI_SQLITE_PATH"] = f"{tmp}/db-{run}.sqlite3"  # a fresh store each time: one request, stored
            out = subprocess.run([sys.executable, "-c", code], cwd=FUNCTIONS, env=env, capture_output=True,
                                 text=True, check=True).stdout.split()
            imports.append(float(out[0]))
            firsts.append(float(out[1]))
    return {"import_app_ms": statistics.median(imports), "first_request_ms": statistics.median(firsts)}


def package_size() -> dict:
    """``chalice package`` in a scratch copy (keeps functions/.chalice clean); falls back to file sizes."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "functions"
        shutil.copytree(FUNCTIONS, project, ignore=shutil.ignore_patterns("__pycache__", "deployments"))
        if not (project / "chalicelib" / "routing.json").exists():
            shutil.copy(routing_path(), project / "chalicelib" / "routing.json")
        chalice = Path(sys.executable).with_name("chalice")
        result = subprocess.run([str(chalice), "package", "--stage", "prod", str(Path(tmp) / "out")], cwd=project,
                                env={**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION",
                                                                                        "eu-west-3")},
                                capture_output=True, text=True, timeout=600)
        zip_path = Path(tmp) / "out" / "deployment.zip"
        if result.returncode == 0 and zip_path.exists():
            return {"method": "chalice package", "zip_kb": zip_path.stat().st_size / 1024}
        code = sum(p.stat().st_size for p in project.rglob("*") if p.is_file())
        return {"method": "source only (chalice package failed: %s)" % result.stderr.strip()[-200:],
                "source_kb": code / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-package", action="store_true")
    parser.add_argument("--routing", type=Path, help="routing table to use (default: the generated one)")
    args = parser.parse_args()
    if args.routing:
        ROUTING_OVERRIDE.append(args.routing.resolve())
    print(f"routing table: {routing_path()}")
    cold = cold_start()
    print(f"cold start (fresh interpreter, median of 5): import app {cold['import_app_ms']:.0f} ms, "
          f"first request {cold['first_request_ms']:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        figures = latency(args.requests, Path(tmp))
        for kind, row in figures.items():
            print(f"handler latency, {kind} demande (n={row['n']}): p50 {row['p50_ms']:.2f} ms, "
                  f"p95 {row['p95_ms']:.2f} ms (CPU p50 {row['cpu_p50_ms']:.2f} ms, p95 {row['cpu_p95_ms']:.2f} ms)")
        bare = figures["bare"]
        valid = figures["valid"]
        print(f"valid demande / bare route: p50 {valid['p50_ms'] / bare['p50_ms']:.0f}×, "
              f"p95 {valid['p95_ms'] / bare['p95_ms']:.0f}×, CPU p50 {valid['cpu_p50_ms'] / bare['cpu_p50_ms']:.0f}×, "
              f"CPU p95 {valid['cpu_p95_ms'] / bare['cpu_p95_ms']:.0f}×")
    if not args.skip_package:
        size = package_size()
        figure = f"{size['zip_kb']:.0f} KiB zip" if "zip_kb" in size else f"{size['source_kb']:.0f} KiB"
        print(f"deployment package ({size['method']}): {figure}")


if __name__ == "__main__":
    main()
