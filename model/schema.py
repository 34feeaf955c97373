"""JSON Schemas of the data files, generated from the model's own field tables.

Editors' tools (VS Code with the YAML extension, github.dev) read them through the
``# yaml-language-server: $schema=…`` line at the top of each file: fields are completed, and a
misspelled field or an unquoted code is underlined while typing. The model stays the judge: a
schema never refuses what the model accepts (tests/model/test_schema.py shows it on the broken
fixtures), it only catches earlier what can be seen in one file (no commune reference here).

    python -m model schemas           # rewrite data/schemas/*.schema.json
"""

from __future__ import annotations

import datetime
import json
import logging
from pathlib import Path
from typing import Any, Mapping

from . import associations, partners, services, settings
from .charter import definition as brand
from .source import Kind

logger = logging.getLogger(__name__)

SCHEMA_DIR = Path("data") / "schemas"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
NOT_BLANK = r"\S"  # the model reads a blank text as a missing one
# A JSON Schema, or a part of one: JSON, whose values are of every JSON type.
Schema = dict[str, Any]

# French title and description of every field, by file and dotted path (blocks of a list share one).
# tests/model/test_schema.py fails when a field of the model has none.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "associations": {
        "": ("Associations intermédiaires", "Les associations intermédiaires (AI) du réseau AAI."),
        "associations": ("Associations", "Une entrée par association, commençant par « - id: »."),
        "associations[]": ("Association", "Une association intermédiaire et les communes qu'elle dessert."),
        "id": ("Identifiant", "Minuscules, chiffres et tirets, par exemple « ai-val-de-l-eyre ». C'est "
                              "l'adresse de sa page (/association/<id>/) : ne le changez jamais une fois publié."),
        "name": ("Nom", "Le nom complet de l'association."),
        "address": ("Adresse", "Numéro et rue du bureau."),
        "postal_code": ("Code postal", "Code postal du bureau, 5 chiffres entre guillemets : \"33330\"."),
        "commune": ("Commune du bureau (code INSEE)", "Code INSEE de la commune du bureau, entre guillemets "
                                                      "(\"33394\" pour Saint-Émilion) : pas le code postal !"),
        "phone": ("Téléphone", "Au format 05 36 49 12 34."),
        "email": ("Adresse e-mail", "L'adresse qui reçoit les demandes envoyées par le site."),
        "contact": ("Personne à contacter", "Par exemple « Mme Sophie Laborde, directrice »."),
        "website": ("Site web (facultatif)", "Adresse complète commençant par https://."),
        "hours": ("Horaires", "En une phrase, comme ils doivent s'afficher."),
        "latitude": ("Latitude du bureau", "En degrés décimaux avec un point, vers 43 à 46 en Aquitaine."),
        "longitude": ("Longitude du bureau", "En degrés décimaux avec un point, vers -2 à 1,5 : négative à "
                                             "l'ouest du méridien de Greenwich."),
        "services": ("Services proposés", "Identifiants du catalogue data/services.yaml, par exemple "
                                          "[menage, jardinage]."),
        "charter_signed": ("Signature de la charte qualité (facultatif)", "Date de signature, AAAA-MM-JJ ; "
                                                                          "vide si la charte n'est pas signée."),
        "hourly_price": ("Prix de l'heure (facultatif)", "En euros, avant le crédit d'impôt, avec un point pour les "
                                                         "centimes : 22.5 ; la page affiche aussi le prix après le "
                                                         "crédit d'impôt de 50 %. Vide si l'association ne le "
                                                         "publie pas."),
        "immediate_advance": ("Avance immédiate (facultatif)", "true si l'association propose l'avance immédiate du "
                                                               "crédit d'impôt (le client ne paie que la moitié)."),
        "verified": ("Informations vérifiées le (facultatif)", "Date, AAAA-MM-JJ, où les informations ont été "
                                                               "confirmées avec l'association ; make check signale "
                                                               "celles de plus de six mois."),
        "zone": ("Zone desservie", "Les intercommunalités (epci), plus des communes (communes), moins des "
                                   "exceptions (except)."),
        "zone.epci": ("Intercommunalités desservies", "Numéros SIREN à 9 chiffres, entre guillemets : toutes "
                                                      "leurs communes sont desservies."),
        "zone.communes": ("Communes ajoutées", "Codes INSEE entre guillemets (pas les codes postaux)."),
        "zone.except": ("Communes retirées", "Codes INSEE des communes à retirer de ce qui précède."),
    },
    "services": {
        "": ("Catalogue des services", "Les services que les associations peuvent proposer."),
        "services": ("Services", "Une entrée par service, commençant par « - id: »."),
        "services[]": ("Service", "Un service du catalogue."),
        "id": ("Identifiant", "Minuscules et tirets, par exemple « petit-bricolage » ; les associations le "
                              "citent dans leur champ « services »."),
        "name": ("Nom", "Le nom du service, tel qu'il s'affiche."),
        "description": ("Description", "Une phrase qui dit ce que comprend le service."),
        "icon": ("Pictogramme", "Le nom d'un dessin de Tabler Icons (variante « outline ») présent dans le site, "
                                "par exemple « plant-2 » ; pour en ajouter un : python scripts/update_icons.py <nom>."),
        "season": ("Saison (facultatif)", "Quand le service est le plus demandé, par exemple « printemps »."),
    },
    "partners": {
        "": ("Partenaires", "Les partenaires présentés sur la page « Nos partenaires »."),
        "partners": ("Partenaires", "Dans l'ordre d'affichage, un bloc commençant par « - name: »."),
        "partners[]": ("Partenaire", "Un partenaire du réseau."),
        "name": ("Nom", "Le nom officiel du partenaire."),
        "role": ("Rôle", "Une phrase qui dit ce que ce partenaire fait pour les associations intermédiaires."),
        "url": ("Site web", "Adresse complète commençant par https://."),
        "logo": ("Logo (facultatif)", "Chemin du logo sous content/images/."),
    },
    "settings": {
        "": ("Réglages du site", "Réglages généraux : modifiez les valeurs, pas les noms des champs."),
        "site": ("Le site", "Nom, nom court, accroche et adresse publique du site."),
        "site.name": ("Nom du site", "Affiché en tête de chaque page et dans le logo."),
        "site.short_name": ("Nom court", "Pour les petits écrans et les raccourcis."),
        "site.tagline": ("Accroche", "Une phrase sous le nom du site."),
        "site.url": ("Adresse publique", "Adresse du site en production, commençant par https://, sans barre "
                                         "finale."),
        "regional_phone": ("Numéro régional", "La cellule téléphonique d'AAI, au format 05 36 49 00 00."),
        "regional_phone_hours": ("Horaires du numéro régional", "En une phrase, comme ils doivent s'afficher."),
        "network": ("Le réseau AAI", "Coordonnées de l'éditeur du site."),
        "network.name": ("Nom du réseau", "Aquitaine Associations Intermédiaires."),
        "network.address": ("Adresse", "Numéro et rue."),
        "network.postal_code": ("Code postal", "5 chiffres, entre guillemets."),
        "network.commune": ("Commune", "Le nom de la commune."),
        "network.phone": ("Téléphone", "Au format 05 36 49 00 00."),
        "network.email": ("Adresse e-mail", "L'adresse de contact d'AAI."),
        "network.contact": ("Personne à contacter", "Nom et fonction."),
        "network.forms_email": ("Adresse des formulaires", "Reçoit les demandes des communes qu'aucune "
                                                           "association ne dessert."),
        "retention_days": ("Durée de conservation", "Nombre de jours de conservation des demandes, de 1 à "
                                                    "1095 (365 = un an)."),
        "tiles": ("Fond de carte", "Serveur de tuiles et mention de la source."),
        "mail_sender": ("Expéditeur des e-mails", "L'adresse d'où partent les e-mails des formulaires : une "
                                                  "adresse du domaine vérifié dans Amazon SES."),
        "tiles.url": ("Adresse des tuiles", "Modèle d'adresse avec {z}/{x}/{y}."),
        "follow_through": ("Suivi des demandes", "Les délais de la charte, en jours ouvrés (samedis, dimanches et "
                                                 "jours fériés ne comptent pas)."),
        "follow_through.reminder_after": ("Relance de l'association", "Jours ouvrés sans « traitée » avant une "
                                                                      "relance à l'association (1)."),
        "follow_through.charter_delay": ("Délai de la charte", "Jours ouvrés : au-delà, la demande passe à la "
                                                               "cellule régionale (2 = 48 heures)."),
        "follow_through.household_question_after": ("Question à la personne", "Jours ouvrés avant de demander "
                                                    "« Avez-vous été recontacté ? », si elle l'a accepté (3)."),
        "follow_through.close_after_days": ("Clôture", "Jours du calendrier avant la clôture d'une demande ; "
                                                       "ses liens cessent alors de fonctionner (30)."),
        "follow_through.cell_callback_after": ("Rappel par la cellule", "Jours ouvrés pour que la cellule rappelle "
                                               "elle-même une personne dont la commune n'a pas d'association (2)."),
        "follow_through.message_cap": ("Plafond de messages", "Messages au plus qu'une demande peut envoyer à "
                                       "l'association et à la personne ; au-delà, elle passe à la cellule (20)."),
        "tiles.attribution": ("Mention de la source", "Affichée en bas de la carte."),
        "operators": ("Membres de la cellule (facultatif)", "Les personnes de la cellule téléphonique d'AAI qui se "
                                                            "connectent à l'espace de gestion (/espace/) par un lien "
                                                            "envoyé à leur adresse."),
        "operators[]": ("Membre de la cellule", "Un nom et une adresse e-mail."),
        "operators.name": ("Nom", "Prénom et nom, tels qu'ils apparaissent dans le journal des demandes."),
        "operators.email": ("Adresse e-mail", "L'adresse personnelle de travail où arrive le lien de connexion ; "
                                              "chaque adresse une seule fois."),
        "results_min_answers": ("Seuil de publication des résultats de la charte (facultatif)",
                                "Chaque résultat de la charte (part des demandes rappelées sous 48 heures…) n'est "
                                "affiché sur le site qu'à partir de ce nombre de demandes ou d'avis sur 12 mois, "
                                "pour qu'il ait un sens et ne désigne personne (10 par défaut)."),
    },
    "brand": {
        "": ("Charte graphique", "Couleurs, polices et règles du logo, lues par le site et le kit."),
        "colours": ("Couleurs", "Chaque couleur devient la variable CSS --brand-<id>."),
        "colours[]": ("Couleur", "Un identifiant, un nom, une valeur et son usage."),
        "colours.id": ("Identifiant", "Minuscules, chiffres et tirets, par exemple « primary-dark »."),
        "colours.name": ("Nom", "Le nom de la couleur, par exemple « Bleu Garonne »."),
        "colours.hex": ("Valeur", "Au format \"#0b5563\", entre guillemets."),
        "colours.usage": ("Usage", "Où la couleur s'emploie."),
        "pairs": ("Associations de couleurs", "[texte, fond] : leur contraste est affiché sur la page "
                                              "« Charte graphique »."),
        "typefaces": ("Polices", "Une police par rôle (body, heading, figures)."),
        "typefaces[]": ("Police", "Une famille de caractères et ses fichiers."),
        "typefaces.role": ("Rôle", "body (texte courant), heading (titres) ou figures (les chiffres, dessinés "
                                   "par une autre police)."),
        "typefaces.unicode_range": ("Caractères couverts (facultatif)", "Une plage Unicode CSS, par exemple "
                                                                        "U+0030-0039 pour les chiffres."),
        "typefaces.family": ("Famille", "Le nom de la famille de caractères."),
        "typefaces.usage": ("Usage", "Où la police s'emploie."),
        "typefaces.fallback": ("Polices de secours", "La pile CSS si la police manque."),
        "typefaces.why": ("Pourquoi ce choix", "Une phrase."),
        "typefaces.licence": ("Licence", "Par exemple « SIL Open Font License 1.1 »."),
        "typefaces.licence_file": ("Fichier de licence", "Dans theme/static/fonts/."),
        "typefaces.source": ("Source", "D'où viennent les fichiers."),
        "typefaces.files": ("Fichiers", "Graisse (400, 700…) : nom du fichier dans theme/static/fonts/."),
        "logo": ("Logo", "Texte du logo et règles d'usage."),
        "logo.mark_text": ("Texte du logo", "Les lettres du logo."),
        "logo.min_width_mm": ("Largeur minimale imprimée", "En millimètres."),
        "logo.min_width_px": ("Largeur minimale à l'écran", "En pixels."),
        "logo.clear_space": ("Zone de protection", "L'espace à laisser libre autour du logo."),
        "logo.rules": ("Règles", "Une règle d'usage par ligne."),
    },
}


def _kind(kind: Kind, required: bool) -> dict[str, Any]:
    """The JSON type of one of check_fields' kinds; an optional field may be left empty."""
    if kind is str:
        schema: dict[str, Any] = {"type": "string", "pattern": NOT_BLANK} if required else {"type": "string"}
    elif kind is int:
        schema = {"type": "integer"}
    elif kind is float:
        schema = {"type": "number"}
    elif kind is bool:
        schema = {"type": "boolean"}
    elif kind is list:
        schema = {"type": "array"}
    elif kind is dict:
        schema = {"type": "object"}
    elif kind is datetime.date:
        schema = {"type": "string", "format": "date"}
    else:  # pragma: no cover - a new kind in the model must be mapped here
        raise TypeError(f"no JSON type for {kind!r}")
    if not required:
        schema["type"] = [schema["type"], "null"]
    return schema


class _Builder:
    """Builds one file's schema; ``texts`` says every field in French."""

    def __init__(self, name: str):
        self.name = name
        self.texts = TEXTS[name]
        self.used: set[str] = set()

    def text(self, path: str) -> dict[str, str]:
        self.used.add(path)
        title, description = self.texts[path]
        return {"title": title, "description": description}

    def block(self, prefix: str, required: Mapping[str, Kind], optional: Mapping[str, Kind],
              extra: dict[str, Schema] | None = None) -> Schema:
        """An object as check_fields reads it: these fields, the required ones, nothing else."""
        extra = extra or {}
        properties: dict[str, Schema] = {}
        for key, kind in {**required, **optional}.items():
            path = f"{prefix}.{key}" if prefix else key
            properties[key] = {**self.text(path), **_kind(kind, key in required), **extra.get(key, {})}
        return {"type": "object", "properties": properties, "required": list(required),
                "additionalProperties": False}

    def items(self, path: str, block: Schema) -> Schema:
        return {**self.text(path + "[]"), **block}

    def document(self, body: Schema) -> Schema:
        return {"$schema": DRAFT, **self.text(""), **body}


def _codes(pattern: str) -> Schema:
    return {"items": {"type": "string", "pattern": pattern}}


def associations_schema() -> Schema:
    b = _Builder("associations")
    zone = b.block("zone", {}, associations.ZONE_FIELDS, {
        "epci": _codes(associations.SIREN_PATTERN.pattern),
        "communes": _codes(associations.CODE_PATTERN.pattern),
        "except": _codes(associations.CODE_PATTERN.pattern),
    })
    one = b.block("", associations.REQUIRED, associations.OPTIONAL, {
        "id": {"pattern": associations.ID_PATTERN.pattern},
        "postal_code": {"pattern": associations.POSTAL_PATTERN.pattern},
        "commune": {"pattern": associations.CODE_PATTERN.pattern},
        "website": {"pattern": associations.WEBSITE_PATTERN.pattern},
        # No multipleOf 0.01: binary floats would make 22.3 fail it, and the schema never refuses what the model takes.
        "hourly_price": {"minimum": float(associations.PRICE_RANGE[0]), "maximum": float(associations.PRICE_RANGE[1])},
        "email": {"format": "email"},
        "services": {"minItems": 1, **_codes(services.ID_PATTERN.pattern)},
        "zone": {k: v for k, v in zone.items() if k != "type"},
    })
    return b.document({"type": "object", "required": ["associations"], "additionalProperties": False,
                       "properties": {"associations": {**b.text("associations"), "type": "array",
                                                       "minItems": 1, "items": b.items("associations", one)}}})


def services_schema() -> Schema:
    b = _Builder("services")
    one = b.block("", services.REQUIRED, services.OPTIONAL, {"id": {"pattern": services.ID_PATTERN.pattern}})
    return b.document({"type": "object", "required": ["services"], "additionalProperties": False,
                       "properties": {"services": {**b.text("services"), "type": "array", "minItems": 1,
                                                   "items": b.items("services", one)}}})


def partners_schema() -> Schema:
    b = _Builder("partners")
    one = b.block("", partners.REQUIRED, partners.OPTIONAL, {"url": {"pattern": partners.URL_PATTERN.pattern}})
    return b.document({"type": "object", "required": ["partners"], "additionalProperties": False,
                       "properties": {"partners": {**b.text("partners"), "type": "array",
                                                   "items": b.items("partners", one)}}})


def settings_schema() -> Schema:
    b = _Builder("settings")
    low, high = settings.RETENTION_DAYS
    nested = {
        "site": b.block("site", settings.SITE, {}, {"url": {"pattern": "^https://"}}),
        "network": b.block("network", settings.NETWORK, {}, {"email": {"format": "email"},
                                                             "forms_email": {"format": "email"}}),
        "tiles": b.block("tiles", {}, settings.TILES),
        "follow_through": b.block("follow_through", settings.FOLLOW_THROUGH, {}, {
            "reminder_after": {"minimum": 1}, "charter_delay": {"minimum": 1, "maximum": 10},
            "household_question_after": {"minimum": 1, "maximum": 20},
            "close_after_days": {"minimum": 7, "maximum": 365},
            "cell_callback_after": {"minimum": 1, "maximum": 10},
            "message_cap": {"minimum": 10, "maximum": 100}}),
    }
    operator = b.block("operators", settings.OPERATOR, {}, {"email": {"format": "email"}})
    top = b.block("", settings.TOP, settings.OPTIONAL, {
        "operators": {"items": b.items("operators", operator)},
        **{key: _without_type(block) for key, block in nested.items()},
        "retention_days": {"minimum": low, "maximum": high},
        "mail_sender": {"format": "email"},
        "results_min_answers": {"minimum": settings.RESULTS_MIN_ANSWERS_RANGE[0],
                                "maximum": settings.RESULTS_MIN_ANSWERS_RANGE[1]},
    })
    return b.document(top)


def brand_schema() -> Schema:
    b = _Builder("brand")
    colour = b.block("colours", brand.COLOUR, {}, {
        "id": {"pattern": brand.ID_RE.pattern}, "hex": {"pattern": brand.HEX_RE.pattern}})
    typeface = b.block("typefaces", brand.TYPEFACE, brand.TYPEFACE_OPTIONAL, {
        "files": {"propertyNames": {"pattern": "^[0-9]+$"}, "additionalProperties": {"type": "string"}}})
    logo = b.block("logo", brand.LOGO, {}, {"rules": {"items": {"type": "string"}}})
    top = b.block("", brand.TOP, {}, {
        "colours": {"items": b.items("colours", colour)},
        "pairs": {"items": {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "string"}}},
        "typefaces": {"items": b.items("typefaces", typeface)},
        "logo": _without_type(logo),
    })
    return b.document(top)


def _without_type(block: Schema) -> Schema:
    """A nested block's constraints, merged over its field's own ``type: object``."""
    return {k: v for k, v in block.items() if k != "type"}


SCHEMAS = {
    "associations": associations_schema, "services": services_schema, "partners": partners_schema,
    "settings": settings_schema, "brand": brand_schema,
}


def schema_file(root: Path, name: str) -> Path:
    return root / SCHEMA_DIR / f"{name}.schema.json"


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


def modeline(name: str) -> str:
    """The first line of ``data/<name>.yaml``: where editors find its schema."""
    return f"# yaml-language-server: $schema=schemas/{name}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    """Write every schema whose text changed; return those written."""
    written = []
    for name in SCHEMAS:
        path = schema_file(root, name)
        text = render(name)
        if not path.exists() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(path)
            logger.info("schema written: %s", path)
    return written
