"""A project root for tests that need their own data: the real reference (communes and their shapes), settings,
services and charter, and the associations the test gives. One helper, so every such root stays loadable when the
data model learns to read a new file."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("communes.json", "settings.yaml", "services.yaml", "brand.yaml")


def make_data_root(target: Path, associations: str | Path, *, fonts: bool = True) -> Path:
    """Fill ``target`` (created if needed) as a project root; ``associations`` is YAML text or a file."""
    data = target / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        shutil.copy(ROOT / "data" / name, data / name)
    shutil.copytree(ROOT / "data" / "shapes", data / "shapes", dirs_exist_ok=True)
    text = associations.read_text("utf-8") if isinstance(associations, Path) else associations
    (data / "associations.yaml").write_text(text, "utf-8")
    if fonts:   # the charter names its fonts: the model checks they exist
        shutil.copytree(ROOT / "theme" / "static" / "fonts", target / "theme" / "static" / "fonts",
                        dirs_exist_ok=True)
    (target / "content").mkdir(exist_ok=True)
    return target
