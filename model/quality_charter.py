"""The quality charter's commitments, read from its page on the site (content/pages/charte-qualite.md).

The page is the one text the associations signed: the kit's charter poster reads its title and its
numbered list of commitments from there, so an editor who rewords a commitment changes the site and
the posters at once, and nobody keeps a second copy that drifts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .content import read_metadata
from .errors import DataError, Problem

PAGE = Path("content/pages/charte-qualite.md")
SECTION = "## Nos engagements"
# « 3. **Vous proposer un intervenant sous 72 heures.** Une fois votre besoin défini, … »
ITEM = re.compile(r"^\d+\.\s+\*\*(?P<lead>.+?)\*\*\s*(?P<detail>.*)$")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Commitment:
    lead: str    # the commitment itself, in bold on the page
    detail: str  # what it means in practice, links reduced to their text


@dataclass(frozen=True, slots=True)
class QualityCharter:
    title: str
    commitments: tuple[Commitment, ...]


def load_quality_charter(root: Path) -> QualityCharter:
    """The charter's title and commitments; a ``DataError`` in French when the page lost them."""
    path = root / PAGE
    if not path.is_file():
        raise DataError([Problem(str(PAGE), 0, "la page de la charte qualité est introuvable : "
                                                "l'affiche de la charte lit ses engagements dans cette page")])
    metadata, _ = read_metadata(path)
    lines = path.read_text("utf-8").splitlines()
    commitments: list[Commitment] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            inside = line.strip() == SECTION
            continue
        match = ITEM.match(line.strip()) if inside else None
        if match:
            commitments.append(Commitment(match["lead"].strip(), LINK.sub(r"\1", match["detail"]).strip()))
    if not commitments:
        raise DataError([Problem(str(PAGE), 0, f"aucun engagement trouvé sous « {SECTION} » : l'affiche de la "
                                               "charte attend une liste numérotée dont chaque point commence "
                                               "par l'engagement en gras (**…**)")])
    title = metadata.get("title", (0, "Charte qualité"))[1]
    return QualityCharter(title, tuple(commitments))
