"""« Oui, tout est juste »: the signed page of the campaign's message, and its one button.

The link names its campaign and carries, under its signature, the association it was sent to and its expiry
(``links``, purpose ``details:confirm``): it confirms that association's details and no other's, and only for a
while. Opening it changes nothing (mail scanners open every link of a message): the page shows the details the
site has and one button; the button opens the pull request that sets the block's ``verified`` to today, through
the same path as « Mes informations » (``proposal.confirm``), once per association and campaign.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from rules.dates import local_time
from rules.grammar import de

from ..web import links
from ..mail.messages import contact_rows
from . import campaign, check, yaml_block
from .github import Author, GitHubError
from .page import github_for
from .proposal import Unchanged, confirm

if TYPE_CHECKING:
    from ..web.pages import Page
    from ..routing import Contact
    from ..service import FormService

logger = logging.getLogger(__name__)

PATH = "/mes-informations/confirmer/"
PROBLEMS = {
    "invalid": (403, "Lien non valide", "Ce lien n'est pas valide : il a peut-être été coupé par votre messagerie. "
                                        "Copiez le lien complet depuis l'e-mail reçu ; rien n'a été enregistré."),
    "expired": (410, "Lien expiré", "Ce lien a expiré et rien n'a été enregistré. Pour confirmer ou corriger vos "
                                    "informations, connectez-vous à l'espace de gestion, « Mes informations »."),
    "closed": (503, "Confirmation indisponible", "La confirmation en ligne n'est pas possible pour le moment : "
                                                 "rien n'a été enregistré. Réessayez dans quelques minutes."),
    "refused": (409, "Confirmation impossible", "Les informations de votre page doivent d'abord être corrigées : "
                                                "connectez-vous à l'espace de gestion, « Mes informations », ou "
                                                "écrivez à la cellule régionale. Rien n'a été enregistré."),
}


def _problem(svc: FormService, what: str) -> Page:
    status, title, text = PROBLEMS[what]
    phone = svc.routing.network.phone.display if svc.routing.network.phone else ""
    return svc.pages.message(title, [text, f"Pour toute question, appelez la cellule régionale au {phone}."],
                             status)


def _holder(svc: FormService, ident: str, sig: str | None) -> tuple[str, campaign.Campaign | None, Contact | None]:
    """(``ok``, ``expired`` or ``invalid``; the campaign; the association the link was signed for)."""
    found = campaign.find(svc.settings, ident)
    if found is None:
        return "invalid", None, None
    verdict, holder = links.check(svc.settings.secret, campaign.PURPOSE, found.ident, sig, svc.now())
    contact = svc.routing.associations.get(holder) if holder else None
    if verdict == "invalid" or contact is None:
        return "invalid", None, None
    return verdict, found, contact


def page(svc: FormService, ident: str, params: dict[str, str]) -> Page:
    verdict, found, contact = _holder(svc, ident, params.get("sig"))
    if verdict != "ok" or found is None or contact is None:
        return _problem(svc, verdict)
    if svc.store.claimed(found.key(contact.id, "confirmed")):
        return _done(svc, contact, already=True)
    rows = [f"{label} : {value}" for label, value in contact_rows(contact)]
    services = ", ".join(svc.routing.services.get(s, s) for s in contact.services)
    return svc.pages.message(
        "Vos informations sont-elles à jour ?",
        [f"Voici ce que la page {_of(contact.name)} dit aujourd'hui. Si tout est juste, confirmez-le : la date de "
         "vérification de votre page sera mise à jour après la relecture de l'équipe d'AAI."],
        items=[*rows, f"Services proposés : {services}"],
        form={"action": PATH + found.ident, "hidden": {"sig": params["sig"]}, "label": "Oui, tout est juste"},
        link=(f"{svc.settings.forms_endpoint}/espace/mes-informations?association={contact.id}",
              "Quelque chose a changé : modifier mes informations"))


def submit(svc: FormService, ident: str, fields: dict[str, str]) -> Page:
    verdict, found, contact = _holder(svc, ident, fields.get("sig"))
    if verdict != "ok" or found is None or contact is None:
        return _problem(svc, verdict)
    github = github_for(svc.settings)
    if github is None:
        return _problem(svc, "closed")
    key = found.key(contact.id, "confirmed")
    if not svc.store.claim(key, int(svc.now()) + campaign.YEAR):
        return _done(svc, contact, already=True)   # a second click, or a second tab
    now = datetime.datetime.fromtimestamp(svc.now(), datetime.timezone.utc)
    try:
        outcome = confirm(github, contact.id, Author(contact.name, contact.email), local_time(svc.now()).date(), now)
    except (GitHubError, check.ModelUnavailable, yaml_block.BlockNotFound) as exc:
        svc.store.release(key)
        logger.warning("details: %s's confirmation not proposed (%s)", contact.id, exc.__class__.__name__)
        return _problem(svc, "closed")
    if isinstance(outcome, check.Verdict):
        svc.store.release(key)
        logger.warning("details: %s's confirmation refused by the model: %s", contact.id, outcome.general)
        return _problem(svc, "refused")
    if not isinstance(outcome, Unchanged):
        logger.info("details: %s confirmed its details, pull request %s", contact.id, outcome.number)
    return _done(svc, contact, already=False)


def _done(svc: FormService, contact: Contact, already: bool) -> Page:
    first = ("Votre confirmation était déjà enregistrée : rien de plus à faire." if already else
             "Merci, c'est noté : vos informations sont confirmées.")
    return svc.pages.message("Informations confirmées", [
        first, f"La page {_of(contact.name)} dira « informations vérifiées » à la date de votre confirmation dès "
               "que l'équipe d'AAI l'aura mise en ligne."])


def _of(name: str) -> str:
    """« de Entraide… » / « d'AI… »: elided as the rulebook says."""
    return de(name, "'")
