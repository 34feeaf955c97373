"""Make plugins/ importable the way Pelican's PLUGIN_PATHS does."""

import sys
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))
