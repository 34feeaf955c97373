"""Only the kits whose inputs changed are rendered again, so no page links a stale PDF for long."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import kit.build
from kit.__main__ import main
from kit.build import build_kit
from kit.documents import CHARTER_POSTERS
from kit.manifest import MANIFEST, association_digest, common_digest, quality_charter_digest
from model import load_site
from model.quality_charter import PAGE
from support_data import make_data_root

ROOT = Path(__file__).resolve().parents[2]
ONE = (ROOT / "tests" / "model" / "test_data" / "associations.yaml").read_text("utf-8")
TWO = ONE + ONE.split("\n", 1)[1].replace("ai-test", "ai-autre").replace("10 01", "10 02")


@pytest.fixture
def project(tmp_path) -> Path:
    """A project root with two associations, the real settings, charter, fonts and quality charter page."""
    root = make_data_root(tmp_path, TWO)
    (root / PAGE).parent.mkdir(parents=True, exist_ok=True)
    (root / PAGE).write_bytes((ROOT / PAGE).read_bytes())
    return root


class QuickRenderer:
    """Stands in for WeasyPrint where the test is about which kits are made, not how they look
    (tests/kit/test_documents.py renders the real ones): one line of text per « PDF »."""

    def __init__(self, brand, settings, reference=None):
        self.brand, self.settings = brand, settings

    def pdf(self, kind, association, bleed):
        return f"{kind.id} {association.id} {association.phone} {bleed}".encode()

    def charter_pdf(self):
        return b"charte"


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(kit.build, "Renderer", QuickRenderer)


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "data" / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def text_of(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_second_run_renders_nothing_and_a_phone_change_renders_that_kit_only(project, tmp_path):
    output = tmp_path / "kit"
    first = build_kit(project, output, jobs=1)
    assert first.rendered == ["ai-test", "ai-autre"] and first.unchanged == []
    flyer = output / "ai-test" / "plaquette.pdf"
    assert "05 36 49 10 01" in text_of(flyer)
    stamps = {p: p.stat().st_mtime_ns for p in output.rglob("*.pdf")}

    again = build_kit(project, output, jobs=1)
    assert again.rendered == [] and again.unchanged == ["ai-test", "ai-autre"]
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*.pdf")} == stamps
    assert again["ai-test"]["plaquette.pdf"] == flyer.stat().st_size  # sizes of kits left as they were

    edit(project, "associations.yaml", "phone: 05 36 49 10 01", "phone: 05 36 49 10 09")
    third = build_kit(project, output, jobs=1)
    assert third.rendered == ["ai-test"] and third.unchanged == ["ai-autre"]
    assert "05 36 49 10 09" in text_of(flyer) and "05 36 49 10 01" not in text_of(flyer)
    assert (output / "ai-autre" / "plaquette.pdf").stat().st_mtime_ns == stamps[output / "ai-autre" / "plaquette.pdf"]


def test_a_missing_file_is_rendered_again_and_force_renders_all(project, tmp_path, quick):
    output = tmp_path / "kit"
    build_kit(project, output, only=["ai-test"], jobs=1)
    (output / "ai-test" / "affiche.pdf").unlink()
    assert build_kit(project, output, only=["ai-test"], jobs=1).rendered == ["ai-test"]
    assert (output / "ai-test" / "affiche.pdf").is_file()
    assert build_kit(project, output, only=["ai-test"], jobs=1, force=True).rendered == ["ai-test"]


def test_a_removed_association_takes_its_kit_with_it(project, tmp_path, quick):
    output = tmp_path / "kit"
    build_kit(project, output, only=["ai-autre"], jobs=1)
    (project / "data" / "associations.yaml").write_text(ONE, "utf-8")
    report = build_kit(project, output, jobs=1)
    assert report.rendered == ["ai-test"]
    assert not (output / "ai-autre").exists()
    assert "ai-autre" not in json.loads((output / MANIFEST).read_text("utf-8"))["kits"]


def test_an_interrupted_run_keeps_what_it_finished(project, tmp_path, monkeypatch, quick):
    output = tmp_path / "kit"
    real = kit.build._build_one

    def fails_on_the_second(args):
        if args[1] == "ai-autre":
            raise KeyboardInterrupt  # what Ctrl+C or the next rebuild's kill does
        return real(args)

    monkeypatch.setattr(kit.build, "_build_one", fails_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        build_kit(project, output, jobs=1)
    monkeypatch.setattr(kit.build, "_build_one", real)
    assert build_kit(project, output, jobs=1).rendered == ["ai-autre"]


def test_digests_follow_every_input(project):
    site = load_site(project)
    common = common_digest(site)
    ai = site.association("ai-test")
    digest = association_digest(common, ai)
    assert digest == association_digest(common_digest(load_site(project)), load_site(project).association("ai-test"))
    assert association_digest(common, dataclasses.replace(ai, hours="Le lundi")) != digest
    assert association_digest(common, site.association("ai-autre")) != digest

    edit(project, "settings.yaml", "regional_phone: 05 36 49 00 00", "regional_phone: 05 36 49 00 01")
    assert common_digest(load_site(project)) != common
    edit(project, "settings.yaml", "regional_phone: 05 36 49 00 01", "regional_phone: 05 36 49 00 00")
    assert common_digest(load_site(project)) == common

    brand = (project / "data" / "brand.yaml").read_text("utf-8")
    colour = next(line for line in brand.splitlines() if "hex:" in line)
    edit(project, "brand.yaml", colour, colour.split("hex:")[0] + 'hex: "#123456"')
    assert common_digest(load_site(project)) != common

    font = next((project / "theme" / "static" / "fonts").glob("*.woff2"))
    edit(project, "brand.yaml", colour.split("hex:")[0] + 'hex: "#123456"', colour)
    font.write_bytes(font.read_bytes() + b"\0")
    assert common_digest(load_site(project)) != common


def test_the_charters_code_is_an_input_of_every_kit(project, tmp_path, monkeypatch):
    """The logo, the stylesheets and the pictograms are drawn by model/charter/, outside kit/: a change to that code
    must make every kit again, as a change to kit/ does."""
    from model.charter import theme_files

    site = load_site(project)
    common = common_digest(site)
    edited = []
    for path in theme_files.code_files():
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes() + (b"\n# the logo drawn otherwise\n" if path.name == "logo.py" else b""))
        edited.append(copy)
    assert "logo.py" in {path.name for path in edited}
    monkeypatch.setattr(theme_files, "code_files", lambda: edited)
    assert common_digest(site) != common


POSTERS = [kind.filename(bleed) for kind in CHARTER_POSTERS for bleed in (False, True)]


def unsign(root: Path, ai_id: str) -> None:
    """Drop ``ai_id``'s charter signature from the data (each association's block holds one)."""
    path = root / "data" / "associations.yaml"
    blocks = path.read_text("utf-8").split("  - id: ")
    blocks = [block.replace("    charter_signed: 2025-03-14\n", "") if block.startswith(ai_id + "\n") else block
              for block in blocks]
    path.write_text("  - id: ".join(blocks), "utf-8")


def test_charter_posters_for_signatories_only_and_gone_when_the_signature_is(project, tmp_path, quick):
    output = tmp_path / "kit"
    unsign(project, "ai-autre")
    build_kit(project, output, jobs=1)
    assert all((output / "ai-test" / name).is_file() for name in POSTERS)
    assert not any((output / "ai-autre" / name).exists() for name in POSTERS)
    assert set(POSTERS) <= {n.split("/")[1] for n in zipfile.ZipFile(output / "ai-test" / "kit-ai-test.zip").namelist()}

    unsign(project, "ai-test")  # the association no longer signs: its posters leave the kit
    assert build_kit(project, output, jobs=1).rendered == ["ai-test"]
    assert not any((output / "ai-test" / name).exists() for name in POSTERS)
    zipped = zipfile.ZipFile(output / "ai-test" / "kit-ai-test.zip").namelist()
    assert not set(POSTERS) & {n.split("/")[1] for n in zipped}


def test_a_missing_poster_is_rendered_again(project, tmp_path, quick):
    output = tmp_path / "kit"
    build_kit(project, output, only=["ai-test"], jobs=1)
    (output / "ai-test" / POSTERS[-1]).unlink()
    assert build_kit(project, output, only=["ai-test"], jobs=1).rendered == ["ai-test"]
    assert (output / "ai-test" / POSTERS[-1]).is_file()


def test_a_reworded_commitment_renders_the_signatories_kits_only(project, tmp_path, quick):
    """The posters print the charter page's commitments: rewording one re-renders the signatories' kits, and
    leaves the others' as they were."""
    output = tmp_path / "kit"
    unsign(project, "ai-autre")
    build_kit(project, output, jobs=1)
    before = quality_charter_digest(project)
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("Vous répondre sous 48 heures.", "Vous répondre sous 24 heures."),
                    "utf-8")
    assert quality_charter_digest(project) != before
    again = build_kit(project, output, jobs=1)
    assert again.rendered == ["ai-test"] and again.unchanged == ["ai-autre"]


def test_a_charter_page_without_its_commitments_stops_the_kit_in_french(project, tmp_path, capsys):
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("## Nos engagements", "## Ce que nous promettons"), "utf-8")
    assert main(["--root", str(project), "--output", str(tmp_path / "kit"), "--jobs", "2"]) == 1
    error = capsys.readouterr().err
    assert "content/pages/charte-qualite.md" in error and "aucun engagement trouvé" in error
