"""The pop-up of an AI on the map: its full contact details and the three things a visitor can do.

The pop-ups are in the page, not in the map's script (``carte.js``): each as a ``<template>`` the map
reads when it starts (theme/js/territory.js, ``aaiTerritory.card``). A map then depends on geometry
and zones only, and an AI's new phone number, e-mail or hours render its pages again but redraw no map.
"""

from __future__ import annotations

from markupsafe import Markup

from rules.typography import french_spacing


def popup_html(ai, siteurl: str) -> str:
    """One line of HTML (it goes into a JavaScript string), built from the data model only. Its three links are
    written once per page (``ACTIONS_ID``) and put in the pop-up with its AI's page by territory.js."""
    page = f"{siteurl}/{ai.url}"
    return str(Markup(
        '<div class="ai-popup">'
        '<p class="ai-popup-name">{name}</p>'
        '<p class="ai-popup-address">{address}<br>{postal_code} {commune}</p>'
        '<ul class="ai-popup-contact">'
        '<li>Téléphone : <a href="tel:{e164}">{phone}</a></li>'
        '<li>E-mail : <a href="mailto:{email}">{email}</a></li>'
        '<li>Contact : {contact}</li>'
        '<li>Horaires : {hours}</li>'
        '</ul>'
        '<p class="ai-popup-actions" data-page="{page}"></p>'
        '</div>'
    ).format(page=page, name=ai.name, address=ai.address, postal_code=ai.postal_code,
             commune=ai.commune.name, e164=ai.phone.e164, phone=ai.phone, email=ai.email,
             contact=ai.contact, hours=french_spacing(ai.hours)))


CARD_ID = "aai-card-"  # the <template> of an AI's pop-up: CARD_ID + its id (theme/js/territory.js)
NO_AI_ID = "aai-card-none"  # … and of a commune's pop-up when no AI serves it
ACTIONS_ID = "aai-card-actions"  # … and the links every AI's pop-up ends with, each after its AI's page address
ACTIONS_HTML = ('<a class="button" data-to="demande/">Demander une intervention</a>'
                '<a class="button secondary" data-to="rappel/">Être rappelé</a>'
                "<a data-to=\"\">Voir la fiche de l'association</a>")


def popup_templates(ais, settings, siteurl: str) -> Markup:
    """The pop-ups a map may open, as inert ``<template>`` elements for its page: ``ais``'s and « no AI »'s."""
    cards = [Markup('<template id="{}">{}</template>').format(CARD_ID + ai.id, Markup(popup_html(ai, siteurl)))
             for ai in ais]
    cards.append(Markup('<template id="{}">{}</template>').format(ACTIONS_ID, Markup(ACTIONS_HTML)))
    cards.append(Markup('<template id="{}">{}</template>').format(NO_AI_ID, Markup(no_ai_html(settings, siteurl))))
    return Markup("\n").join(cards)


def no_ai_html(settings, siteurl: str) -> str:
    """What a commune's pop-up says when no AI serves it: the regional line and AAI's callback.

    The browser fills ``data-slot="at"`` (« à Ajat », « au Bouscat ») and adds the commune to the
    callback link, as the commune pages do (``_no_ai.html``).
    """
    return str(Markup(
        '<div class="commune-popup-none">'
        "<p><strong>Aucune association intermédiaire n'intervient pour l'instant "
        '<span data-slot="at"></span>.</strong></p>'
        '<p>Appelez la ligne régionale au <a class="phone" href="tel:{e164}">{phone}</a> ({hours})&nbsp;: '
        'nous trouverons une solution avec vous.</p>'
        '<p><a class="button" data-slot="callback" href="{siteurl}/rappel/">Demander à être rappelé</a></p>'
        '</div>'
    ).format(e164=settings.regional_phone.e164, phone=settings.regional_phone,
             hours=french_spacing(settings.regional_phone_hours.lower()), siteurl=siteurl))
