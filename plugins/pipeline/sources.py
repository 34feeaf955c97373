"""The build's own code, as the pipeline watches it: a page's digest (pipeline.inputs) and the « nothing changed »
stamp (pipeline.nochange) both change when one of these changes. Standard library only: the stamp is checked
before anything heavy is imported."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository whose code builds the site
CODE = ("plugins", "model", "rules", "kit")  # folders of the repository whose Python code makes pages
CONFIGURATION = ("pelicanconf.py", "publishconf.py")
RENDERING_LIBRARIES = ("pelican", "jinja2", "markdown", "folium", "branca", "markupsafe", "rjsmin", "rcssmin",
                       "networkx")  # networkx: the zones' colours (plugins/map/palette.py)
