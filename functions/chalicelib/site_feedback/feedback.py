"""Receiving the thank-you page's question: the signed token names the request; the answer is a lifecycle event.

The token is stamped when the request is stored and travels in the thank-you page's address (``avis=``): only the
household that just sent a request holds it, for its own request, for a week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..web import signing
from ..requests import lifecycle
from ..requests.enums import ActorKind, EventKind, SiteFeedback
from ..requests.lifecycle import Refused

if TYPE_CHECKING:
    from ..service import FormService

PURPOSE = "site-feedback"
SEALED = "site-feedback:sealed"   # the tokens' earlier form (``receive``)
TOKEN_DAYS = 7            # a household answers on the thank-you page, or later that week from its history
COMMENT_MAX = 500         # the textarea's maxlength: a sentence or two, not a letter
HOUSEHOLD = lifecycle.actor(ActorKind.HOUSEHOLD)


class Unusable(ValueError):
    """The answer cannot be recorded; ``message`` says why, in French, to the household."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def token(svc: FormService, ref: str) -> str:
    """The thank-you page's token for ``ref``: stamped now, valid TOKEN_DAYS."""
    return signing.stamp(svc.settings.secret, PURPOSE, ref, svc.now())


def receive(svc: FormService, fields: dict[str, list[str]]) -> SiteFeedback:
    """Record the answer the form carries; Unusable (a French message) when it cannot be."""
    jeton, now, age = _one(fields, "jeton"), svc.now(), TOKEN_DAYS * 86400
    # Tokens sealed before they were stamped (signing.seal) are still in thank-you pages for TOKEN_DAYS: this second
    # reading can go a week after the change is deployed.
    ref = signing.unstamp(svc.settings.secret, PURPOSE, jeton, now, age) \
        or signing.unseal(svc.settings.secret, SEALED, jeton, now, age)
    if not isinstance(ref, str):
        raise Unusable(403, "Ce lien pour donner votre avis n'est plus valable : il sert une semaine après "
                            "l'envoi de votre demande. Merci tout de même !")
    answer = _one(fields, "reponse")
    if answer not in SiteFeedback.labels():
        raise Unusable(400, "Choisissez une réponse à la question « Avez-vous trouvé facilement ? ».")
    comment = " ".join(_one(fields, "commentaire").split())
    if len(comment) > COMMENT_MAX:
        raise Unusable(400, f"Votre commentaire dépasse {COMMENT_MAX} caractères : raccourcissez-le.")
    record = svc.store.get(ref)
    if record is None:
        raise Unusable(404, "Cette demande n'existe plus : elle a pu être supprimée. Merci tout de même !")
    details = {"answer": answer, **({"comment": comment} if comment else {})}
    try:
        svc.on_fresh_copy(record, lambda current: svc.change(current, EventKind.SITE_FEEDBACK, HOUSEHOLD,
                                                             **details))
    except Refused:
        raise Unusable(409, "Vous avez déjà donné votre avis pour cette demande. Merci !") from None
    return SiteFeedback.of(answer)


def _one(fields: dict[str, list[str]], name: str) -> str:
    values = fields.get(name) or [""]
    return values[-1].strip()
