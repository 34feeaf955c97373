"""rules/sms.py: GSM-7 as operators count it, segments, and French text kept in GSM-7."""

from __future__ import annotations

from rules.sms import is_gsm7, length, segments, to_gsm7


def test_gsm7_counts_french_letters_as_the_operators_do():
    assert is_gsm7("é è à ù ì ò Ç É") and not is_gsm7("ê") and not is_gsm7("œ") and not is_gsm7("’")
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert length("€") == 2 and segments("€" * 80) == 1 and segments("€" * 81) == 2   # extension table
    assert segments("ê" * 70) == 1 and segments("ê" * 71) == 2 and segments("ê" * 134) == 2
    assert segments("a" * 159 + "ê") == 3   # one « ê » makes 160 characters UCS-2: 67 a segment
    assert to_gsm7("Fenêtre, œuvre, l’île, Noël : été à Saint-Émilion") == \
        "Fenetre, oeuvre, l'ile, Noel : été à Saint-Émilion"
    assert is_gsm7(to_gsm7("« Ça » — ô ïûâ … \u202f"))


def test_an_empty_text_costs_nothing():
    assert segments("") == 0
