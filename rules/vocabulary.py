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
