"""French grammar the pages, e-mails and the kit share: « à / au / aux » before a commune, the articles of the
départements, elision before a name (« d'Aquitaine », « qu'association »), and plurals (French puts 0 and 1 in
the singular)."""

from __future__ import annotations

import unicodedata
from typing import Callable, Sized

# Keyed by département code: (« de … », « en/dans … »). The name itself comes from the data.
DEPARTEMENT_FORMS = {
    "24": ("de la {}", "en {}"),
    "33": ("de la {}", "en {}"),
    "40": ("des {}", "dans les {}"),
    "47": ("du {}", "en {}"),
    "64": ("des {}", "dans les {}"),
}
DEFAULT_FORMS = ("de {}", "en {}")


def a_commune(name: str) -> str:
    """« à Bordeaux », « au Bouscat », « aux Artigues-de-Lussac », « à La Teste-de-Buch ».

    Twin: ``at`` in theme/static/js/french.js."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def de_departement(name: str, code: str) -> str:
    """« de la Gironde », « des Landes », « du Lot-et-Garonne »."""
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[0].format(name)


def en_departement(name: str, code: str) -> str:
    """« en Gironde », « dans les Landes », « en Lot-et-Garonne »."""
    return DEPARTEMENT_FORMS.get(code, DEFAULT_FORMS)[1].format(name)


# The words that elide before a vowel or a mute h, and their elided form.
ELIDING = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "ne": "n'", "je": "j'", "me": "m'", "te": "t'",
           "se": "s'", "jusque": "jusqu'", "lorsque": "lorsqu'", "puisque": "puisqu'"}
# A word starting with one of these does not elide what comes before it: an aspirated h (« de Haute Lande »,
# « du Haut-Béarn »), and the few vowel-initial words French treats like consonants (« de onze », « le oui »).
NO_ELISION = ("haut", "hameau", "halle", "hêtre", "héros", "hibou", "honte", "hollande", "hongrie", "havre",
              "hache", "hasard", "huit", "onze", "oui", "ouistiti", "uhlan", "yacht")
VOWELS = frozenset("aeiouæœ")


def _bare(word: str) -> str:
    """Lower case without accents: « Élise » → « elise » (« œ » and « æ » kept, they are vowels)."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def elides_before(name: str) -> bool:
    """Whether « de / que / le … » lose their vowel before ``name``: a vowel (accented or not), a mute h, or a y
    sounded as a vowel (« d'Yves » but « de Yannick »); never before an aspirated h, a digit or a sign."""
    word = _bare(str(name).lstrip())
    if not word or word.startswith(NO_ELISION):
        return False
    if word[0] == "y":
        return len(word) > 1 and word[1] not in VOWELS
    return word[0] in VOWELS or word[0] == "h"


def before(word: str, name: str, apostrophe: str = "'") -> str:
    """The word as it is written before ``name``, with what separates them: ``before("de", "Aquitaine")`` →
    « d' », ``before("de", "Marsan")`` → « de ». For templates that wrap the name in markup of its own.

    The capital survives: « De » → « D' »."""
    elided = ELIDING.get(word.lower())
    if elided is None or not elides_before(name):
        return word + " "
    elided = elided.replace("'", apostrophe)
    return elided[0].upper() + elided[1:] if word[:1].isupper() else elided


def elide(word: str, name: str, apostrophe: str = "'") -> str:
    """« de » + « Aquitaine Associations Intermédiaires » → « d'Aquitaine Associations Intermédiaires »,
    « que » + « Association intermédiaire du Marsan » → « qu'Association intermédiaire du Marsan »,
    « de » + « Haute Lande Emploi Solidaire » → unchanged. The one rule wherever a name follows a word that
    elides: names come from data or from people, so no text may write « de {name} » by hand."""
    return before(word, name, apostrophe) + str(name).lstrip()


def de(name: str, apostrophe: str = "'") -> str:
    """« d'Aquitaine », « de Marsan », « d'Élise Martin », « de Haut-Béarn Emploi »."""
    return elide("de", name, apostrophe)


def que(name: str, apostrophe: str = "'") -> str:
    """« qu'Association intermédiaire du Marsan », « que Pau Béarn Emploi Services »."""
    return elide("que", name, apostrophe)


def filters(apostrophe: str = "'") -> dict[str, Callable[..., str]]:
    """The elision rules as Jinja filters, for the functions' pages (straight apostrophe, like their texts), the
    site and the kit (typographic ’): ``{{ name | de }}``, ``{{ name | que }}``, and ``{{ "que" | before(name) }}``
    followed by the name in its own markup."""
    return {"de": lambda name: de(name, apostrophe), "que": lambda name: que(name, apostrophe),
            "before": lambda word, name: before(word, name, apostrophe)}


def _count(count: int | Sized) -> int:
    return count if isinstance(count, int) else len(count)


def pick(count: int | Sized, one: str, many: str) -> str:
    """The singular or plural form alone: ``pick(2, 'intervient', 'interviennent')``."""
    return one if _count(count) <= 1 else many


def plural(count: int | Sized, one: str, many: str) -> str:
    """« 1 commune », « 0 commune », « 2 communes »."""
    return f"{_count(count)} {pick(count, one, many)}"
