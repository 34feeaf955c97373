"""Make plugins/ and functions/ importable: the pages' choices are checked against the functions' rules."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
for folder in (ROOT / "plugins", ROOT / "functions"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
