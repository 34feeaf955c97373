"""What an editor feels in `make run` (not a test): the time from saving a file to the page served with the edit.

A copy of the committed repository (``git archive HEAD``) is started with ``scripts/serve.py`` exactly as
``make run`` starts it (site, form functions, print kit, inotify watcher, warm build process) on free ports.
Once the first build and the first kit are done, each round edits a source the way an editor would and polls
the page until it is served with the edit:

- a news item's title (``content/actualites/…``): its article page;
- an association's phone (``data/associations.yaml``): its page (the kit of that association is then made
  again in the background, as in real use).

Rounds alternate the two edits; medians and extremes are printed, with the warm process's own build time
(``Site construit en … s``). The time counted includes inotify's notice, the watcher's grouping of events
(30 ms of quiet), the warm build and the first HTTP answer carrying the edit: what a reload would show.

Usage::

    .venv/bin/python scripts/benchmark_edit.py [--rounds 6]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarking import free_port

ROOT = Path(__file__).resolve().parent.parent
NEWS = "content/actualites/2026-02-09-jardinage-preparer-le-printemps.md"
BUILT = re.compile(r"Site construit en ([\d.]+) s")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8")
    except OSError:
        return ""


def copy_of_head(target: Path) -> None:
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)


def kit_running(project: Path) -> bool:
    found = subprocess.run(["pgrep", "-f", "--", f"-m kit --root {project}"], capture_output=True)
    return found.returncode == 0


def wait_until(condition, timeout: float, step: float = 0.005) -> float:
    """Seconds until ``condition()`` held (polled every ``step``), or raise after ``timeout``."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(step)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="aai-edit-"))
    project = work / "site"
    project.mkdir()
    copy_of_head(project)
    site_port, functions_port = free_port(), free_port()
    env = {**os.environ, "AAI_SITE_PORT": str(site_port), "AAI_FUNCTIONS_PORT": str(functions_port)}
    server = subprocess.Popen([sys.executable, "scripts/serve.py"], cwd=project, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    builds: list[float] = []

    def read_log() -> None:
        for line in server.stdout:
            found = BUILT.search(line)
            if found:
                builds.append(float(found.group(1)))

    threading.Thread(target=read_log, daemon=True).start()
    site = f"http://127.0.0.1:{site_port}"
    try:
        started = time.perf_counter()
        wait_until(lambda: fetch(f"{site}/") != "", timeout=600, step=0.2)
        print(f"make run: site served {time.perf_counter() - started:.1f} s after the start")
        time.sleep(1)
        wait_until(lambda: not kit_running(project), timeout=900, step=0.5)
        print(f"make run: first print kit done {time.perf_counter() - started:.1f} s after the start")

        news = project / NEWS
        slug = re.search(r"^Slug: (.*)$", news.read_text("utf-8"), re.M).group(1).strip()
        data = project / "data" / "associations.yaml"
        ai = re.search(r"(?m)^  - id: (\S+)", data.read_text("utf-8")).group(1)
        timings: dict[str, list[float]] = {"actualité (titre)": [], "association (téléphone)": []}
        for round_number in range(args.rounds):
            time.sleep(1.5)  # the previous edit's kit and reload settle, as between two saves
            if round_number % 2 == 0:
                marker = f"Titre modifié {round_number}"
                text = re.sub(r"^Title: .*$", f"Title: {marker}", news.read_text("utf-8"), count=1, flags=re.M)
                url, key = f"{site}/actualites/{slug}/", "actualité (titre)"
                news.write_text(text, "utf-8")
            else:
                digits = f"05 56 00 00 {10 + round_number:02d}"
                marker = digits
                source = data.read_text("utf-8")
                block = source.index(f"  - id: {ai}")
                head, tail = source[:block], source[block:]
                tail = re.sub(r"(?m)^(    phone: ).*$", rf"\g<1>{digits}", tail, count=1)
                url, key = f"{site}/association/{ai}/", "association (téléphone)"
                data.write_text(head + tail, "utf-8")
            try:
                seconds = wait_until(lambda: marker in fetch(url), timeout=30)
            except TimeoutError:
                print(f"round {round_number}: {key} not visible after 30 s")
                continue
            timings[key].append(seconds)
            print(f"round {round_number}: {key} visible after {seconds:.3f} s")
    finally:
        os.killpg(server.pid, 2)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
        shutil.rmtree(work, ignore_errors=True)

    print("\nedit → page served with the edit (make run, inotify + warm build + HTTP):")
    for key, values in timings.items():
        if values:
            print(f"  {key:26} median {statistics.median(values):.3f} s  "
                  f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})")
    if len(builds) > 1:
        rebuilds = builds[1:]
        print(f"  warm build alone           median {statistics.median(rebuilds):.3f} s "
              f"(first build {builds[0]:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
