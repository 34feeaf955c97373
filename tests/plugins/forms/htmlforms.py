"""A small reader of the form pages (standard library only): controls, labels, fieldsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}


@dataclass
class Control:
    tag: str
    attrs: dict
    fieldsets: list[str]               # legends of the enclosing fieldsets, outermost first
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def type(self) -> str:
        return self.attrs.get("type", "text") if self.tag == "input" else self.tag


@dataclass
class Page:
    forms: list[dict] = field(default_factory=list)          # attributes of each <form>
    controls: list[Control] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)     # for → text
    ids: dict[str, str] = field(default_factory=dict)        # id → text content
    text: str = ""

    def named(self, name: str) -> list[Control]:
        return [c for c in self.controls if c.name == name]


VOID = ("input", "br", "img", "meta", "link", "hr", "source", "area", "col", "embed", "wbr")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict]] = []   # open elements we track text for
        self.buffers: list[list[str]] = []
        self.legends: list[str] = []
        self.option: tuple[str, list[str]] | None = None
        self.chunks: list[str] = []
        self.aria_hidden: list[str] = []   # open elements with aria-hidden="true": no part of a label's name

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if self.aria_hidden and tag == self.aria_hidden[-1]:
            self.aria_hidden.append(tag)
        elif attrs.get("aria-hidden") == "true" and tag not in VOID:
            self.aria_hidden.append(tag)
        if tag == "form":
            self.page.forms.append(attrs)
        if tag in CONTROLS:
            self.page.controls.append(Control(tag, attrs, [x for x in self.legends]))
        if tag == "option":
            self.option = (attrs.get("value", ""), [])
        if tag == "fieldset":
            self.legends.append("")
        if tag in ("label", "legend") or "id" in attrs:
            if tag not in ("input", "select", "textarea", "br", "img", "meta", "link"):
                self.stack.append((tag, attrs))
                self.buffers.append([])

    def handle_endtag(self, tag):
        if self.aria_hidden and tag == self.aria_hidden[-1]:
            self.aria_hidden.pop()
        if tag == "option" and self.option:
            self.page.controls[-1].options.append((self.option[0], "".join(self.option[1]).strip()))
            self.option = None
        if tag == "fieldset" and self.legends:
            self.legends.pop()
        if self.stack and self.stack[-1][0] == tag:
            _, attrs = self.stack.pop()
            text = " ".join("".join(self.buffers.pop()).split())
            if self.buffers:
                self.buffers[-1].append(text)
            if tag == "label" and attrs.get("for"):
                self.page.labels[attrs["for"]] = text
            if tag == "legend" and self.legends:
                self.legends[-1] = text
            if attrs.get("id"):
                self.page.ids[attrs["id"]] = text

    def handle_data(self, data):
        self.chunks.append(data)
        if self.option:
            self.option[1].append(data)
        if self.buffers and not self.aria_hidden:
            self.buffers[-1].append(data)


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.page.text = " ".join("".join(reader.chunks).split())
    return reader.page
