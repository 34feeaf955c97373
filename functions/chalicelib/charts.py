"""Bar charts people read at a glance, in two forms from the same data.

- For e-mail (the macros of ``templates/mail/_charts.html``; the chart gives them its numbers): bars drawn with
  table cells and inline styles — no image, no script, no style sheet — which every
  mail client shows, Outlook's Word engine included (``bgcolor`` and ``width``/``height`` attributes back the CSS).
  The value is written beside each bar, so the chart still says everything when styles are off.
- For the back office: SVG with ``role="img"``, ``<title>`` and ``<desc>`` (a sentence that gives the highest
  and lowest values), inside a ``<figure>`` with the data table beside it for screen readers and for copying.

Two shapes: horizontal bars (categories: arrivals, devices, top pages) and columns side by side (twelve months of a
trend). Every text is escaped; numbers are written the French way (``1 234``, ``2,5``).
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from rules.typography import NBSP, french_number

logger = logging.getLogger(__name__)

FONT = "Arial, Helvetica, sans-serif"


def _check_colour(colour: str) -> None:
    """Colours go into style attributes: only #rrggbb gets there."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        raise ValueError(f"colour must be #rrggbb: {colour!r}")


@dataclass(frozen=True)
class Palette:
    """A chart's colours. The charter's come from data/brand.yaml through the routing table
    (``Palette.of(routing.brand)``); without them, plain greys that read on white."""

    bar: str = "#404040"
    text: str = "#000000"
    muted: str = "#595959"

    @classmethod
    def of(cls, brand: dict[str, str]) -> "Palette":
        plain = cls()
        return cls(bar=brand.get("primary", plain.bar), text=brand.get("text", plain.text),
                   muted=brand.get("muted", plain.muted))

    def __post_init__(self) -> None:
        for colour in (self.bar, self.text, self.muted):
            _check_colour(colour)


PLAIN = Palette()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Chart:
    title: str                  # « Visites par mois »
    bars: tuple[Bar, ...]
    label_heading: str          # heading of the label column in the data table: « Mois »
    value_heading: str          # heading of the value column: « Visites »
    unit: str = ""              # written after each value: « s », « % »
    decimals: int = 0

    @classmethod
    def of(cls, title: str, pairs, label_heading: str, value_heading: str, unit: str = "",
           decimals: int = 0) -> "Chart":
        return cls(title, tuple(Bar(str(label), float(value or 0)) for label, value in pairs), label_heading,
                   value_heading, unit, decimals)

    @property
    def largest(self) -> float:
        return max((bar.value for bar in self.bars), default=0.0)

    def email_bars(self) -> list[tuple[str, str, str]]:
        """(label, length of the bar in percent of the longest — « » for none —, value as written) per bar."""
        return [(bar.label, f"{_share(bar.value, self.largest):g}" if _share(bar.value, self.largest) else "",
                 self.shown(bar.value)) for bar in self.bars]

    def email_columns(self, height: int) -> list[tuple[str, int, str]]:
        """(label, height of the column in pixels, value as written) per bar."""
        return [(bar.label, round(height * _share(bar.value, self.largest) / 100), self.shown(bar.value))
                for bar in self.bars]

    @property
    def column_width(self) -> str:
        return f"{100 / max(1, len(self.bars)):.2f}%"

    def shown(self, value: float) -> str:
        text = french_number(value, self.decimals)
        return f"{text}{NBSP}{self.unit}" if self.unit else text


def describe(chart: Chart) -> str:
    """The sentence a screen reader says for the picture: how many bars, the highest and the lowest."""
    if not chart.bars:
        return f"{chart.title}\u00a0: aucune donnée."
    highest = max(chart.bars, key=lambda bar: bar.value)
    lowest = min(chart.bars, key=lambda bar: bar.value)
    words = (f"{chart.title}\u00a0: {len(chart.bars)}\u00a0barre{'s' if len(chart.bars) > 1 else ''}. "
             f"La plus haute\u00a0: {highest.label}, {chart.shown(highest.value)}")
    if len(chart.bars) > 1:
        words += f"\u202f; la plus basse\u00a0: {lowest.label}, {chart.shown(lowest.value)}"
    return words + ". Le tableau qui suit donne toutes les valeurs."


def escape(text: str) -> str:
    """HTML and XML text, attribute values included."""
    return html.escape(str(text), quote=True)


def _share(value: float, largest: float) -> float:
    """Length of a bar, in percent of the longest; a non-zero value always shows at least a sliver."""
    if largest <= 0 or value <= 0:
        return 0.0
    return max(1.0, round(100 * value / largest, 1))


# --- E-mail ---------------------------------------------------------------------------------------------------

def _email_chart(macro: str, chart: Chart, palette: Palette, **options) -> str:
    from .templating import environment
    return str(getattr(environment().get_template("mail/_charts.html").module, macro)(chart, palette, **options))


def email_bars(chart: Chart, palette: Palette = PLAIN) -> str:
    """Horizontal bars as a data table — label, bar, value — readable without styles, drawn in every client
    (the macro ``bars`` of ``templates/mail/_charts.html``)."""
    return _email_chart("bars", chart, palette)


def email_columns(chart: Chart, palette: Palette = PLAIN, height: int = 120) -> str:
    """Columns side by side (twelve months of a trend), the macro ``columns`` of ``templates/mail/_charts.html``."""
    return _email_chart("columns", chart, palette, height=height)


# --- Back office (SVG + data table) ---------------------------------------------------------------------------

_ID = re.compile(r"[a-z][a-z0-9-]*")
LABEL_WIDTH, BAR_AREA, VALUE_WIDTH, ROW, GAP = 220, 330, 90, 24, 6


def _check_id(chart_id: str) -> None:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id must be lower-case letters, digits and hyphens: {chart_id!r}")


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg_open(chart: Chart, chart_id: str, width: int, height: int, palette: Palette) -> str:
    # No style attribute: the back office's strict Content-Security-Policy would refuse it. The page's style
    # sheet scales the picture down (max-width: 100%; height: auto) from its natural size.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" font-size="13" '
            f'fill="{palette.text}"><title id="{chart_id}-title">{escape(chart.title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(describe(chart))}</desc>')


def svg_bars(chart: Chart, chart_id: str, palette: Palette = PLAIN) -> str:
    """Horizontal bars: the label on the left (shortened past 30 characters: the table has it whole)."""
    _check_id(chart_id)
    colour = palette.bar
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = max(1, len(chart.bars)) * (ROW + GAP) + GAP
    parts = [_svg_open(chart, chart_id, width, height, palette)]
    for index, bar in enumerate(chart.bars):
        top = GAP + index * (ROW + GAP)
        length = BAR_AREA * _share(bar.value, chart.largest) / 100
        middle = top + ROW / 2
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 8}" y="{middle:g}" text-anchor="end" dominant-baseline="central">'
            f'{escape(_short(bar.label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{ROW}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{middle:g}" dominant-baseline="central">'
            f'{escape(chart.shown(bar.value))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _lines(label: str, centre: float) -> str:
    """A column's label on two lines at most (« nov. » over « 2026 »): columns are narrow."""
    first, _, rest = _short(label, 22).partition(" ")
    text = escape(first)
    if rest:
        text += f'<tspan x="{centre:g}" dy="1.2em">{escape(rest)}</tspan>'
    return text


def svg_columns(chart: Chart, chart_id: str, palette: Palette = PLAIN) -> str:
    """Columns side by side, for a trend: values above the columns, labels below."""
    _check_id(chart_id)
    colour = palette.bar
    column, gap, area, top, bottom = 44, 10, 160, 22, 40
    width = max(1, len(chart.bars)) * (column + gap) + gap
    height = top + area + bottom
    parts = [_svg_open(chart, chart_id, width, height, palette),
             f'<line x1="0" y1="{top + area}" x2="{width}" y2="{top + area}" stroke="{palette.muted}"/>']
    for index, bar in enumerate(chart.bars):
        left = gap + index * (column + gap)
        tall = area * _share(bar.value, chart.largest) / 100
        centre = left + column / 2
        parts.append(
            f'<g><rect x="{left}" y="{top + area - tall:.1f}" width="{column}" height="{tall:.1f}" fill="{colour}"/>'
            f'<text x="{centre:g}" y="{top + area - tall - 6:.1f}" text-anchor="middle" font-size="12">'
            f'{escape(chart.shown(bar.value))}</text>'
            f'<text x="{centre:g}" y="{top + area + 16}" text-anchor="middle" font-size="12">'
            f'{_lines(bar.label, centre)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def data_table(chart: Chart, chart_id: str) -> str:
    _check_id(chart_id)
    rows = "".join(f'<tr><th scope="row">{escape(bar.label)}</th><td>{escape(chart.shown(bar.value))}</td></tr>'
                   for bar in chart.bars)
    return (f'<table class="chart-data" id="{chart_id}-data"><caption>{escape(chart.title)}</caption>'
            f'<thead><tr><th scope="col">{escape(chart.label_heading)}</th>'
            f'<th scope="col">{escape(chart.value_heading)}</th></tr></thead><tbody>{rows}</tbody></table>')


def figure(chart: Chart, chart_id: str, columns: bool = False, palette: Palette = PLAIN) -> str:
    """The chart and its data table, side by side in one ``<figure>`` (the page's CSS lays them out)."""
    picture = svg_columns(chart, chart_id, palette) if columns else svg_bars(chart, chart_id, palette)
    return (f'<figure class="chart" id="{chart_id}"><div class="chart-picture">{picture}</div>'
            f'{data_table(chart, chart_id)}</figure>')
