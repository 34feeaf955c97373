"""How the data files' phone numbers and e-mail addresses are checked, worded for the editors who fix them.

The rules themselves live in ``rules/`` (shared with the form functions); this module only says the fix.
"""

from __future__ import annotations

from rules.email_address import normalize_email
from rules.phone import Phone, parse_phone

PHONE_FIX = "écrivez un numéro français à 10 chiffres, par exemple 05 36 49 12 34"
EMAIL_FIX = "écrivez une adresse complète, par exemple contact@association.example.org"

__all__ = ["EMAIL_FIX", "PHONE_FIX", "Phone", "normalize_email", "parse_phone"]
