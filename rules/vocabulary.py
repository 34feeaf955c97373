"""The words both sides of the forms use: the network's id, the kinds of request and the fixed answers.

The values are the contract between the form pages (plugins/forms, theme/templates/forms) and the form
functions (functions/chalicelib); the labels are what people read on the page and in the e-mails.
"""

from __future__ import annotations

NETWORK_ID = "aai"   # the regional network, as a recipient: callbacks for communes no AI serves

# Kinds of request, with their French names. « demande-pro »: a business, an association or a local authority
# (issue 25, item 7), routed and followed like a household's order, counted apart in the figures.
PROFESSIONAL = "demande-pro"
KINDS = {"demande": "Demande d'intervention", "rappel": "Demande de rappel",
         PROFESSIONAL: "Demande professionnelle"}

DAYS = (("lundi", "Lundi"), ("mardi", "Mardi"), ("mercredi", "Mercredi"), ("jeudi", "Jeudi"),
        ("vendredi", "Vendredi"), ("samedi", "Samedi"))
SLOTS = (("matin", "Matin"), ("midi", "Midi"), ("apres-midi", "Après-midi"), ("soir", "Soir"))
SLOT_HINTS = {"matin": "8 h – 12 h", "midi": "12 h – 14 h", "apres-midi": "14 h – 18 h", "soir": "après 18 h"}
FREQUENCIES = (("ponctuelle", "Une seule fois"), ("hebdomadaire", "Toutes les semaines"),
               ("quinzaine", "Tous les quinze jours"), ("mensuelle", "Tous les mois"))
CONTACT_MODES = (("telephone", "Par téléphone"), ("email", "Par e-mail"), ("sms", "Par SMS"))
# « Avez-vous trouvé facilement ? » on the thank-you page (the functions' requests.enums.SiteFeedback)
SITE_FEEDBACK = (("facilement", "Oui, facilement"), ("avec-peine", "Oui, mais avec un peu de mal"),
                 ("difficilement", "Non, c'était difficile"))
# The callback grid: « lundi-matin » … « samedi-soir », named « Lundi matin » … for people.
AVAILABILITY = tuple((f"{day}-{slot}", f"{day_label} {slot_label.lower()}")
                     for day, day_label in DAYS for slot, slot_label in SLOTS)


def labels(choices: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """value → label, for look-ups."""
    return dict(choices)


# --- A request's life: its states, events, actors, channels, reasons and outcomes are enums carrying their
# labels, on the functions' side (functions/chalicelib/requests/enums.py): the form pages never use them.

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
    "contact": "Contact direct enregistré",
}

# The lists of the back office: which requests a tab shows.
LIST_FILTERS = (
    ("a-traiter", "À traiter"),
    ("en-retard", "En retard"),
    ("traitees", "Traitées"),
    ("toutes", "Toutes"),
)
