"""The words of a request's life, each once: its value (what the store, the JSON and the signed links carry) and
its French label (what people read in the back office, the e-mails and the reports).

They are ``StrEnum``: a member *is* its string (``State.HANDLED == "handled"``), so records stored before these
types existed, JSON and SQL parameters read and compare exactly as before. They live on the functions' side
because only the functions use them; the words the form pages share with the functions stay in
``rules.vocabulary``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from rules.vocabulary import SITE_FEEDBACK


class Labelled(StrEnum):
    """A value with its French label: ``State.HANDLED.label == "Traitée"``."""

    _label: str

    def __new__(cls, value: str, label: str) -> "Labelled":
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def labels(cls) -> dict[str, str]:
        """value → label, in the order of the declaration (for look-ups and the forms' choices)."""
        return {member.value: member.label for member in cls}

    @classmethod
    def choices(cls) -> tuple[tuple[str, str], ...]:
        """(value, label) pairs, for a form's radio buttons."""
        return tuple((member.value, member.label) for member in cls)

    @classmethod
    def of(cls, value: str) -> Self:
        """The member of a stored value; ValueError for a value this version does not know."""
        member = cls._value2member_map_.get(value)
        if not isinstance(member, cls):
            raise ValueError(f"{value!r} is not a {cls.__name__}")
        return member

    @classmethod
    def label_of(cls, value: str | None, default: str = "") -> str:
        """The label of a stored value, or ``default`` for a value this version does not know."""
        member = cls._value2member_map_.get(value) if value is not None else None
        return member.label if isinstance(member, Labelled) else default


class State(Labelled):
    """Where a request stands, in the order a request normally goes through; ESCALATED is the side path to AAI's
    cell (see chalicelib.requests.lifecycle's diagram)."""

    RECEIVED = "received", "Reçue"                                   # stored, the AI's e-mail not sent yet
    RETRYING = "retrying", "Envoi en échec, nouvel essai prévu"
    SENT = "sent", "Envoyée à l'association"                         # accepted by the mail system
    DELIVERED = "delivered", "Remise à l'association"                # the mail system confirmed delivery
    ESCALATED = "escalated", "Transmise à la cellule régionale"
    HANDLED = "handled", "Traitée"
    CLOSED = "closed", "Close"


# With the association, nobody has answered yet.
WAITING = (State.RECEIVED, State.RETRYING, State.SENT, State.DELIVERED)


class EventKind(Labelled):
    """The audit trail's events, as the liaison sheet and the back office name them."""

    RECEIVED = "received", "Demande reçue"
    SENT = "sent", "E-mail envoyé à l'association"
    DELIVERED = "delivered", "E-mail remis à l'association"
    ACKNOWLEDGED = "acknowledged", "Accusé de réception envoyé à la personne"
    SEND_FAILED = "send_failed", "Envoi en échec, nouvel essai prévu"
    MAIL_FAILED = "mail_failed", "Message refusé par la messagerie"
    REMINDED = "reminded", "Relance envoyée à l'association"
    ESCALATED = "escalated", "Transmise à la cellule régionale"
    ESCALATION_NOTIFIED = "escalation_notified", "Fiche de liaison envoyée à la cellule"
    HANDLED = "handled", "Marquée traitée"
    OUTCOME_CHANGED = "outcome_changed", "Résultat corrigé"
    FOLLOWUP_SENT = "followup_sent", "Question « Avez-vous été recontacté ? » envoyée"
    FOLLOWUP_ANSWERED = "followup_answered", "Réponse de la personne à la question de suivi"
    NOTED = "noted", "Note ajoutée"
    SITE_FEEDBACK = "site_feedback", "Avis de la personne sur le site"
    REROUTED = "rerouted", "Réorientée vers une autre association par la cellule"
    CLOSED = "closed", "Demande close"
    CAPPED = "capped", "Message retenu : plafond de messages de la demande atteint"
    SMS_SENT = "sms_sent", "SMS envoyé à la personne"
    SMS_FAILED = "sms_failed", "SMS non remis à la personne"
    MISSION_REMINDED = "mission_reminded", "Rappel à l'association : un intervenant sous 72 heures"
    MISSION_DIFFICULTY = "mission_difficulty", "L'association signale une difficulté pour la première mission"
    MISSION_DIFFICULTY_TOLD = "mission_difficulty_told", "La personne est prévenue de la difficulté"
    SATISFACTION_SENT = "satisfaction_sent", "Questionnaire de satisfaction envoyé à la personne"
    SATISFACTION_REMINDED = "satisfaction_reminded", "Relance du questionnaire de satisfaction"
    SATISFACTION_ANSWERED = "satisfaction_answered", "Réponse de la personne au questionnaire de satisfaction"


class ActorKind(Labelled):
    """Who made a change, stored with every event of the trail (optionally followed by who exactly:
    ``ai:ai-libournais``, ``cell:claire@aai-aquitaine.example.org``)."""

    HOUSEHOLD = "household", "La personne"
    AI = "ai", "L'association"
    CELL = "cell", "La cellule régionale"
    SYSTEM = "system", "Le site (automatique)"
    MAIL = "mail", "La messagerie"


class Channel(Labelled):
    """How a request reached the network (the monthly figures count « demandes d'informations directes »)."""

    SITE = "site", "Formulaire du site"
    TELEPHONE = "telephone", "Cellule téléphonique"
    DIRECT = "direct", "Contact direct de l'association"   # its own call, visit or e-mail (chalicelib.contacts)


class DirectChannel(Labelled):
    """How a contact reached the association itself (Annexe 3's « appels téléphoniques, rencontre directe,
    demandes d'informations par mail »): the seed's first criterion counts them."""

    CALL = "appel", "Appel téléphonique"
    VISIT = "visite", "Visite"
    EMAIL = "email", "E-mail"


class EscalationReason(Labelled):
    """Why a request went to AAI's phone cell."""

    DEADLINE = "deadline", "Pas de réponse dans le délai de la charte"
    MAIL = "mail", "L'adresse de l'association refuse les messages"
    HOUSEHOLD = "household", "La personne dit ne pas avoir été recontactée"
    NOT_OURS = "not_ours", "L'association indique que la demande n'est pas pour elle"
    CAP = "cap", "Plafond de messages atteint pour cette demande"
    SMS = "sms", "La personne, sans e-mail, n'a pas pu recevoir le SMS d'accusé de réception"
    UNHAPPY = "unhappy", "La personne n'est pas satisfaite de la première mission : remplacer l'intervenant"


class Outcome(Labelled):
    """The outcome an association records when it marks a request handled (the « traitée » page)."""

    CLIENT = "client", "La personne est devenue cliente"
    IN_PROGRESS = "en-cours", "Contact pris, résultat pas encore connu"
    NO_FOLLOW_UP = "sans-suite", "Sans suite"
    ORIENTED = "orientee", "Orientée ailleurs"


class NoFollowUpReason(Labelled):
    """Why a request had no follow-up (a short list: the monthly figures count them)."""

    UNREACHABLE = "injoignable", "La personne est restée injoignable"
    SERVICE_NOT_OFFERED = "service-non-propose", "Service non proposé"
    PRICE = "tarif", "Le tarif ou les conditions ne conviennent pas"
    DATE = "date", "La date ou les horaires ne conviennent pas"
    GAVE_UP = "renonce", "La personne a renoncé"
    DUPLICATE = "doublon", "Demande en double"
    OTHER = "autre", "Autre raison"


class Orientation(Labelled):
    """Where a request was oriented when the association could not take it."""

    OTHER_AI = "autre-ai", "Une autre association intermédiaire"
    COMPANY = "entreprise", "Une entreprise de services à la personne"
    DIRECT_EMPLOYMENT = "emploi-direct", "L'emploi direct (CESU)"
    SOCIAL = "social", "Un service social ou le CCAS"
    OTHER = "autre", "Autre"


class FollowUpAnswer(Labelled):
    """The household's answer to « Avez-vous été recontacté ? »."""

    YES = "oui", "Oui, l'association m'a recontacté"
    NO = "non", "Non, personne ne m'a recontacté"


class CloseReason(Labelled):
    """Why a request was closed (``close_reason``): the monthly figures count the households that said they no
    longer need anyone."""

    EXPIRED = "expired", "Close à l'échéance"
    CELL = "cell", "Close par la cellule régionale"
    NO_LONGER_NEEDED = "no_longer_needed", "La personne n'en a plus besoin"


class MailFailure(Labelled):
    """What the mail system can answer about a message (SES events, or an SMTP refusal locally)."""

    BOUNCE = "bounce", "Rejet définitif (adresse inexistante ou boîte fermée)"
    SUPPRESSED = "suppressed", "Adresse sur la liste de suppression (rejets ou plaintes passés)"
    COMPLAINT = "complaint", "Signalé comme indésirable par le destinataire"
    REJECT = "reject", "Refusé par le service d'envoi"


class SiteFeedback(Labelled):
    """The answer to « Avez-vous trouvé facilement ? » on the thank-you page: how easy the site made it to reach
    an association (issue 26's feedback on the site itself), counted in the monthly report."""

    EASY = SITE_FEEDBACK[0]            # the words are the thank-you page's: rules.vocabulary
    SOME_TROUBLE = SITE_FEEDBACK[1]
    HARD = SITE_FEEDBACK[2]


class SatisfactionTheme(Labelled):
    """The two themes of the charter's satisfaction measure (AXE 5's evaluation criteria), asked in this order:
    the first is the one a click in the message answers."""

    WELCOME = "accueil", "La qualité de l'accueil"
    RELATIONSHIP = "suivi", "Le suivi de la relation"


class Rating(Labelled):
    """The five-point scale of the satisfaction questions; 1 and 2 are unhappy (the charter: replace the
    intervenant)."""

    VERY_UNHAPPY = "1", "Pas du tout satisfait"
    UNHAPPY = "2", "Peu satisfait"
    NEUTRAL = "3", "Moyennement satisfait"
    HAPPY = "4", "Satisfait"
    VERY_HAPPY = "5", "Très satisfait"


UNHAPPY_AT_MOST = 2   # a rating at or below it opens the follow-up « remplacer l'intervenant »


class CaseKind(Labelled):
    """What a household or a visitor raised that is followed to an outcome beside the requests
    (chalicelib.complaints): a complaint (issue 24) or « Signaler une erreur » (issue 27)."""

    COMPLAINT = "reclamation", "Réclamation"
    ERROR_REPORT = "erreur", "Signalement d'erreur"


class CaseStatus(Labelled):
    """Where a complaint or an error report stands."""

    OPEN = "open", "À traiter"
    ESCALATED = "escalated", "En attente à la cellule régionale"   # the delay passed without an outcome
    CLOSED = "closed", "Suite donnée"


class ComplaintOutcome(Labelled):
    """What the association (or the cell) says it did about a complaint."""

    RESOLVED = "resolue", "Résolue avec la personne"
    UNFOUNDED = "non-fondee", "Non fondée, expliquée à la personne"
    UNRESOLVED = "sans-solution", "Sans solution possible"


class ErrorReportOutcome(Labelled):
    """What the association or AAI's editors say about a reported error (issue 27: « corrigé » or « pas une
    erreur »)."""

    FIXED = "corrige", "Corrigé"
    NOT_AN_ERROR = "pas-une-erreur", "Pas une erreur"
