"""The SIRET number of an establishment (a business, an association, a local authority): 14 digits whose Luhn
checksum is right — the SIREN (9 digits, itself Luhn-checked by INSEE) and the establishment's NIC (5 digits).

One rule for the site build (the professional form's help text, plugins/forms) and the functions (the
professional request's optional ``siret`` field, chalicelib/intake/forms.py). La Poste's establishments are the
one documented exception: their SIREN is 356 000 000 and their SIRET's digits add up to a multiple of 5 instead
(the head office's, 356 000 000 00048, passes Luhn).
"""

from __future__ import annotations

import re

LENGTH = 14
LA_POSTE_SIREN = "356000000"
HELP = "Facultatif\u00a0: les 14 chiffres de votre établissement (espaces acceptés), par exemple 732 829 320 00074."
INVALID_FORMAT = "Le numéro SIRET compte 14 chiffres : vérifiez-le, ou laissez ce champ vide."
INVALID_CHECKSUM = "Ce numéro SIRET n'existe pas (sa clé de contrôle est fausse) : vérifiez-le, ou laissez ce " \
                   "champ vide."
_SEPARATORS = re.compile(r"[\s\u00a0\u202f.-]")


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum: every second digit from the right doubled (minus 9 past 9), the sum a multiple of 10."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def clean(value: str) -> str:
    """The 14 digits of a typed SIRET (spaces, dots and hyphens dropped), or ValueError with a French message."""
    digits = _SEPARATORS.sub("", value)
    if not re.fullmatch(rf"\d{{{LENGTH}}}", digits):
        raise ValueError(INVALID_FORMAT)
    la_poste = digits.startswith(LA_POSTE_SIREN) and sum(int(c) for c in digits) % 5 == 0
    if not luhn_ok(digits) and not la_poste:
        raise ValueError(INVALID_CHECKSUM)
    return digits


def display(digits: str) -> str:
    """« 732 829 320 00074 »: the SIREN by threes, then the NIC (non-breaking spaces are the pages' business)."""
    return f"{digits[0:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
