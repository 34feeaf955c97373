"""``/espace/mes-informations``: a signed-in association reads and changes its own public details.

GET shows the form filled from the repository's current file (the block the pull request will change, hourly
price included); POST sends the fields through ``proposal.submit``: the model's French messages come back beside
the fields, or a pull request is opened for AAI to review. POST with « Voir l'aperçu » (``action=apercu``) judges
the same fields the same way and shows the page's details as the site will write them, above « Proposer ces
modifications »: a preview without a script, the fields kept as typed. Only an association, and only for its own
id(s): an operator of the cell is refused (403), another association's id is a page that does not exist (404).
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from rules.typography import NBSP, french_euros, french_spacing

from ..backoffice import layout
from ..backoffice.web import Reply, base_path, not_found, page
from . import campaign, check, proposal, yaml_block
from .github import Author, GitHub, GitHubError, token_from_secrets_manager

if TYPE_CHECKING:
    from model.associations import Association

    from ..backoffice.auth import Session
    from ..backoffice.web import Visit
    from ..config import Settings
    from ..routing import Contact
    from ..service import FormService

logger = logging.getLogger(__name__)

PATH = "/espace/mes-informations"
# form field → the file's field (names in French for the person, in English in the data)
FIELDS = {"adresse": "address", "telephone": "phone", "email": "email", "contact": "contact", "horaires": "hours",
          "site": "website", "prix": "hourly_price"}
NAMES = {value: key for key, value in FIELDS.items()} | {"services": "services"}
MAX_LENGTH = 300


def github_for(settings: Settings) -> GitHub | None:
    """The repository's client, or None while « Mes informations » is not configured (AAI_GITHUB_REPOSITORY)."""
    if not settings.github_repository:
        return None
    return GitHub(settings.github_api, settings.github_repository,
                  lambda: token_from_secrets_manager(settings.github_token_secret), settings.github_base)


def _own(session: Session, wanted: str) -> str | None:
    """The association the page is about: one of the signed-in person's own, never another's."""
    mine = session.who.associations
    if not wanted:
        return mine[0] if mine else None
    return wanted if wanted in mine else None


def _render(svc: FormService, session: Session, ident: str, values: dict[str, Any], status: int = 200,
            errors: dict[str, str] | None = None, general: list[str] | None = None, notice: str = "",
            sendable: bool = True, preview: Association | None = None) -> Reply:
    contact = svc.routing.recipient(ident)
    services = sorted(svc.routing.services.items(), key=lambda item: item[1])
    return layout.render(svc, session, "mes_informations.html", status, current="informations",
                         title="Mes informations", action=base_path(svc) + PATH, ident=ident,
                         name=contact.name if contact else ident, values=values, errors=errors or {},
                         general=general or [], notice=notice, services=services, sendable=sendable,
                         preview=preview and card(preview),
                         others=[(a, other.name) for a in session.who.associations
                                 if a != ident and (other := svc.routing.recipient(a))])


def _from_routing(contact: Contact) -> dict[str, Any]:
    return {"address": contact.address, "phone": str(contact.phone or ""), "email": contact.email,
            "contact": contact.contact, "hours": contact.hours, "website": contact.website or "",
            "hourly_price": "", "services": list(contact.services)}


UNAVAILABLE = ("L'envoi des modifications n'est pas possible pour le moment : rien n'a été envoyé. Réessayez dans "
               "quelques minutes ; si cela dure, écrivez à la cellule régionale.")
NOT_OPEN = ("L'envoi des modifications depuis cette page n'est pas encore ouvert : pour changer vos informations, "
            "écrivez à la cellule régionale.")


@page(roles=("ai",))
def show(svc: FormService, visit: Visit, session: Session) -> Reply:
    ident = _own(session, visit.arg("association"))
    contact = svc.routing.recipient(ident) if ident is not None else None
    if ident is None or contact is None:
        return not_found(svc, "Cette association n'est pas la vôtre, ou elle n'existe pas.")
    github = github_for(svc.settings)
    if github is None:
        return _render(svc, session, ident, _from_routing(contact), notice=NOT_OPEN, sendable=False)
    try:
        values = yaml_block.current(github.read(check.FILE)[0], ident)
    except (GitHubError, yaml_block.BlockNotFound) as exc:
        logger.warning("details: the current file could not be read (%s)", exc)
        return _render(svc, session, ident, _from_routing(contact), 503, notice=UNAVAILABLE, sendable=False)
    return _render(svc, session, ident, values)


@page(roles=("ai",))
def save(svc: FormService, visit: Visit, session: Session) -> Reply:
    ident = _own(session, visit.field("association"))
    contact = svc.routing.recipient(ident) if ident is not None else None
    if ident is None or contact is None:
        return not_found(svc, "Cette association n'est pas la vôtre, ou elle n'existe pas.")
    values: dict[str, str | list[str]] = {name: visit.field(field).strip()[:MAX_LENGTH]
                                          for field, name in FIELDS.items()}
    values["services"] = [s for s in visit.form.get("services", []) if s in svc.routing.services]
    github = github_for(svc.settings)
    if github is None:
        return _render(svc, session, ident, values, 503, notice=NOT_OPEN, sendable=False)
    now = datetime.datetime.fromtimestamp(svc.now(), datetime.timezone.utc)
    if visit.field("action") == "apercu":
        return _preview(svc, session, github, ident, values, now)
    try:
        outcome = proposal.submit(github, ident, Author(contact.name, contact.email), values, now)
    except (GitHubError, check.ModelUnavailable, yaml_block.BlockNotFound) as exc:
        logger.warning("details: nothing proposed for %s (%s)", ident, exc.__class__.__name__)
        return _render(svc, session, ident, values, 503, notice=UNAVAILABLE)
    if isinstance(outcome, check.Verdict):
        return _refused(svc, session, ident, values, outcome)
    if isinstance(outcome, proposal.Unchanged):
        return _render(svc, session, ident, values, notice="Ces informations sont déjà celles du site : "
                                                           "rien n'a été envoyé.")
    logger.info("details: %s proposed a change, pull request %s", ident, outcome.number)
    campaign.answered(svc, ident, svc.now())   # « Vos informations sont-elles à jour ? » answered
    return layout.render(svc, session, "mes_informations_envoyee.html", current="informations",
                         title="Modification proposée", back=base_path(svc) + PATH + f"?association={ident}")


def _refused(svc: FormService, session: Session, ident: str, values: dict[str, Any], verdict: check.Verdict
             ) -> Reply:
    errors = {NAMES[name]: " ".join(messages) for name, messages in verdict.by_field.items()}
    return _render(svc, session, ident, values, 400, errors=errors, general=verdict.general)


def _preview(svc: FormService, session: Session, github: GitHub, ident: str, values: dict[str, Any],
             now: datetime.datetime) -> Reply:
    """« Voir l'aperçu »: the model's messages, as for « Proposer », or the details as the page will show them."""
    try:
        verdict = proposal.preview(github, ident, values, now)
    except (GitHubError, check.ModelUnavailable, yaml_block.BlockNotFound) as exc:
        logger.warning("details: no preview for %s (%s)", ident, exc.__class__.__name__)
        return _render(svc, session, ident, values, 503, notice=UNAVAILABLE)
    if not verdict.ok or verdict.association is None:
        return _refused(svc, session, ident, values, verdict)
    return _render(svc, session, ident, values, preview=verdict.association)


def card(ai: Association) -> dict[str, str | list[str]]:
    """The association's public details as its page writes them (theme/templates/association.html, « Coordonnées »,
    _price.html): the phone as displayed, the address with its commune, the price before and after the tax
    credit. Texts only: the template escapes them."""
    website = (ai.website or "").split("://")[-1].strip("/")
    price = "" if ai.hourly_price is None or ai.price_after_tax_credit is None else (
        f"Prix : environ {french_euros(ai.hourly_price)} de l’heure, soit {french_euros(ai.price_after_tax_credit)} "
        f"après le crédit d’impôt de 50{NBSP}%.")
    return {"name": ai.name, "phone": ai.phone.display, "email": ai.email, "address": ai.address,
            "town": f"{ai.postal_code} {ai.commune.name}", "contact": ai.contact, "website": website,
            "hours": french_spacing(ai.hours), "services": [service.name for service in ai.services], "price": price}
