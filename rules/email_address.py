"""E-mail addresses: one rule for the associations' addresses in the data and the visitors' in the forms.

Only ASCII local parts are accepted (``allow_smtputf8=False``): every address must fit every mail header and
Amazon SES. No DNS look-up: the build works offline and a form must not wait on a resolver.
"""

from __future__ import annotations

EXAMPLE = "jeanne.martin@example.org"
MAX_LENGTH = 254   # RFC 5321 path limit


def normalize_email(raw: str) -> str | None:
    """The normalised address (domain in lower case, IDN in ASCII), or None when it is not valid."""
    if not isinstance(raw, str) or len(raw) > MAX_LENGTH:
        return None
    from email_validator import EmailNotValidError, validate_email   # on first use: not at a cold start
    try:
        result = validate_email(raw, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None
    return result.ascii_email or result.normalized


def email_key(address: str) -> str:
    """How an address is kept for look-ups (erasure, sign-in): case does not matter in practice."""
    return address.strip().lower()
