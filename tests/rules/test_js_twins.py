"""The JavaScript twins of the French rules (theme/static/js/french.js) give the Python answers, run under node
over every commune name and former name of the reference, plus the hard cases."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import datetime

from rules.dates import french_date
from rules.grammar import a_commune
from rules.typography import fold

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "theme" / "static" / "js" / "french.js"
HARD = ["Saint-Émilion", "L'Isle-sur-le-Dropt", "Œuvre d'Art", "Æ", "LÈGE-CAP-FERRET", "  Les Églisottes-et-Chalaures ",
        "Le Bouscat", "Les Eyzies", "La Teste-de-Buch", "Saint-Front-d’Alemps", "Sainte-Foy-la-Grande", "ﬁ", "²"]


def test_fold_and_prepositions_match_python(site_data):
    names = HARD + [c.name for c in site_data.reference.communes.values()] + \
        [f.name for c in site_data.reference.communes.values() for f in c.former]
    program = (f"{SCRIPT.read_text('utf-8')}\n"
               "const names = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
               "process.stdout.write(JSON.stringify(names.map(n => [aaiFrench.fold(n), aaiFrench.at(n)])));\n")
    result = subprocess.run(["node", "-e", program], input=json.dumps(names), capture_output=True, text=True,
                            check=True)
    javascript = json.loads(result.stdout)
    python = [[fold(name), a_commune(name)] for name in names]
    mismatches = [(name, js, py) for name, js, py in zip(names, javascript, python) if js != py]
    assert len(names) > 2300 and mismatches == []


def test_no_other_script_keeps_its_own_copy():
    scripts = (ROOT / "theme" / "static" / "js").glob("*.js")
    copies = [p.name for p in scripts if p != SCRIPT and ("function fold(" in p.read_text("utf-8")
                                                         or "function at(" in p.read_text("utf-8"))]
    assert copies == []


def test_the_day_of_the_thank_you_page_matches_python_and_refuses_anything_else():
    """forms.js shows the promised day read from the URL: the Python words for a real date, nothing otherwise."""
    start = datetime.date(2026, 1, 1)
    days = [(start + datetime.timedelta(days=n)).isoformat() for n in range(800)]
    bad = ["", "2026-02-30", "2026-13-01", "27/05/2026", "2026-05-27<b>", " 2026-05-27", "2026-5-27", "x"]
    program = (f"{SCRIPT.read_text('utf-8')}\n"
               "const days = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
               "process.stdout.write(JSON.stringify(days.map(d => aaiFrench.day(d))));\n")
    result = subprocess.run(["node", "-e", program], input=json.dumps(days + bad), capture_output=True, text=True,
                            check=True)
    javascript = json.loads(result.stdout)
    python = [french_date(datetime.date.fromisoformat(d), weekday=True)[:-5] for d in days] + [""] * len(bad)
    assert javascript == python
