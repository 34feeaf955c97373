"""The words of ``make check``: a short console summary and the French job summary of a pull request."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .changes import Changes, RoutingChange
from .communes import Commune, Departement
from .content import ContentItem
from .errors import Problem
from .site import SiteData
from rules.dates import french_date, french_time
from rules.grammar import plural

ROUTING_ROWS = 60  # a whole EPCI moving is a long list; the rest is counted, not listed
DETAILS_HINT = "détail commune par commune : make check CHECK_ARGS=--details"


def uncovered_by_departement(site: SiteData) -> list[tuple[Departement, list[Commune]]]:
    uncovered = {c.insee for c in site.uncovered()}
    return [(d, [c for c in site.reference.in_departement(d.code) if c.insee in uncovered])
            for d in site.reference.departements.values()]


def valid_line(site: SiteData) -> str:
    plural = "s" if len(site.associations) > 1 else ""
    return (f"Données valides : {len(site.associations)} association{plural}, "
            f"{len(site.reference.communes)} communes dont {len(site.uncovered())} sans association, "
            f"{len(site.services)} services.")


def uncovered_lines(site: SiteData, details: bool) -> list[str]:
    """One line of counts per département; with ``details``, the communes themselves."""
    groups = [(d, communes) for d, communes in uncovered_by_departement(site) if communes]
    if not groups:
        return []
    if details:
        return [f"attention : {d.name} ({d.code}) — {len(communes)} communes desservies par aucune "
                f"association : {', '.join(f'{c.name} ({c.insee})' for c in communes)}"
                for d, communes in groups]
    counts = ", ".join(f"{d.name} ({d.code}) : {len(communes)}" for d, communes in groups)
    return [f"Communes desservies par aucune association (le site y propose la ligne régionale) : "
            f"{counts} ({DETAILS_HINT})."]


def when(moment: datetime.datetime) -> str:
    """« 20 mars 2027 à 9 h 00 »."""
    return f"{french_date(moment.date())} à {french_time(moment)}"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _communes(count: int) -> str:
    return plural(count, "commune desservie", "communes desservies")


def _names(names: Iterable[str]) -> str:
    names = list(names)
    return ", ".join(names) if names else "aucune (ligne régionale)"


def _routing_table(site: SiteData, routing: list[RoutingChange]) -> list[str]:
    departements = site.reference.departements
    lines = ["| Commune | Département | Avant | Après |", "|---|---|---|---|"]
    for change in routing[:ROUTING_ROWS]:
        lines.append(f"| {_cell(change.name)} ({change.insee}) | {_cell(departements[change.departement].name)}"
                     f" | {_cell(_names(change.before))} | {_cell(_names(change.after))} |")
    if len(routing) > ROUTING_ROWS:
        lines.append(f"\n… et {len(routing) - ROUTING_ROWS} autres communes.")
    return lines


def _item(item: ContentItem, verb: str) -> str:
    kind = "revue de presse" if item.kind == "presse" else "actualité"
    date = f" — {verb} {when(item.date)}" if item.date else ""
    return f"- « {item.title} » ({kind}, `{item.path}`){date}"


def changes_markdown(site: SiteData, changes: Changes, base_ref: str) -> list[str]:
    lines = [f"### Ce que la modification change pour les visiteurs (par rapport à `{base_ref}`)", ""]
    if changes.empty:
        return lines + ["Aucun changement visible : ni association, ni commune, ni actualité."]
    if changes.added:
        lines += [f"**Associations ajoutées ({len(changes.added)})**", ""]
        lines += [f"- {a.name} (`{a.id}`), {a.commune.name} : {_communes(len(a.zone))}"
                  for a in changes.added] + [""]
    if changes.removed:
        lines += [f"**Associations retirées ({len(changes.removed)})**", ""]
        lines += [f"- {a.name} (`{a.id}`)" for a in changes.removed] + [""]
    if changes.changed:
        lines += [f"**Associations modifiées ({len(changes.changed)})**", ""]
        lines += [f"- {a.name} (`{a.id}`) : {', '.join(names)}" for a, names in changes.changed] + [""]
    if changes.routing:
        count = len(changes.routing)
        lines += [f"**Communes dont l'association change ({count})** — les demandes de leurs habitants "
                  "iront désormais à :", ""]
        table = _routing_table(site, changes.routing)
        lines += (table if count <= 10 else
                  ["<details><summary>Voir les communes</summary>", "", *table, "", "</details>"]) + [""]
    if changes.published:
        lines += [f"**Publiées ou modifiées dès la fusion ({len(changes.published)})**", ""]
        lines += [_item(i, "datée du") for i in changes.published] + [""]
    if changes.scheduled:
        lines += [f"**Programmées ({len(changes.scheduled)})** — paraîtront à la première construction "
                  "quotidienne qui suit leur date", ""]
        lines += [_item(i, "le") for i in changes.scheduled] + [""]
    if changes.withdrawn:
        lines += [f"**Retirées du site ({len(changes.withdrawn)})**", ""]
        lines += [_item(i, "datée du") for i in changes.withdrawn] + [""]
    return lines


def job_summary(site: SiteData | None, problems: list[Problem], changes: Changes | None,
                base_ref: str | None, base_error: str | None) -> str:
    """The French Markdown GitHub shows on the run's page."""
    errors = [p for p in problems if not p.warning]
    warnings = [p for p in problems if p.warning]
    lines = ["## Vérification des données et des contenus", ""]
    if errors:
        count = plural(errors, "erreur", "erreurs")
        lines += [f"❌ **{count}** : le site ne peut pas être publié tant qu'elles ne sont pas "
                  "corrigées. Chaque message est aussi affiché sur sa ligne, dans l'onglet « Files changed ».",
                  ""]
        lines += [f"- `{p.path}`{f' ligne {p.line}' if p.line else ''} : {p.message}" for p in errors] + [""]
    elif site is not None:
        lines += [f"✅ {valid_line(site)}", ""]
    if warnings:
        count = plural(warnings, "avertissement", "avertissements")
        lines += [f"⚠️ **{count}** (ils n'empêchent pas la publication) :", ""]
        lines += [f"- `{p.path}`{f' ligne {p.line}' if p.line else ''} : {p.message}" for p in warnings] + [""]
    if base_error:
        lines += ["### Ce que la modification change pour les visiteurs", "",
                  f"Comparaison impossible : {base_error}", ""]
    elif site is not None and changes is not None and base_ref:
        lines += changes_markdown(site, changes, base_ref) + [""]
    if site is not None and not errors:
        groups = [(d, c) for d, c in uncovered_by_departement(site) if c]
        if groups:
            lines += ["### Communes sans association", "",
                      " · ".join(f"{d.name} : {len(c)}" for d, c in groups)
                      + " — le site y propose la ligne régionale.", ""]
    return "\n".join(lines)
