"""The e-mails' one policy (chalicelib/mail/policy.py) remembers parsed and folded headers: what it writes must be
byte for byte what the standard policies write, read back to the same values, and still refuse CR and LF."""

from __future__ import annotations

import email
from email import policy
from email.headerregistry import Address

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_functions import ROUTING
from chalicelib.mail.messages import acknowledgement, address, header_text, message_to_ai
from chalicelib.mail import policy as mail_policy
from chalicelib.mail.policy import MAIL_POLICY, WIRE_POLICY
from chalicelib.routing import load_routing

ROUTE = load_routing(ROUTING)
NAMES = ["Jeanne Martin", "Hélène Dupré-Lefèvre", "Émile « le grand » Nœud", 'Paul "Polo" O\'Brien',
         "Françoise de la Tour d'Auvergne et de Saint-Émilion-sur-Dordogne, épouse Castelnau-Magnoac",
         "=?utf-8?q?caf=C3=A9?=", "Evil\r\nBcc: victime@example.org", "a" * 120, "Zoë", "Renée;<x@y>, Bob"]


def _record(name: str, kind: str = "rappel") -> dict:
    return {"ref": "AI-20261123-ABCDEF", "kind": kind, "association": "aai", "created_at": 1_795_000_000,
            "data": {"nom": name, "email": "jeanne.martin@example.org", "telephone": "05 36 49 12 34"}}


def _messages(name: str):
    record = _record(name)
    return [message_to_ai(record, ROUTE, "https://aai.example.org/traite/x"), acknowledgement(record, ROUTE)]


@pytest.mark.parametrize("name", NAMES)
def test_what_is_sent_is_byte_for_byte_the_standard_policys(name):
    for msg in _messages(name):
        sent = msg.as_bytes(policy=WIRE_POLICY)   # sets the boundary; the standard policy then writes the same one
        assert sent == msg.as_bytes(policy=policy.SMTP)
        assert msg.as_bytes(policy=WIRE_POLICY) == sent   # the remembered folds give the same again
        assert msg.as_string() == msg.as_string(policy=policy.default)
        assert b"\r\n" in sent and all(len(line) <= 998 for line in sent.split(b"\r\n"))


# The standard package itself reads these back otherwise: a long display name split at a hyphen or where it has
# none gains a space, a typed encoded word is decoded. Ours writes the same bytes (above), so they read back the
# same; the others read back exactly.
STANDARD_QUIRKS = (NAMES[4], NAMES[5], NAMES[7])


@pytest.mark.parametrize("name", [n for n in NAMES if n not in STANDARD_QUIRKS])
def test_messages_read_back_to_what_was_meant(name):
    to_ai, ack = _messages(name)
    for msg in (to_ai, ack):
        back = email.message_from_bytes(msg.as_bytes(policy=WIRE_POLICY), policy=policy.default)
        assert [(k, str(v)) for k, v in back.items()] == [(k, str(v)) for k, v in msg.items()]
        assert [p.get_content().replace("\r\n", "\n") for p in back.iter_parts()] == \
            [p.get_content() for p in msg.iter_parts()]   # SMTP's line endings on the wire
        assert back["Bcc"] is None and "victime" not in str(back["To"])
    subject = header_text(f"Demande de rappel – {name} ", 200)
    back = email.message_from_bytes(to_ai.as_bytes(policy=WIRE_POLICY), policy=policy.default)
    assert str(back["Subject"]) == subject                                       # accents, « », dashes
    assert back["Reply-To"].addresses[0].display_name == header_text(name, 80)
    assert back["From"].addresses[0].display_name == ROUTE.site_name
    ack_back = email.message_from_bytes(ack.as_bytes(policy=WIRE_POLICY), policy=policy.default)
    assert str(ack_back["Subject"]) == "Votre demande de rappel a bien été reçue (AI-20261123-ABCDEF)"


def test_the_french_subject_is_sent_as_encoded_words_and_a_long_one_folded():
    msg = _messages(NAMES[4])[0]
    head = msg.as_bytes(policy=WIRE_POLICY).split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in head and b"\r\n " in head and head.isascii()


@pytest.mark.parametrize("value", ["a\r\nBcc: x@example.org", "a\nb", "a\rb", "a\r\n b"])
def test_a_header_with_cr_or_lf_is_refused_every_time(value):
    for _ in range(2):   # never remembered, so never let through the second time
        with pytest.raises(ValueError):
            MAIL_POLICY.header_store_parse("Subject", value)


def test_the_same_header_text_is_parsed_once():
    first = MAIL_POLICY.header_store_parse("From", address(ROUTE.site_name, ROUTE.sender))[1]
    again = MAIL_POLICY.header_store_parse("From", address(ROUTE.site_name, ROUTE.sender))[1]
    assert first is again and str(first) == str(policy.default.header_store_parse("From", again)[1])


HEADERS = ["Subject", "From", "To", "Reply-To", "X-AAI-Reference", "Message-ID", "Content-Type", "Date"]
# Any text, and ASCII words around the line's length (where writing the line whole or folding it is decided).
texts = st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120),
                  st.lists(st.text("abcdefghijklmnopqrstuvwxyz<>@\"=?.,;:()", min_size=1, max_size=12),
                           max_size=14).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(HEADERS), texts, st.booleans())
def test_any_header_folds_as_the_standard_policy_folds_it(name, text, as_address):
    """Whatever the value — ASCII or not, short or long, empty, with encoded-word look-alikes or specials — the
    remembered or whole-line fold equals the standard one, as text and as bytes, the first time and the next."""
    value: object = text
    if as_address and name in ("From", "To", "Reply-To"):
        value = Address(display_name=header_text(text, 80), addr_spec="jeanne@example.org")
    try:
        standard = policy.default.header_store_parse(name, value)[1]
    except Exception as refused:   # the same refusal (CR, LF, a malformed value) with ours
        with pytest.raises(type(refused)):
            MAIL_POLICY.header_store_parse(name, value)
        return
    ours = MAIL_POLICY.header_store_parse(name, value)[1]
    assert str(ours) == str(standard)
    for _ in range(2):
        for mine, theirs in ((WIRE_POLICY, policy.SMTP), (MAIL_POLICY, policy.default)):
            for fold in ("fold", "fold_binary"):
                assert _outcome(getattr(mine, fold), name, ours) == _outcome(getattr(theirs, fold), name, standard)


@pytest.mark.parametrize("length", range(60, 100))
def test_ascii_headers_around_the_line_length_fold_as_the_standard_ones(length):
    for name in HEADERS:
        text = ("word " * 30)[:length - len(name) - 2].strip()
        ours, standard = MAIL_POLICY.header_store_parse(name, text)[1], policy.default.header_store_parse(name, text)[1]
        assert WIRE_POLICY.fold_binary(name, ours) == policy.SMTP.fold_binary(name, standard)


def _outcome(fold, name: str, header) -> object:
    """The folded header, or the kind of error the folder raised (the standard one refuses some values too)."""
    try:
        return fold(name, header)
    except Exception as error:
        return type(error)


def test_a_body_holding_the_boundary_gets_another_and_parses_back_whole():
    """Someone read the boundary in an acknowledgement and typed it on a line of its own: a body sent as it is
    (7bit) holding it makes that message draw another, so the line stays text and no part can be injected. (A
    quoted-printable body cannot hold it: its « = » are written « =3D ».)"""
    from email.message import EmailMessage

    boundary = _messages("Jeanne Martin")[0].get_boundary()
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = "Test"
    msg.set_content(f"Bonjour\n--{boundary}\nContent-Type: text/html\n\n<p>piège</p>\n--{boundary}--\n")
    msg.add_alternative("<p>Bonjour</p>", subtype="html")
    mail_policy.set_boundary(msg)
    assert msg.get_boundary() != boundary and mail_policy._boundary[0] == msg.get_boundary()
    back = email.message_from_bytes(msg.as_bytes(policy=WIRE_POLICY), policy=policy.default)
    assert len(list(back.iter_parts())) == 2 and f"--{boundary}" in back.get_body(("plain",)).get_content()


def test_messages_share_one_boundary_shaped_like_the_standard_ones():
    first, second = _messages("Jeanne Martin")[0].get_boundary(), _messages("Paul Martin")[1].get_boundary()
    assert first == second and first.startswith("=" * 15) and first.endswith("==") and len(first) == 36
