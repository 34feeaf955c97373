"""plugins/pipeline/reads.py: a page's templates are the ones it loaded while rendered, not a declared list."""

from __future__ import annotations

import jinja2

from pipeline.reads import TemplateReads
from pipeline.templates import Fragments

TEMPLATES = {
    "base.html": "<main>{% block content %}{% endblock %}</main>",
    "commune.html": ('{% extends "base.html" %}{% block content %}'
                     '{% if ais %}{% for ai in ais %}{% include "_card.html" %}{% endfor %}'
                     '{% else %}{% include "_none.html" %}{% endif %}'
                     '{% include "_extra.html" ignore missing %}{% endblock %}'),
    "_card.html": ('{% from "_macros.html" import chip %}'
                   '{% call fragment("card", ai) %}{% include "_contact.html" %}{% endcall %}{{ chip(ai) }}'),
    "_contact.html": "<p>{{ ai }}</p>",
    "_macros.html": "{% macro chip(x) %}<b>{{ x }}</b>{% endmacro %}",
    "_none.html": "<p>personne</p>",
    "forms.html": "<form></form>",
}


def build(templates: dict, previous: dict | None = None) -> tuple[TemplateReads, jinja2.Environment]:
    """What each build does: new reads (with the last build's sets), environments reporting to them."""
    reads = TemplateReads(previous)
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    env.globals["fragment"] = Fragments(reads)
    reads.watch(env)
    return reads, env


def render(reads: TemplateReads, env: jinja2.Environment, **page) -> tuple[str, set[str]]:
    template = env.get_template("commune.html")  # fetched before the page, as a generator does
    with reads.reading(template.name) as names:
        text = template.render(**page)
    return text, names


def test_a_page_reads_the_templates_its_data_led_it_to_and_the_misses_of_ignore_missing():
    reads, env = build(TEMPLATES)
    _, served = render(reads, env, ais=["ai-a"])
    _, unserved = render(reads, env, ais=[])
    assert served == {"commune.html", "base.html", "_card.html", "_macros.html", "_contact.html", "_extra.html"}
    assert unserved == {"commune.html", "base.html", "_none.html", "_extra.html"}


def test_a_fragment_reused_by_a_later_page_hands_it_the_templates_the_fragment_read():
    reads, env = build(TEMPLATES)
    first, names_first = render(reads, env, ais=["ai-a"])
    second, names_second = render(reads, env, ais=["ai-a"])  # the fragment is not rendered again
    assert first == second == "<main><p>ai-a</p><b>ai-a</b></main>"
    assert "_contact.html" in names_first and "_contact.html" in names_second


def test_a_set_is_unchanged_until_one_of_its_templates_is_edited_added_or_removed():
    reads, env = build(TEMPLATES)
    _, names = render(reads, env, ais=["ai-a"])
    key = reads.key(names)
    previous = dict(reads.sets)

    assert build(TEMPLATES, previous)[0].unchanged(key)
    assert build({**TEMPLATES, "forms.html": "<form>modifié</form>"}, previous)[0].unchanged(key)  # not read
    assert not build({**TEMPLATES, "_macros.html": "{% macro chip(x) %}{{ x }}{% endmacro %}"},
                     previous)[0].unchanged(key)
    assert not build({**TEMPLATES, "_extra.html": "<aside></aside>"}, previous)[0].unchanged(key)
    assert not build(TEMPLATES, {})[0].unchanged(key)  # a set the last build did not save


def test_a_template_an_ignore_missing_found_then_removed_changes_the_set():
    reads, env = build({**TEMPLATES, "_extra.html": "<aside></aside>"})
    text, names = render(reads, env, ais=[])
    assert text == "<main><p>personne</p><aside></aside></main>"
    key = reads.key(names)
    assert not build(TEMPLATES, dict(reads.sets))[0].unchanged(key)
