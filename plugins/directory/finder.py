"""The finder's index (theme/static/js/communes.js), cut so a browser fetches only what a question needs.

- ``trouver/communes.json``, the entry (its address is in every page that finds communes): the
  départements with the file of their communes, the associations, which départements have postcodes
  starting with two given digits, and which file holds the communes having a word starting with two
  given letters (of their name or a former name);
- ``trouver/communes-<département>.<hash>.json``: a département's communes (the menus of « Trouver mon
  association », a commune by its code for the maps, « Autour de moi » and the forms, a postcode);
- ``trouver/noms-<two letters>.<hash>.json``: the communes a typed name may be looking for.

A commune is a row: [INSEE code, name, département, postcodes, former names joined by "|", slug,
positions of the AIs serving it in the entry's list, population] (the population ranks the communes sharing a
postcode, rules/commune_search.py). Parts are named after their content, so
browsers and the CDN keep them for a year; the entry is short-lived and names the current ones.
At the scale of France (35,648 communes) a typed name fetches one part of about 1/150 of the whole.
"""

from __future__ import annotations

import hashlib
import json
import logging

from rules.typography import fold

logger = logging.getLogger(__name__)

FOLDER = "trouver/"
ENTRY = FOLDER + "communes.json"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _named(stem: str, text: str) -> str:
    return f"{stem}.{hashlib.sha256(text.encode()).hexdigest()[:8]}.json"


def name_keys(name: str) -> set[str]:
    """The first two letters of each word of a name, folded as the type-ahead folds what is typed."""
    return {word[:2] for word in fold(name).split(" ") if word}


def finder_files(site) -> dict[str, str]:
    """Output path → JSON text of every file of the index, the entry included."""
    reference = site.reference
    ais = list(site.associations)
    position = {a.id: i for i, a in enumerate(ais)}
    files: dict[str, str] = {}
    departements, postcodes, by_key = [], {}, {}
    for code, departement in reference.departements.items():
        rows = []
        for c in reference.in_departement(code):
            former = [f.name for f in c.former if f.name != c.name]
            row = [c.insee, c.name, c.departement, " ".join(c.postal_codes), "|".join(former), c.slug,
                   [position[a.id] for a in site.serving(c.insee)], c.population]
            rows.append(row)
            for postal in c.postal_codes:
                postcodes.setdefault(postal[:2], set()).add(code)
            for key in set().union(*(name_keys(n) for n in [c.name, *former])):
                by_key.setdefault(key, []).append(row)
        text = _json(rows)
        name = _named(f"communes-{code}", text)
        files[FOLDER + name] = text
        departements.append([code, departement.name, name])
    names = {}
    for key in sorted(by_key):
        text = _json(by_key[key])
        names[key] = _named(f"noms-{key}", text)
        files[FOLDER + names[key]] = text
    order = list(reference.departements)
    files[ENTRY] = _json({
        "departements": departements,
        "associations": [[a.id, a.name, a.url] for a in ais],
        "postcodes": {prefix: sorted(codes, key=order.index) for prefix, codes in sorted(postcodes.items())},
        "names": names,
    })
    return files
