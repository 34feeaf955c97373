"""The words both sides of the forms use: the network's id, the kinds of request and the fixed answers.

The values are the contract between the form pages (plugins/forms, theme/templates/forms) and the form
functions (functions/chalicelib); the labels are what people read on the page and in the e-mails.
"""

from __future__ import annotations

NETWORK_ID = "aai"   # the regional network, as a recipient: callbacks for communes no AI serves

# Kinds of request, with their French names.
KINDS = {"demande": "Demande d'intervention", "rappel": "Demande de rappel"}

# How a request reached the network (the monthly figures count « demandes d'informations directes »).
CHANNELS = {"site": "Formulaire du site", "telephone": "Cellule téléphonique"}

DAYS = (("lundi", "Lundi"), ("mardi", "Mardi"), ("mercredi", "Mercredi"), ("jeudi", "Jeudi"),
        ("vendredi", "Vendredi"), ("samedi", "Samedi"))
SLOTS = (("matin", "Matin"), ("midi", "Midi"), ("apres-midi", "Après-midi"), ("soir", "Soir"))
SLOT_HINTS = {"matin": "8 h – 12 h", "midi": "12 h – 14 h", "apres-midi": "14 h – 18 h", "soir": "après 18 h"}
FREQUENCIES = (("ponctuelle", "Une seule fois"), ("hebdomadaire", "Toutes les semaines"),
               ("quinzaine", "Tous les quinze jours"), ("mensuelle", "Tous les mois"))
CONTACT_MODES = (("telephone", "Par téléphone"), ("email", "Par e-mail"), ("sms", "Par SMS"))
# The callback grid: « lundi-matin » … « samedi-soir », named « Lundi matin » … for people.
AVAILABILITY = tuple((f"{day}-{slot}", f"{day_label} {slot_label.lower()}")
                     for day, day_label in DAYS for slot, slot_label in SLOTS)


def labels(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """value → label, for look-ups."""
    return dict(choices)


# --- A request's life (functions/chalicelib/lifecycle.py moves it; the back office shows it) -------------------

# States, in the order a request normally goes through them; « escalated » is the side path to AAI's cell.
STATES = {
    "received": "Reçue",                          # stored, the association's e-mail not sent yet
    "retrying": "Envoi en échec, nouvel essai prévu",
    "sent": "Envoyée à l'association",            # accepted by the mail system
    "delivered": "Remise à l'association",        # the mail system confirmed delivery
    "escalated": "Transmise à la cellule régionale",
    "handled": "Traitée",
    "closed": "Close",
}

# Who made a change: stored with every event of the audit trail.
ACTORS = {
    "household": "La personne",
    "ai": "L'association",
    "cell": "La cellule régionale",
    "system": "Le site (automatique)",
    "mail": "La messagerie",
}

# The outcome an association records when it marks a request handled (the « traitée » page).
OUTCOMES = (
    ("client", "La personne est devenue cliente"),
    ("en-cours", "Contact pris, résultat pas encore connu"),
    ("sans-suite", "Sans suite"),
    ("orientee", "Orientée ailleurs"),
)
# Why a request had no follow-up (short list: the monthly figures count them).
NO_FOLLOW_UP_REASONS = (
    ("injoignable", "La personne est restée injoignable"),
    ("service-non-propose", "Service non proposé"),
    ("tarif", "Le tarif ou les conditions ne conviennent pas"),
    ("date", "La date ou les horaires ne conviennent pas"),
    ("renonce", "La personne a renoncé"),
    ("doublon", "Demande en double"),
    ("autre", "Autre raison"),
)
# Where a request was oriented when the association could not take it.
ORIENTATIONS = (
    ("autre-ai", "Une autre association intermédiaire"),
    ("entreprise", "Une entreprise de services à la personne"),
    ("emploi-direct", "L'emploi direct (CESU)"),
    ("social", "Un service social ou le CCAS"),
    ("autre", "Autre"),
)

# Why a request went to AAI's phone cell.
ESCALATION_REASONS = {
    "deadline": "Pas de réponse dans le délai de la charte",
    "mail": "L'adresse de l'association refuse les messages",
    "household": "La personne dit ne pas avoir été recontactée",
    "not_ours": "L'association indique que la demande n'est pas pour elle",
}

# What the mail system can answer about a message (SES events, or an SMTP refusal locally).
MAIL_FAILURES = {
    "bounce": "Rejet définitif (adresse inexistante ou boîte fermée)",
    "suppressed": "Adresse sur la liste de suppression (rejets ou plaintes passés)",
    "complaint": "Signalé comme indésirable par le destinataire",
    "reject": "Refusé par le service d'envoi",
}

# The household's answer to « Avez-vous été recontacté ? ».
FOLLOW_UP_ANSWERS = (
    ("oui", "Oui, l'association m'a recontacté"),
    ("non", "Non, personne ne m'a recontacté"),
)

# The audit trail's events, as the liaison sheet and the back office name them.
EVENTS = {
    "received": "Demande reçue",
    "sent": "E-mail envoyé à l'association",
    "delivered": "E-mail remis à l'association",
    "acknowledged": "Accusé de réception envoyé à la personne",
    "send_failed": "Envoi en échec, nouvel essai prévu",
    "mail_failed": "Message refusé par la messagerie",
    "reminded": "Relance envoyée à l'association",
    "escalated": "Transmise à la cellule régionale",
    "escalation_notified": "Fiche de liaison envoyée à la cellule",
    "handled": "Marquée traitée",
    "outcome_changed": "Résultat corrigé",
    "followup_sent": "Question « Avez-vous été recontacté ? » envoyée",
    "followup_answered": "Réponse de la personne à la question de suivi",
    "noted": "Note ajoutée",
    "rerouted": "Réorientée vers une autre association par la cellule",
    "closed": "Demande close",
}

# --- The back office (/espace/: functions/chalicelib/backoffice) ------------------------------------------------

# Who signs in: an association (its address in data/associations.yaml) or an operator of AAI's phone cell
# (the allow-list ``operators`` of data/settings.yaml).
ROLES = {"ai": "Association", "cell": "Cellule régionale"}

# Every read of personal data in the back office is kept beside the request's trail, with who read it.
READS = {
    "page": "Fiche consultée",
    "list": "Vue dans une liste",
    "queue": "Vue dans la file de la cellule",
    "export": "Exportée (tableau CSV)",
}

# What the back-office journal keeps, beside the requests' trails: who signed in, out, exported, recorded.
JOURNAL = {
    "link_sent": "Lien de connexion envoyé",
    "signed_in": "Connexion",
    "signed_out": "Déconnexion",
    "link_refused": "Lien de connexion refusé (expiré, déjà utilisé ou inconnu)",
    "export": "Export CSV",
    "liaison": "Fiche de liaison enregistrée",
}

# The lists of the back office: which requests a tab shows.
LIST_FILTERS = (
    ("a-traiter", "À traiter"),
    ("en-retard", "En retard"),
    ("traitees", "Traitées"),
    ("toutes", "Toutes"),
)
