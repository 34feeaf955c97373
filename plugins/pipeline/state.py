"""What the last successful build into an output folder was made from: ``<output>/.build/state.json``.

Each part of the build keeps its notes under a name of its own (the input digest of each directory
page, the facts of each page, the maps, the search index). The notes live beside the files they
describe, in a dot folder the deploy never publishes: delete the output and they go with it.

The file is removed as soon as a build starts changing the output, and written again when it has
finished: after a failed build nothing is trusted and the next one renders every page.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .files import STATE_DIR, replace_whole

logger = logging.getLogger(__name__)

STATE_FILE = "state.json"
VERSION = 1


class BuildState:
    def __init__(self, output: str | Path):
        self.path = Path(output) / STATE_DIR / STATE_FILE
        self.previous: dict[str, dict] = {}
        self.current: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if data.get("version") == VERSION:
                self.previous = data.get("parts", {})
        except FileNotFoundError:
            logger.info("No build state in %s: every page is rendered", self.path.parent.parent)
        except (OSError, ValueError, AttributeError):
            logger.warning("Unreadable build state %s: every page is rendered", self.path)

    def get(self, part: str) -> dict:
        """The notes the last build left under ``part`` (empty when there are none)."""
        value = self.previous.get(part)
        return value if isinstance(value, dict) else {}

    def put(self, part: str, notes: dict) -> None:
        self.current[part] = notes

    def forget(self) -> None:
        """The output is about to change: the last build's notes no longer describe it."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def save(self) -> None:
        """Written once the build is complete; sorted and compact, so two identical builds write the same bytes."""
        text = json.dumps({"version": VERSION, "parts": self.current}, sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        replace_whole(self.path, text.encode("utf-8"))
