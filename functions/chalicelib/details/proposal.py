"""From the form's fields to a pull request: read the file at the base's last commit, edit one block, judge it
with the model, and only then branch, commit and open the pull request. The preview (« Aperçu ») runs the same
reading, edit and judgement, and stops there: what it shows is what « Envoyer » would propose."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Mapping

from . import check, yaml_block
from .github import Author, GitHub, Proposal

LABELS = {"address": "adresse", "phone": "téléphone", "email": "e-mail", "contact": "personne à contacter",
          "hours": "horaires", "website": "site Internet", "hourly_price": "prix de l'heure",
          "services": "services"}


@dataclass(frozen=True)
class Unchanged:
    """The form said what the file already says: no pull request."""


def branch_name(ident: str, now: datetime.datetime) -> str:
    return f"mes-informations/{ident}-{now:%Y%m%d-%H%M%S}"


def preview(github: GitHub, ident: str, changes: Mapping[str, Any], now: datetime.datetime) -> check.Verdict:
    """The model's verdict on the edit, with the association as it read it: nothing is pushed."""
    commit = github.base_commit()
    before = github.read(check.FILE, commit)[0]
    return _judged(github, commit, yaml_block.edit(before, ident, changes), ident, now)


def _judged(github: GitHub, commit: str, text: str, ident: str, now: datetime.datetime) -> check.Verdict:
    reference = {name: github.read(name, commit)[0] for name in check.REFERENCE_FILES}
    return check.judge(text, ident, reference, now.date())


def submit(github: GitHub, ident: str, author: Author, changes: Mapping[str, Any], now: datetime.datetime
           ) -> check.Verdict | Unchanged | Proposal:
    """The verdict when the model refuses the edit (nothing pushed); otherwise the pull request opened."""
    commit = github.base_commit()
    before, blob = github.read(check.FILE, commit)
    after = yaml_block.edit(before, ident, changes)
    if after == before:
        return Unchanged()
    verdict = _judged(github, commit, after, ident, now)
    if not verdict.ok:
        return verdict
    old, new = yaml_block.current(before, ident), yaml_block.current(after, ident)
    changed = [name for name in yaml_block.EDITABLE if old.get(name) != new.get(name)]
    what = ", ".join(LABELS[name] for name in changed)
    message = (f"Mes informations : {author.name} met à jour ses informations ({what})\n\n"
               f"Proposé par {author.name} ({ident}) depuis l'espace de gestion ; seul son bloc de "
               f"{check.FILE} change.")
    lines = [f"**{author.name}** (`{ident}`) propose de modifier ses informations depuis l'espace de gestion.", "",
             "| Champ | Avant | Après |", "| --- | --- | --- |"]
    lines += [f"| {LABELS[name]} | {_cell(old[name])} | {_cell(new[name])} |" for name in changed]
    lines += ["", "Le modèle du site a validé le fichier avant l'envoi ; les vérifications et l'aperçu tournent "
                  "comme pour toute modification. À relire par AAI avant la fusion."]
    return github.propose(check.FILE, after, blob, commit, branch_name(ident, now), author, message,
                          f"Mes informations : {author.name}", "\n".join(lines))


def _cell(value: str | list[str]) -> str:
    text = ", ".join(value) if isinstance(value, list) else str(value)
    return (text or "—").replace("|", "\\|").replace("\n", " ")


def confirm(github: GitHub, ident: str, author: Author, day: datetime.date, now: datetime.datetime
            ) -> check.Verdict | Unchanged | Proposal:
    """« Oui, tout est juste »: the same path as an edit, whose one change is the block's ``verified`` date."""
    commit = github.base_commit()
    before, blob = github.read(check.FILE, commit)
    after = yaml_block.edit(before, ident, {"verified": day}, editable=("verified",))
    if after == before:
        return Unchanged()
    verdict = _judged(github, commit, after, ident, now)
    if not verdict.ok:
        return verdict
    message = (f"Mes informations : {author.name} confirme ses informations (vérifiées le {day.isoformat()})\n\n"
               f"Confirmé par {author.name} ({ident}) d'un clic, en réponse à « Vos informations sont-elles à "
               f"jour ? » ; seule la date « verified » de son bloc de {check.FILE} change.")
    body = (f"**{author.name}** (`{ident}`) confirme que ses informations sont justes : la date de vérification "
            f"passe au {day.isoformat()}. Rien d'autre ne change.")
    return github.propose(check.FILE, after, blob, commit, branch_name(ident, now), author, message,
                          f"Mes informations : {author.name} confirme ses informations", body)
