"""The fingerprint plugin on a tiny output tree."""

import hashlib
import re
import shutil
from types import SimpleNamespace

import pytest

from fingerprint import fingerprint_output
from fingerprint.fingerprint import hashed_name, on_finalized

SITEURL = "https://www.ai-aquitaine.example.org"

TREE = {
    "index.html": (
        '<link rel="stylesheet" href="/theme/css/site.css">'
        f'<link rel="icon" href="{SITEURL}/theme/images/favicon.svg">'
        '<script src="/theme/js/carte.js?v=1" defer></script>'
        '<img src="/theme/images/logo.png" srcset="/theme/images/logo.png 1x, /theme/images/logo@2x.png 2x">'
        "<p>Le fichier site.css et https://ailleurs.example.org/theme/css/site.css restent tels quels.</p>"
    ),
    "actualites/rentree/index.html": '<link href="../../theme/css/site.css" rel="stylesheet">',
    "feeds/all.atom.xml": f"<feed><icon>{SITEURL}/theme/images/logo.png</icon></feed>",
    "data/carte.json": '{"icon": "/theme/images/logo.png"}',
    "theme/css/site.css": (
        "@import url('tokens.css');\n"
        "@font-face{src:url(../fonts/marianne.woff2) format('woff2')}\n"
        'body{background:url("/theme/images/logo.png")}\n'
    ),
    "theme/css/tokens.css": ":root{--fond:#fff}",
    "theme/js/carte.js": 'L.marker([0,0],{icon:"/theme/images/logo.png"});',
    "theme/fonts/marianne.woff2": b"wOF2\x00\x01\x02",
    "theme/images/logo.png": b"\x89PNG logo",
    "theme/images/logo@2x.png": b"\x89PNG logo 2x",
    "theme/images/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "theme/leaflet/images/marker-icon.png": b"\x89PNG marker",
    "theme/leaflet/LICENSE": "BSD-2-Clause",
    "theme/fonts/OFL.txt": "SIL Open Font License",
}


def build(root):
    for rel, content in TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def sha8(data):
    return hashlib.sha256(data).hexdigest()[:8]


@pytest.fixture
def output(tmp_path):
    return build(tmp_path / "output")


def test_hashed_name():
    assert hashed_name("theme/css/site.css", b"x") == f"theme/css/site.{sha8(b'x')}.css"
    assert hashed_name("theme/js/app.min.js", b"x") == f"theme/js/app.min.{sha8(b'x')}.js"


def test_renames_assets_and_rewrites_every_reference(output):
    mapping = fingerprint_output(output, siteurl=SITEURL)
    files = snapshot(output)

    logo = f"logo.{sha8(TREE['theme/images/logo.png'])}.png"
    assert mapping["theme/images/logo.png"] == f"theme/images/{logo}"
    assert not any(re.search(r"(?<!\.)\b(site|tokens)\.css$", k) for k in files if k.startswith("theme"))
    assert "theme/leaflet/images/marker-icon.png" in files  # excluded by default
    assert "theme/leaflet/LICENSE" in files and "theme/fonts/OFL.txt" in files  # not web assets
    site_css = mapping["theme/css/site.css"]
    css = files[site_css].decode()
    assert "url('tokens." in css and "tokens.css'" not in css
    assert f"../fonts/marianne.{sha8(TREE['theme/fonts/marianne.woff2'])}.woff2" in css
    assert f"/theme/images/{logo}" in css
    # The stylesheet's name hashes its rewritten content, so a new font renames it too.
    assert site_css == hashed_name("theme/css/site.css", files[site_css])

    home = files["index.html"].decode()
    assert f'href="/{site_css}"' in home
    assert f'{SITEURL}/{mapping["theme/images/favicon.svg"]}"' in home
    assert f'src="/{mapping["theme/js/carte.js"]}?v=1"' in home
    assert f'srcset="/theme/images/{logo} 1x, /{mapping["theme/images/logo@2x.png"]} 2x"' in home
    assert "Le fichier site.css et https://ailleurs.example.org/theme/css/site.css" in home
    assert f'href="../../{site_css}"' in files["actualites/rentree/index.html"].decode()
    assert f"{SITEURL}/theme/images/{logo}" in files["feeds/all.atom.xml"].decode()
    assert f"/theme/images/{logo}" in files["data/carte.json"].decode()
    assert f"/theme/images/{logo}" in files[mapping["theme/js/carte.js"]].decode()


def test_two_runs_are_byte_identical(tmp_path):
    first = fingerprint_output(build(tmp_path / "a"), siteurl=SITEURL)
    second = fingerprint_output(build(tmp_path / "b"), siteurl=SITEURL)
    assert first == second
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_running_again_changes_nothing(output):
    fingerprint_output(output, siteurl=SITEURL)
    before = snapshot(output)
    assert fingerprint_output(output, siteurl=SITEURL) == {}
    assert snapshot(output) == before


def test_changing_a_font_renames_the_stylesheet(tmp_path):
    a = fingerprint_output(build(tmp_path / "a"), siteurl=SITEURL)
    root = build(tmp_path / "b")
    (root / "theme/fonts/marianne.woff2").write_bytes(b"wOF2 new")
    b = fingerprint_output(root, siteurl=SITEURL)
    assert a["theme/css/site.css"] != b["theme/css/site.css"]
    assert a["theme/css/tokens.css"] == b["theme/css/tokens.css"]


def test_signal_handler_obeys_the_setting(output):
    before = snapshot(output)
    settings = {"SITEURL": SITEURL, "THEME_STATIC_DIR": "theme"}
    on_finalized(SimpleNamespace(settings=settings, output_path=str(output)))
    assert snapshot(output) == before

    settings["FINGERPRINT_ASSETS"] = True
    on_finalized(SimpleNamespace(settings=settings, output_path=str(output)))
    assert "theme/css/site.css" not in snapshot(output)


def test_extra_dirs_are_fingerprinted(output):
    shutil.copytree(output / "theme/images", output / "images")
    settings = {"FINGERPRINT_ASSETS": True, "FINGERPRINT_EXTRA_DIRS": ["images"], "SITEURL": ""}
    on_finalized(SimpleNamespace(settings=settings, output_path=str(output)))
    assert not (output / "images/logo.png").exists()
