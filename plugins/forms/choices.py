"""The fixed answers of the two forms, as the pages show them.

The values are the contract with the form functions (``functions/chalicelib/forms.py``);
tests/plugins/forms checks that both sides list the same ones.
"""

from __future__ import annotations

DAYS = (("lundi", "Lundi"), ("mardi", "Mardi"), ("mercredi", "Mercredi"), ("jeudi", "Jeudi"),
        ("vendredi", "Vendredi"), ("samedi", "Samedi"))
SLOTS = (("matin", "Matin"), ("midi", "Midi"), ("apres-midi", "Après-midi"), ("soir", "Soir"))
SLOT_HINTS = {"matin": "8 h – 12 h", "midi": "12 h – 14 h", "apres-midi": "14 h – 18 h", "soir": "après 18 h"}
FREQUENCIES = (("ponctuelle", "Une seule fois"), ("hebdomadaire", "Toutes les semaines"),
               ("quinzaine", "Tous les quinze jours"), ("mensuelle", "Tous les mois"))
CONTACT_MODES = (("telephone", "Par téléphone"), ("email", "Par e-mail"), ("sms", "Par SMS"))


def availability_grid() -> list[tuple[str, list[tuple[str, str]]]]:
    """Rows of the callback grid: (day label, [(value ``lundi-matin``, accessible name « Lundi matin »)])."""
    return [(day_label, [(f"{day}-{slot}", f"{day_label} {slot_label.lower()}") for slot, slot_label in SLOTS])
            for day, day_label in DAYS]


def retention_label(days: int) -> str:
    """365 → « 12 mois », 730 → « 24 mois », 90 → « 3 mois », 10 → « 10 jours »."""
    months = round(days / 30.4375)
    if days >= 28 and abs(months * 30.4375 - days) <= 3:
        return f"{months} mois"
    return f"{days} jour{'s' if days > 1 else ''}"
