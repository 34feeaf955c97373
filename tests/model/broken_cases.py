"""Broken copies of tests/model/test_data/associations.yaml, shared by the model and schema tests.

Each case: (replace this text, by that text, expected line, expected words in the model's message).
"""

from __future__ import annotations

from pathlib import Path

VALID = (Path(__file__).parent / "test_data" / "associations.yaml").read_text("utf-8")
SECOND = VALID.split("\n", 1)[1].replace("ai-test", "ai-autre").replace("10 01", "10 02")

CASES = {
    "yaml-syntax": ("    contact: Mme Jeanne Test, directrice",
                    "    contact: Mme Jeanne Test: directrice", 9, "erreur de syntaxe YAML"),
    "yaml-tab": ("    address: 1 place", "\taddress: 1 place", 4, "tabulation interdite"),
    "missing-field": ("    phone: 05 36 49 10 01\n", "", 2,
                      "l'association « ai-test » n'a pas de champ « phone »"),
    "wrong-type-number": ("latitude: 44.8936", "latitude: nord", 11,
                          "le champ « latitude » doit être un nombre"),
    "wrong-type-unquoted-code": ('postal_code: "33330"', "postal_code: 33330", 5,
                                 "Mettez la valeur entre guillemets"),
    "wrong-type-date": ("charter_signed: 2025-03-14", "charter_signed: 14/03/2025", 14,
                        "doit être une date au format AAAA-MM-JJ"),
    "unknown-insee": ('commune: "33394"', 'commune: "33999"', 6,
                      "l'association « ai-test » indique la commune 33999, qui n'existe pas dans "
                      "le référentiel des communes."),
    "postal-code-as-insee": ('commune: "33394"', 'commune: "40000"', 6,
                             "C'est un code postal, pas un code INSEE ; communes de ce code postal : "
                             "Mont-de-Marsan (40192). Indiquez le code INSEE de la commune du bureau."),
    # 33330 is Pompignac's INSEE code and Saint-Émilion's postcode: blamed on `commune:`, not `postal_code:`.
    "postal-code-read-as-insee": ('commune: "33394"', 'commune: "33330"', 6,
                                  "indique la commune 33330, c'est-à-dire Pompignac (code postal 33370), ce "
                                  "qui ne correspond pas au code postal 33330. Or 33330 est aussi un code postal ; "
                                  "communes de ce code postal : Saint-Christophe-des-Bardes (33384), "
                                  "Saint-Émilion (33394)"),
    "postal-code-in-zone": ('communes: ["33529"]', 'communes: ["33529", "33000"]', 17,
                            "indique la commune 33000, qui n'existe pas dans le référentiel des communes : "
                            "33000 est un code postal, pas un code INSEE ; communes de ce code postal : "
                            "Bordeaux (33063). Indiquez le code INSEE de chaque commune voulue."),
    "postal-code-in-except": ('except: ["33014"]', 'except: ["33014", "47000"]', 18,
                              "exclut la commune 47000, qui n'existe pas dans le référentiel des communes : "
                              "47000 est un code postal, pas un code INSEE ; communes de ce code postal : "
                              "Agen (47001)."),
    "postal-code-mismatch": ('postal_code: "33330"', 'postal_code: "33000"', 5,
                             "le code postal 33000 ne correspond pas à Saint-Émilion"),
    "unknown-epci": ('epci: ["200035533"]', 'epci: ["200099999"]', 16,
                     "cite l'intercommunalité 200099999, qui n'existe pas"),
    "unknown-zone-commune": ('communes: ["33529"]', 'communes: ["33529", "99999"]', 17,
                             "indique la commune 99999, qui n'existe pas"),
    "invalid-phone": ("phone: 05 36 49 10 01", "phone: 05 36 49 10", 7,
                      "le numéro « 05 36 49 10 » n'est pas valide ; écrivez un numéro français"),
    "invalid-email": ("email: contact@ai-test.example.org", "email: contact-at-example.org", 8,
                      "l'adresse e-mail « contact-at-example.org » n'est pas valide"),
    "coordinates-outside": ("latitude: 44.8936\n    longitude: -0.1556",
                            "latitude: 48.8566\n    longitude: 2.3522", 11,
                            "n'est pas dans le département de Saint-Émilion"),
    "coordinates-swapped": ("latitude: 44.8936\n    longitude: -0.1556",
                            "latitude: -0.1556\n    longitude: 44.8936", 11, "ne sont pas inversées"),
    "unknown-service": ("services: [menage, jardinage]", "services: [menage, plomberie]", 13,
                        "propose le service « plomberie », qui n'existe pas dans data/services.yaml"),
    "unknown-field": ("    address:", "    adress:", 4, "Vouliez-vous dire « address » ?"),
    "bad-id": ("id: ai-test", "id: AI Test", 2, "l'identifiant doit être en minuscules"),
    "duplicate-key": ("    hours:", "    name: Doublon\n    hours:", 10, "est écrit deux fois"),
    "bad-website": ("    hours:", "    website: www.sans-protocole\n    hours:", 10,
                    "doit être une adresse complète commençant par https://"),
    "no-services": ("services: [menage, jardinage]", "services: []", 13,
                    "doit proposer au moins un service"),
    # The hourly price (issue 26) and the date the details were confirmed (issue 27), added after line 14.
    "price-negative": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: -5", 15,
                       "le prix de l'heure « -5 » doit être compris entre 0,01 et 100 euros ; indiquez le prix"),
    "price-text": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: 22,50 €", 15,
                   "le champ « hourly_price » doit être un nombre, pas « 22,50 € ». Écrivez le nombre seul, "
                   "sans unité ni guillemets, avec un point pour les décimales : par exemple 22.5."),
    "price-over-100": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: 150", 15,
                       "le prix de l'heure « 150 » doit être compris entre 0,01 et 100 euros"),
    "price-zero": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: 0", 15,
                   "doit être compris entre 0,01 et 100 euros"),
    "advance-not-boolean": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    immediate_advance: oui",
                            15, "le champ « immediate_advance » doit être true (oui) ou false (non)"),
    "verified-not-a-date": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    verified: 1er octobre",
                            15, "le champ « verified » doit être une date au format AAAA-MM-JJ"),
    "verified-impossible": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    verified: 2026-02-30",
                            15, "Cette date n'existe pas dans le calendrier"),
}



# Odd shapes an editor can type: each must give a French message with its line, never a traceback.
ODD = {
    "service-as-list": ("services: [menage, jardinage]", "services: [1, [a]]", 13,
                        "chaque service est un identifiant"),
    "service-as-block": ("services: [menage, jardinage]", "services: [{a: b}]", 13,
                         "chaque service est un identifiant"),
    "zone-code-null": ('communes: ["33529"]', "communes: [~]", 17, "chaque élément de « communes »"),
    "zone-code-list": ('communes: ["33529"]', 'communes: [["33529"]]', 17, "chaque élément de « communes »"),
    "key-as-list": ("    hours:", "    ? [a]\n    : b\n    hours:", 10, "nom de champ invalide"),
    "octal-phone": ("phone: 05 36 49 10 01", "phone: 0536471011", 7, "YAML lit certains nombres de travers"),
    "website-http": ("    hours:", "    website: http://ai-test.example.org\n    hours:", 10,
                     "commençant par https://"),
    "charter-future": ("charter_signed: 2025-03-14", "charter_signed: 2099-03-12", 14, "est dans le futur"),
    "price-sub-cent": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: 22.555", 15,
                       "a plus de deux décimales"),
    "price-not-a-number": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    hourly_price: .nan", 15,
                           "doit être compris entre 0,01 et 100 euros"),
    "verified-future": ("charter_signed: 2025-03-14", "charter_signed: 2025-03-14\n    verified: 2099-03-12", 15,
                        "la date de vérification 2099-03-12 est dans le futur"),
    "foreign-phone": ("phone: 05 36 49 10 01", "phone: +44 20 7946 0958", 7, "n'est pas valide"),
    "blank-name": ("name: Association intermédiaire de test", 'name: "   "', 2,
                   "n'a pas de champ « name »"),
}


