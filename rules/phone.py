"""Phone numbers: parsed once into a value (E.164 to store and compare, display text for people, line type).

Every French number is accepted, overseas départements included (a household in Aquitaine may keep a number
from La Réunion); foreign numbers are not, since an association calls back from France.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # imported by the first number parsed: a cold start that reads none does not pay for it
    import phonenumbers

# Metropolitan France and the overseas départements and collectivities of the French numbering plan.
FRENCH_REGIONS = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"})
PARSE_ORDER = ("FR", *sorted(FRENCH_REGIONS - {"FR"}))
EXAMPLE = "05 36 49 12 34"   # from the range ARCEP reserves for fiction (south-west)
MAX_INPUT = 30               # longer is not a phone number; refuse before parsing


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str       # "+33536491234": what is stored, compared and erased
    display: str    # "05 36 49 12 34": what people read
    mobile: bool    # can receive an SMS (phonenumbers says so, not a guess on the first digits)

    @property
    def tel(self) -> str:
        """The ``tel:`` link."""
        return f"tel:{self.e164}"

    def __str__(self) -> str:
        return self.display


def parse_phone(raw: str) -> Phone | None:
    """The number as a ``Phone``, or None when it is not a valid French number."""
    if not isinstance(raw, str) or len(raw) > MAX_INPUT:
        return None
    import phonenumbers
    number = _parse_french(raw)
    if number is None:
        return None
    mobile = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return Phone(e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                 display=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
                 mobile=phonenumbers.number_type(number) in mobile)


def _parse_french(raw: str) -> phonenumbers.PhoneNumber | None:
    """Overseas numbers are dialled « 0262 … » or « 0692 … » from mainland France too: a number that is not a
    mainland one is tried as each overseas territory's before it is refused."""
    import phonenumbers
    for region in PARSE_ORDER:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return number if phonenumbers.region_code_for_number(number) in FRENCH_REGIONS else None
    return None


def display_phone(e164: str) -> str:
    """A stored E.164 number as people read it (``+33536491234`` → ``05 36 49 12 34``).

    Not remembered: it shows households' numbers (their association's message, the back office), and the right to
    erasure must reach every copy of them, which a memo of a warm process would keep. The associations' and the
    network's numbers are parsed once anyway, with the routing table (``Contact.phone``)."""
    phone = parse_phone(e164)
    return phone.display if phone else e164
