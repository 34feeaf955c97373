"""plugins/pipeline/templates.py: a block repeated on thousands of pages is rendered once per key and build."""

from __future__ import annotations

import jinja2

from pipeline.templates import Fragments

TEMPLATE = ('{% call fragment("card", ai) %}<p>{{ ai }} {{ count() }}</p>{% endcall %}'
            '<span>{{ commune }}</span>')


def environment() -> tuple[jinja2.Environment, list[int]]:
    renders = []
    env = jinja2.Environment(autoescape=True)
    env.globals["count"] = lambda: renders.append(1) or len(renders)
    env.globals["fragment"] = Fragments()
    return env, renders


def test_a_fragment_is_rendered_once_per_key_and_the_rest_of_the_page_every_time():
    env, renders = environment()
    template = env.from_string(TEMPLATE)
    pages = [template.render(ai=ai, commune=commune)
             for ai, commune in (("ai-a", "Agonac"), ("ai-a", "Bardou"), ("ai-b", "Agonac"))]
    assert pages == ["<p>ai-a 1</p><span>Agonac</span>", "<p>ai-a 1</p><span>Bardou</span>",
                     "<p>ai-b 2</p><span>Agonac</span>"]
    assert len(renders) == 2


def test_a_fragment_stays_escaped_markup_and_a_new_build_renders_it_again():
    env, renders = environment()
    template = env.from_string(TEMPLATE)
    assert template.render(ai="<b>", commune="x") == "<p>&lt;b&gt; 1</p><span>x</span>"
    assert template.render(ai="<b>", commune="y") == "<p>&lt;b&gt; 1</p><span>y</span>"
    env.globals["fragment"] = Fragments()  # what plugins/pipeline does as each build starts
    assert env.from_string(TEMPLATE).render(ai="<b>", commune="z") == "<p>&lt;b&gt; 2</p><span>z</span>"
