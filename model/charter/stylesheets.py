"""The site's stylesheets made from the charter: ``tokens.css`` (custom properties, @font-face) and ``charte.css``.

The print kit gives WeasyPrint the same ``tokens_css`` (with its fonts' own addresses), so the PDFs and the
pages share one set of colours and typefaces.
"""

from __future__ import annotations

from .definition import Brand


def tokens_css(brand: Brand, font_url: str = "../fonts/") -> str:
    """The CSS custom properties and @font-face rules; ``font_url`` prefixes each font file.

    ``font-display: optional``: the pages preload the fonts, and one that is late is skipped for
    that page rather than swapped in under the reader's eyes (no layout shift).
    """
    # The header still names plugins/brand (now plugins/charter): the served bytes, hence the production build's
    # fingerprinted names and pages, stayed identical through the move.
    lines = ["/* Graphic charter tokens, GENERATED from data/brand.yaml by plugins/brand:",
             "   edit data/brand.yaml, not this file. Read by site.css and the print kit. */"]
    for family, weight, path, ranges in brand.font_files:
        lines += ["@font-face {", f'  font-family: "{family}";', "  font-style: normal;",
                  f"  font-weight: {weight};", "  font-display: optional;",
                  f'  src: url("{font_url}{path.name}") format("woff2");']
        if ranges:
            lines.append(f"  unicode-range: {ranges};")
        lines.append("}")
    lines.append(":root {")
    for colour in brand.colours:
        lines.append(f"  {colour.variable}: {colour.hex};  /* {colour.name} */")
    body, heading = brand.typeface("body"), brand.typeface("heading")
    # The figures face comes first: limited to the digits, it leaves every other character to the
    # next family. (WeasyPrint ignores unicode-range on a face that shares the text's family name.)
    digits = f'"{brand.figures.family}", ' if brand.figures else ""
    lines.append(f"  --font-body: {digits}{body.stack};")
    heading_value = "var(--font-body)" if heading.family == body.family else digits + heading.stack
    lines.append(f"  --font-heading: {heading_value};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def charter_css(brand: Brand) -> str:
    """Styles of the « Charte graphique » page: one class per swatch and per pair.

    Classes rather than style attributes, which the site's Content-Security-Policy forbids.
    """
    lines = ["/* « Charte graphique » page, GENERATED from data/brand.yaml by plugins/brand. */",  # as tokens_css
             ".colours, .pairs { border-collapse: collapse; width: 100%; margin: 1rem 0; }",
             ".colours th, .colours td, .pairs th, .pairs td { text-align: left; vertical-align: top;",
             "  padding: .5rem; border-bottom: 1px solid #d8d4cc; }",
             ".swatch { display: inline-block; width: 4rem; height: 2.5rem; border: 1px solid #999;",
             "  border-radius: .3rem; }",
             ".sample { display: inline-block; padding: .2rem .6rem; font-weight: 700; font-size: 1.2rem;",
             "  border: 1px solid #ccc; border-radius: .3rem; }",
             ".logo-figures { display: flex; flex-wrap: wrap; gap: 1rem; }",
             ".logo-figures figure { margin: 0; max-width: 24rem; }",
             ".logo-figures img { display: block; width: 100%; height: auto; padding: 1rem;",
             "  box-sizing: border-box; border: 1px solid var(--brand-surface); }",
             ".logo-figures .on-dark img { background: var(--brand-primary); }",
             ".specimen { font-size: 1.5rem; color: var(--brand-primary-dark); margin: .5rem 0; }",
             ".specimen.bold { font-weight: 700; }"]
    for colour in brand.colours:
        lines.append(f".swatch-{colour.id} {{ background: var({colour.variable}); }}")
    for pair in brand.pairs:
        lines.append(f".pair-{pair.text.id}-on-{pair.background.id} {{ color: var({pair.text.variable}); "
                     f"background: var({pair.background.variable}); }}")
    return "\n".join(lines) + "\n"
