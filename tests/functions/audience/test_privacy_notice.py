"""The privacy notice says what the audience measures, how, for how long, and that there is no cookie; and what
the back office does with personal data (who sees what, the phone cell's liaison sheet, the sign-in link, the
session) — with the same numbers as the code and the infrastructure."""

from pathlib import Path

import yaml

from chalicelib.audience.visits import SESSION_GAP
import re

from chalicelib.backoffice import auth, timeout
from chalicelib.backoffice.auth import LINK_SECONDS, SESSION_LIMIT_SECONDS, SESSION_SECONDS

ROOT = Path(__file__).resolve().parents[3]
NOTICE = (ROOT / "content" / "pages" / "donnees-personnelles.md").read_text(encoding="utf-8")


def expiration_days() -> int:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    template = yaml.load((ROOT / "infra" / "site.yaml").read_text(encoding="utf-8"), Loader=Loader)
    [rule] = template["Resources"]["AccessLogBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    return rule["ExpirationInDays"]


def test_the_notice_says_there_is_no_cookie_and_no_tracker():
    assert "ne dépose **aucun cookie**" in NOTICE and "**aucun traceur**" in NOTICE
    assert "Rien n’est déposé ni lu sur votre appareil" in NOTICE


def test_the_notice_says_what_is_measured_and_how():
    section = NOTICE.split("## Mesure de la fréquentation, sans cookie", 1)[1].split("\n## ", 1)[0]
    for measured in ("nombre de visites", "pages vues", "durée moyenne d’une visite", "provenance des visiteurs",
                     "type d’appareil", "formulaires envoyés", "robots", "adresse IP",
                     "clé secrète propre à chaque jour"):
        assert measured in section
    assert f"après {SESSION_GAP // 60} minutes sans nouvelle page" in section


def test_the_notice_gives_the_retention_the_bucket_applies():
    assert f"**{expiration_days()} jours**" in NOTICE
    assert "Mesurer la fréquentation du site" in NOTICE   # the purpose and its legal basis


def test_the_notice_covers_the_back_office_with_the_codes_durations():
    assert "\n## L’espace de gestion des associations et de la cellule\n" in NOTICE
    section = NOTICE.split("\n## L’espace de gestion", 1)[1].split("\n## ", 1)[0]
    assert f"valable {LINK_SECONDS // 60} minutes et utilisable une seule fois" in section
    assert "cookie de session" in section
    assert "fiche de liaison" in section and "date de rappel convenue" in section
    for who_sees in ("une association voit les demandes qui lui sont adressées", "La cellule régionale voit"):
        assert who_sees in section
    assert "chaque consultation de vos données" in section      # the reads, written down
    kept = NOTICE.split("## Combien de temps les conservons-nous", 1)[1].split("\n## ", 1)[0]
    assert "Le journal des connexions à l’espace de gestion" in kept and "**12 mois**" in kept
    assert f"(**{LINK_SECONDS // 60} minutes**)" in kept and f"(**{SESSION_LIMIT_SECONDS // 3600} heures**)" in kept
    assert f"**{timeout.DRAFT_SECONDS // 3600} heure**" in kept


def _hours(seconds: int) -> str:
    hours = seconds // 3600
    return f"**{hours} heure{'s' if hours > 1 else ''}**"


def test_the_notice_names_every_cookie_of_the_back_office_with_its_duration():
    """The cookies and their lives are read from the code (auth.COOKIES, which auth._cookie enforces): a cookie
    added or lengthened there and not in the notice fails here."""
    section = NOTICE.split("\n## L’espace de gestion", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    assert len(auth.COOKIES) == 2 and {auth.COOKIE, auth.PRE_COOKIE} == set(auth.COOKIES)
    for name, seconds in auth.COOKIES.items():
        [line] = [line for line in lines if f"`{name}`" in line]
        assert _hours(seconds) in line, name
    [session] = [line for line in lines if f"`{auth.COOKIE}`" in line]
    assert _hours(SESSION_SECONDS) in session and _hours(SESSION_LIMIT_SECONDS) in session   # renewed, capped
    assert f"dépose {len(auth.COOKIES)} cookies" in section.replace("deux", "2")
    assert "`__Host-`" in section
    assert f"gardé {_hours(timeout.DRAFT_SECONDS)} au plus" in section.replace("\u00a0", " ")


def test_no_cookie_is_set_but_through_the_table():
    """Every Set-Cookie of the functions is built by auth._cookie: nowhere else writes Max-Age or a cookie name."""
    root = ROOT / "functions"
    for path in [root / "app.py", *sorted((root / "chalicelib").rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        if path.name == "auth.py":
            continue
        assert "Max-Age=" not in text and not re.search(r"aai-espace", text), path
