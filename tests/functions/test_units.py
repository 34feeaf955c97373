"""Small pieces on their own: value cleaning, header safety, settings, routing, the admin command."""

from __future__ import annotations


import pytest

from support_functions import ROUTING, Local, rappel_fields
from chalicelib.config import Settings
from chalicelib.mail.messages import header_text, message_to_ai
from chalicelib.routing import load_routing
from chalicelib.intake.validation import FieldError, clean_email, clean_number, clean_phone, clean_text


@pytest.mark.parametrize("value, expected", [
    ("05 36 49 12 34", "05 36 49 12 34"), ("0536491234", "05 36 49 12 34"), ("+33 5 36 49 12 34", "05 36 49 12 34"),
    ("0033612345678", "06 12 34 56 78"), ("06.12.34.56.78", "06 12 34 56 78"),
])
def test_phone_numbers_are_formatted_the_french_way(value, expected):
    assert clean_phone(value).display == expected


def test_email_domain_is_normalised():
    assert clean_email("Jeanne.Martin@EXAMPLE.org") == "Jeanne.Martin@example.org"


def test_zero_width_characters_are_removed_and_spaces_collapsed():
    assert clean_text("Jea\u200bnne\u00ad  \u00a0Martin\ufeff ", 100) == "Jeanne Martin"


def test_multiline_text_keeps_its_lines():
    assert clean_text("  un\r\ndeux\rtrois\t quatre ", 100, multiline=True) == "un\ndeux\ntrois quatre"


@pytest.mark.parametrize("value, expected", [("3", 3), ("3,5", 3.5), ("200", 200), ("1.25", 1.25)])
def test_hours(value, expected):
    assert clean_number(value, 1, 200) == expected


@pytest.mark.parametrize("value", ["", "-1", "1e3", "0,5", "4 heures"])
def test_bad_hours(value):
    with pytest.raises(FieldError):
        clean_number(value, 1, 200)


@pytest.mark.parametrize("value", ["a\r\nBcc: x@example.org", "a\nb", "a\x00b", "a\u2028b", "a\u202eb", "a\tb",
                                   "a\x85b", "a\x1bb"])
def test_header_text_never_lets_a_control_character_through(value):
    cleaned = header_text(value)
    assert all(c.isprintable() for c in cleaned) and "\n" not in cleaned and "\r" not in cleaned


def test_message_builder_is_safe_even_without_validation(tmp_path):
    """Defence in depth: if a hostile name ever got past validation, it still could not add a header."""
    record = {"ref": "AI-20261123-ABCDEF", "kind": "rappel", "association": "aai", "created_at": 0,
              "data": {"nom": "Evil\r\nBcc: victime@example.org", "email": "evil@example.org",
                       "telephone": "05 36 49 12 34"}}
    msg = message_to_ai(record, load_routing(ROUTING), "https://x/")
    headers = msg.as_bytes().decode().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers and msg["Bcc"] is None
    assert str(msg["Subject"]) == "Demande de rappel – Evil Bcc: victime@example.org"


def test_settings_from_environment():
    settings = Settings.from_env({"AAI_MAILER": "smtp", "AAI_SMTP_PORT": "2525", "AAI_SITE_ORIGINS":
                                  "https://a.example.org/, http://localhost:8000", "AAI_RATE_LIMIT": "4"})
    assert settings.smtp_port == 2525 and settings.rate_limit == 4
    assert settings.site_origins == ("https://a.example.org", "http://localhost:8000")
    assert settings.site_origin == "https://a.example.org"
    with pytest.raises(ValueError):
        Settings.from_env({"AAI_MAILER": "pigeon"})


def test_routing_table():
    routing = load_routing(ROUTING)
    assert routing.recipient("aai").email == "cellule@aai-aquitaine.example.org"
    assert routing.recipient("ai-entre-deux-mers").website is None
    assert [a.id for a in routing.serving("33394")] == ["ai-libournais", "ai-entre-deux-mers"]
    assert routing.serving("33063") == [] and routing.recipient("inconnue") is None


def test_admin_erase(tmp_path, monkeypatch, capsys):
    from chalicelib import admin
    local = Local(tmp_path)
    local.service.submit("rappel", {k: v if isinstance(v, list) else [v] for k, v in rappel_fields().items()},
                         "192.0.2.1")
    for name, value in {"AAI_SQLITE_PATH": local.settings.sqlite_path, "AAI_OUTBOX_DIR": local.settings.outbox_dir,
                        "AAI_ROUTING": ROUTING}.items():
        monkeypatch.setenv(name, value)
    assert admin.main(["erase", "06 12 34 56 78"]) == 0
    assert "1 demande(s) supprimée(s)." in capsys.readouterr().out
    assert local.rows() == []


def test_production_store_refuses_the_public_development_secret(monkeypatch):
    from chalicelib.config import Settings
    monkeypatch.setenv("AAI_STORE", "dynamodb")
    monkeypatch.setenv("AAI_FORMS_ENDPOINT", "https://formulaires.example.org")
    monkeypatch.delenv("AAI_SECRET", raising=False)
    with pytest.raises(ValueError, match="AAI_SECRET"):
        Settings.from_env()
    monkeypatch.setenv("AAI_SECRET", "x" * 40)
    assert Settings.from_env().store == "dynamodb"


def test_production_needs_the_public_address_of_the_functions(monkeypatch):
    """Links in e-mails are built from configuration: in production there is no guessing from a Host header."""
    from chalicelib.config import Settings
    monkeypatch.setenv("AAI_STORE", "dynamodb")
    monkeypatch.setenv("AAI_SECRET", "x" * 40)
    monkeypatch.delenv("AAI_FORMS_ENDPOINT", raising=False)
    with pytest.raises(ValueError, match="AAI_FORMS_ENDPOINT"):
        Settings.from_env()
    monkeypatch.setenv("AAI_FORMS_ENDPOINT", "https://formulaires.example.org/")
    assert Settings.from_env().forms_endpoint == "https://formulaires.example.org"
