"""One signer (chalicelib/web/signing.py, on itsdangerous) for every link, cookie and CSRF token: one salt per purpose,
time passed in, the links mailed before it still good until they expire, no hand-made HMAC anywhere else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import urllib.parse
from pathlib import Path

import pytest

from support_functions import bodies, demande_fields
from chalicelib.web import links, signing
from chalicelib.backoffice import csrf

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
SECRET = "s3cret"
NOW = 1_790_000_000


def test_a_signature_made_for_one_purpose_passes_for_no_other():
    for purpose in signing.SALTS:
        made = signing.mac(SECRET, purpose, "AI-20261102-ABCDEF")
        assert signing.mac_ok(SECRET, purpose, "AI-20261102-ABCDEF", made)
        assert not signing.mac_ok(SECRET, purpose, "AI-20261102-ABCDEG", made)
        assert not signing.mac_ok("another secret", purpose, "AI-20261102-ABCDEF", made)
        assert not any(signing.mac_ok(SECRET, other, "AI-20261102-ABCDEF", made)
                       for other in signing.SALTS if other != purpose)
    assert csrf.session_token(SECRET, "x" * 22) != csrf.anonymous_token(SECRET, "x" * 22)
    with pytest.raises(ValueError):
        signing.mac(SECRET, "a purpose nobody declared", "x")


def test_a_sealed_payload_lives_max_age_seconds_on_the_clock_passed_in():
    sealed = signing.seal(SECRET, "session", ["id", 1, "a@b.fr", 2], NOW)
    assert signing.unseal(SECRET, "session", sealed, NOW + 100, max_age=100) == ["id", 1, "a@b.fr", 2]
    assert signing.unseal(SECRET, "session", sealed, NOW + 101, max_age=100) is None
    assert signing.unseal(SECRET, "session", sealed, NOW - 1, max_age=100) is None   # sealed « in the future »
    assert signing.unseal("another secret", "session", sealed, NOW, max_age=100) is None
    assert signing.unseal(SECRET, "csrf:session", sealed, NOW, max_age=100) is None
    for garbage in ("", None, "x.y.z", "é" * 10, sealed[:-1]):
        assert signing.unseal(SECRET, "session", garbage, NOW, max_age=100) is None


def test_a_stamped_text_lives_max_age_seconds_on_the_clock_passed_in():
    stamped = signing.stamp(SECRET, "site-feedback", "AI-20261102-ABCDEF", NOW)
    assert stamped.startswith("AI-20261102-ABCDEF.") and re.fullmatch(r"[A-Za-z0-9_.-]{20,200}", stamped)   # forms.js
    assert signing.unstamp(SECRET, "site-feedback", stamped, NOW + 100, max_age=100) == "AI-20261102-ABCDEF"
    assert signing.unstamp(SECRET, "site-feedback", stamped, NOW + 101, max_age=100) is None
    assert signing.unstamp(SECRET, "site-feedback", stamped, NOW - 1, max_age=100) is None   # « in the future »
    assert signing.unstamp("another secret", "site-feedback", stamped, NOW, max_age=100) is None
    assert signing.unstamp(SECRET, "status", stamped, NOW, max_age=100) is None
    assert signing.unstamp(SECRET, "site-feedback", stamped.replace("ABCDEF", "ABCDEG"), NOW, max_age=100) is None
    for garbage in ("", None, "x.y.z", "é" * 10, stamped[:-1]):
        assert signing.unstamp(SECRET, "site-feedback", garbage, NOW, max_age=100) is None


def test_the_keyed_hash_is_the_one_the_store_already_keys_on():
    """Idempotence and rate-limit keys already stored were made by FormService._hash: same output, always."""
    parts = ("ip", "192.0.2.1")
    before = hmac.new(SECRET.encode(), "|".join(parts).encode(), hashlib.sha256).hexdigest()[:40]
    assert signing.keyed_hash(SECRET, *parts) == before


def _legacy_sign(secret: str, purpose: str, ref: str, expires: int, holder: str = "") -> str:
    """A link as links.sign made them before signing.py: a bare HMAC over purpose, reference, holder, expiry."""
    covered = f"{purpose}|{ref}|{holder}|{expires}" if holder else f"{purpose}|{ref}|{expires}"
    mac = base64.urlsafe_b64encode(hmac.new(secret.encode(), covered.encode(), hashlib.sha256).digest())
    mac_text = mac.decode().rstrip("=")
    return f"{expires}.{holder}.{mac_text}" if holder else f"{expires}.{mac_text}"


@pytest.mark.parametrize("purpose, holder", [("handled:ai", "ai-libournais"), ("handled:ai", ""),
                                             ("handled:cell", ""), ("followup:non", "")])
def test_links_mailed_before_the_change_keep_working_until_they_expire(purpose, holder):
    ref, expires = "AI-20261102-ABCDEF", NOW + 30 * 86400
    old = _legacy_sign(SECRET, purpose, ref, expires, holder)
    new = links.sign(SECRET, purpose, ref, expires, holder)
    assert old != new and new.rsplit(".", 1)[0] == old.rsplit(".", 1)[0]   # same clear parts, another MAC
    for sig in (old, new):
        assert links.check(SECRET, purpose, ref, sig, NOW) == ("ok", holder)
        assert links.check(SECRET, purpose, ref, sig, expires) == ("expired", holder)
        assert links.check(SECRET, purpose, "AI-20261102-ABCDEG", sig, NOW)[0] == "invalid"
        other = "followup:oui" if purpose != "followup:oui" else "handled:ai"
        assert links.check(SECRET, other, ref, sig, NOW)[0] == "invalid"
    longer = f"{expires + 86400}.{old.split('.', 1)[1]}"
    assert links.check(SECRET, purpose, ref, longer, NOW)[0] == "invalid"


def test_an_association_link_mailed_before_the_change_opens_its_page(client, local):
    assert client.post("/demande", demande_fields(suivi="oui")).status == 303
    path, query = re.search(r"https://api\.example\.org(/traite/\S+)", bodies(local.messages()[0])[0]).group(1) \
        .split("?", 1)
    expires, holder, _ = urllib.parse.parse_qs(query)["sig"][0].split(".")
    ref = path.rsplit("/", 1)[1]
    old = _legacy_sign(local.settings.secret, "handled:ai", ref, int(expires), holder)
    assert client.request("GET", f"{path}?sig={old}").status == 200
    assert client.request("GET", f"{path}?sig={old[:-2]}xx").status == 403


def test_no_module_signs_or_hashes_with_a_secret_of_its_own():
    """hmac.new lives in signing.py (the keyed hash) and in the audience's daily pseudonyms only; nobody calls
    another module's private hash."""
    sources = {p.relative_to(FUNCTIONS).as_posix(): p.read_text("utf-8") for p in FUNCTIONS.rglob("*.py")
               if "vendor" not in p.parts}
    assert {name for name, text in sources.items() if "hmac.new(" in text} <= {
        "chalicelib/web/signing.py", "chalicelib/audience/visits.py"}
    assert not [name for name, text in sources.items() if "._hash(" in text]
    assert not [name for name, text in sources.items() if name != "chalicelib/web/signing.py"
                and re.search(r"^(from|import) itsdangerous", text, re.M)]
