"""The e-mails come from Jinja templates: a text and an HTML twin per message on one shared HTML layout, one
environment for pages and e-mails that escapes .html and leaves .txt as typed — and no HTML built in Python."""

from __future__ import annotations

import re

from support_functions import FUNCTIONS

from chalicelib.web.templating import TEMPLATES, environment, render

MAIL = TEMPLATES / "mail"
MESSAGES = ("message_to_ai", "acknowledgement", "reminder", "liaison_sheet", "escalation_copy", "address_alert",
            "cell_address_alert", "rerouted_household", "followup_question", "signin_link", "report")


def test_each_message_has_a_text_and_an_html_twin_on_the_shared_layout():
    text_only = {"quiet_month"}   # a month with nothing to say: one line of text
    twins = {path.stem for path in MAIL.glob("*.txt") if not path.name.startswith("_")} - text_only
    assert twins == {path.stem for path in MAIL.glob("*.html")
                     if not path.name.startswith("_") and path.name != "layout.html"}
    assert set(MESSAGES) <= twins
    for name in twins:
        assert (MAIL / f"{name}.html").read_text("utf-8").count('{% extends "mail/layout.html" %}') == 1, name


def test_one_environment_escapes_html_templates_and_leaves_text_templates_alone():
    env = environment()
    assert env.autoescape("mail/reminder.html") and env.autoescape("espace/figures.html")
    assert not env.autoescape("mail/reminder.txt")
    rendered = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.*")} - {"pages.css",
                                                                                            "espace/session.js"}
    assert all(name.endswith(".html") or name.startswith("mail/") and name.endswith(".txt") for name in rendered)
    nasty = "Tom & Jerry's \"jardin\" <3\nDeuxième ligne"
    context = dict(subject=f"Sujet {nasty}", what="demande", received="hier", deadline="demain", network="AAI",
                   details=[("Description", nasty)], handled_url="https://x.example/traite/A?sig=1&b=2")
    text = render("mail/reminder.txt", **context)
    assert "Description : Tom & Jerry's \"jardin\" <3\n    Deuxième ligne" in text
    assert "Indiquer le résultat de la demande :\nhttps://x.example/traite/A?sig=1&b=2" in text
    page = render("mail/reminder.html", **context)
    # the standard library's escaping, as the e-mails always had it; line breaks as <br>
    assert "Tom &amp; Jerry&#x27;s &quot;jardin&quot; &lt;3<br>Deuxième ligne" in page and "<3" not in page
    assert "<title>Sujet Tom &amp; Jerry" in page and 'href="https://x.example/traite/A?sig=1&amp;b=2"' in page
    assert "la cellule régionale d&#39;AAI" in page and "la cellule régionale d'AAI" in text   # the elision filter


def test_the_charts_of_the_emails_are_template_macros():
    from chalicelib.reports import charts
    chart = charts.Chart.of("Arrivées <b>", [("<sites> & « amis »", 1200), ("Autre", 0)], "Provenance", "Visites")
    module = environment().get_template("mail/_charts.html").module
    assert charts.email_bars(chart) == str(module.bars(chart, charts.PLAIN))
    assert charts.email_columns(chart) == str(module.columns(chart, charts.PLAIN))
    drawn = charts.email_bars(chart)
    assert "&lt;sites&gt; &amp; « amis »" in drawn and "Arrivées &lt;b&gt;" in drawn
    source = (FUNCTIONS / "chalicelib" / "reports" / "charts.py").read_text("utf-8")
    assert 'bgcolor="' not in source and '<table role=' not in source
    svg = environment().get_template("_charts_svg.html").module
    assert charts.figure(chart, "arrivees") == str(svg.figure(chart, "arrivees", False, charts.PLAIN))
    assert charts.svg_columns(chart, "tendance") == str(svg.columns(chart, "tendance", charts.PLAIN))
    assert "<svg " not in source and "<rect " not in source and "<figure class" not in source


def test_no_message_module_builds_html_by_hand():
    for module in ("mail/messages.py", "mail/notices.py", "backoffice/signin.py", "reports/formats.py",
                   "audience/presentation.py"):
        source = (FUNCTIONS / "chalicelib" / module).read_text("utf-8")
        assert "html.escape" not in source and not re.search(r"<(p|table|tr|td|a|h1|html)[ >]", source), module
        assert "set_content(" not in source or module in ("mail/messages.py", "reports/formats.py"), module  # compose()
