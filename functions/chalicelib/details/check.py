"""The edited file judged by the build's own model, before anything is pushed.

The rules of an association's details (a French phone number, an e-mail that can receive, a website in https://,
a price between 0,01 and 100 euros, services from the catalogue) are written once, in ``model/associations.py``,
with the messages AAI's editors read from ``make check``. The form shows the same messages: it runs the same
``load_associations`` on the whole edited file, with the communes' reference and the services' catalogue of the
same commit (read from the repository at the commit the pull request starts from); the pull request's CI then
runs the whole ``make check`` again, as for any editor's change.

The Lambda package carries ``model/`` like ``rules/`` (a link ``functions/vendor/model``; tests/functions/
test_lambda_package.py judges an edit inside the package alone), imported here only, when an edit is judged: the
functions' other pages never load it. Where the model cannot be imported all the same, ``judge`` raises
``ModelUnavailable`` and nothing is pushed — an edit never leaves unjudged.

The verdict carries the association as the model read it (``Verdict.association``): the preview shows that, the
phone as the site writes it and the price after the tax credit as the site computes it, never the raw fields.
"""

from __future__ import annotations

import datetime
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import yaml_block

if TYPE_CHECKING:
    from model.associations import Association

FILE = "data/associations.yaml"
REFERENCE_FILES = ("data/communes.json", "data/services.yaml")


class ModelUnavailable(RuntimeError):
    """The data model is not in this package: the edit cannot be judged, so it is not pushed."""


@dataclass
class Verdict:
    """What the model said of the edit: messages beside a field (``by_field``) or about the block as a whole."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    association: Association | None = None   # the block as the model read it (None when it could not)

    @property
    def ok(self) -> bool:
        return not self.by_field and not self.general


def judge(text: str, ident: str, reference: dict[str, str], today: datetime.date) -> Verdict:
    """Validate the whole edited ``text`` with the model; keep the errors of the block ``ident`` (another
    block's errors are not the association's to fix, and the pull request's CI reports them to AAI).

    ``reference``: the texts of REFERENCE_FILES at the same commit."""
    try:
        from model.associations import load_associations
        from model.communes import load_reference
        from model.errors import Collector
        from model.services import load_services
    except ImportError as exc:
        raise ModelUnavailable(str(exc)) from exc

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path, content in {**reference, FILE: text}.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(content, "utf-8")
        catalogue = load_services(root / "data/services.yaml", Collector("data/services.yaml"))   # AAI's file
        collector = Collector(FILE)
        found = load_associations(root / FILE, load_reference(root / "data/communes.json"), catalogue, collector,
                                  today)
    verdict = Verdict(association=next((one for one in found if one.id == ident), None))
    try:
        lines, block = yaml_block.field_lines(text, ident), yaml_block.block_lines(text, ident)
    except Exception:   # the text no longer parses (or lost the block): every message is the edit's
        lines, block = {}, None
    for problem in collector.errors:
        name = lines.get(problem.line)
        if name not in yaml_block.EDITABLE and block and problem.line in block:
            name = _named(problem.message)   # a field emptied is said on the block's first line
        if name in yaml_block.EDITABLE:
            verdict.by_field.setdefault(name, []).append(_sentence(problem.message, ident))
        elif block is None or problem.line in block:
            verdict.general.append(_sentence(problem.message, ident))
    return verdict


def _named(message: str) -> str | None:
    """The editable field a message names (« n'a pas de champ « hours » »: a field emptied, so without a line)."""
    return next((name for name in yaml_block.EDITABLE if re.search(rf"«\s*{name}\s*»", message)), None)


def _sentence(message: str, ident: str) -> str:
    """The model's « l'association « ai-x » : le numéro … » reads, beside a field, as « Le numéro … »."""
    text = message.removeprefix(f"l'association « {ident} » : ")
    return text[:1].upper() + text[1:]
