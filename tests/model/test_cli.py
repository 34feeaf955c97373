"""`make check` is `python -m model check`: errors fail it, uncovered communes only warn."""

import subprocess
import sys


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "model", *args, "--root", str(root)],
                          capture_output=True, text=True)


def test_check_lists_uncovered_communes_as_warnings(data_root):
    result = run(data_root, "check")
    assert result.returncode == 0, result.stderr
    assert "attention : Dordogne (24) — " in result.stdout
    assert "Données valides : 1 association," in result.stdout


def test_check_fails_on_broken_data_with_every_message(data_root):
    path = data_root / "data" / "associations.yaml"
    path.write_text(path.read_text("utf-8").replace('"33394"', '"33999"').replace("menage,", "plomberie,"),
                    "utf-8")
    result = run(data_root, "check")
    assert result.returncode == 1
    assert "2 erreurs dans les données du site" in result.stderr
    assert "data/associations.yaml:6 : l'association « ai-test » indique la commune 33999" in result.stderr
    assert "data/associations.yaml:13 :" in result.stderr
