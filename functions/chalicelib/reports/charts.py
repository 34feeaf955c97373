"""Bar charts people read at a glance, in two forms from the same data.

- For e-mail (the macros of ``templates/mail/_charts.html``; the chart gives them its numbers): bars drawn with
  table cells and inline styles — no image, no script, no style sheet — which every
  mail client shows, Outlook's Word engine included (``bgcolor`` and ``width``/``height`` attributes back the CSS).
  The value is written beside each bar, so the chart still says everything when styles are off.
- For the back office (the macros of ``templates/_charts_svg.html``; the chart gives them its geometry): SVG with
  ``role="img"``, ``<title>`` and ``<desc>`` (a sentence that gives the highest
  and lowest values), inside a ``<figure>`` with the data table beside it for screen readers and for copying.

Two shapes: horizontal bars (categories: arrivals, devices, top pages) and columns side by side (twelve months of a
trend). Every text is escaped by the templates; numbers are written the French way (``1 234``, ``2,5``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

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
    def of(cls, title: str, pairs: Iterable[tuple[object, float | None]], label_heading: str,
           value_heading: str, unit: str = "", decimals: int = 0) -> Chart:
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

    @property
    def description(self) -> str:
        return describe(self)

    def svg_bars(self) -> SimpleNamespace:
        """Horizontal bars' geometry: the label on the left (shortened past 30 characters: the table has it
        whole), the bar, the value after it."""
        bars = []
        for index, bar in enumerate(self.bars):
            top = GAP + index * (ROW + GAP)
            length = BAR_AREA * _share(bar.value, self.largest) / 100
            bars.append(SimpleNamespace(label=_short(bar.label), label_x=LABEL_WIDTH - 8, middle=f"{top + ROW / 2:g}",
                                        x=LABEL_WIDTH, top=top, length=f"{length:.1f}", height=ROW,
                                        value_x=f"{LABEL_WIDTH + length + 6:.1f}", shown=self.shown(bar.value)))
        return SimpleNamespace(width=LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
                               height=max(1, len(self.bars)) * (ROW + GAP) + GAP, bars=bars)

    def svg_columns(self) -> SimpleNamespace:
        """Columns' geometry, for a trend: values above the columns, labels below on two lines at most
        (« nov. » over « 2026 »: columns are narrow)."""
        column, gap, area, top, bottom = 44, 10, 160, 22, 40
        bars = []
        for index, bar in enumerate(self.bars):
            left = gap + index * (column + gap)
            tall = area * _share(bar.value, self.largest) / 100
            first, _, rest = _short(bar.label, 22).partition(" ")
            bars.append(SimpleNamespace(x=left, top=f"{top + area - tall:.1f}", width=column, height=f"{tall:.1f}",
                                        centre=f"{left + column / 2:g}", value_y=f"{top + area - tall - 6:.1f}",
                                        label_y=top + area + 16, shown=self.shown(bar.value), first=first, rest=rest))
        return SimpleNamespace(width=max(1, len(self.bars)) * (column + gap) + gap, height=top + area + bottom,
                               base=top + area, bars=bars)

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



def _share(value: float, largest: float) -> float:
    """Length of a bar, in percent of the longest; a non-zero value always shows at least a sliver."""
    if largest <= 0 or value <= 0:
        return 0.0
    return max(1.0, round(100 * value / largest, 1))


# --- E-mail ---------------------------------------------------------------------------------------------------

def _email_chart(macro: str, chart: Chart, palette: Palette, **options: Any) -> str:
    from ..web.templating import environment
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


def _svg(macro: str, *args: object) -> str:
    from ..web.templating import environment
    return str(getattr(environment().get_template("_charts_svg.html").module, macro)(*args))


def svg_bars(chart: Chart, chart_id: str, palette: Palette = PLAIN) -> str:
    """Horizontal bars (the macro ``bars`` of ``templates/_charts_svg.html``)."""
    _check_id(chart_id)
    return _svg("bars", chart, chart_id, palette)


def svg_columns(chart: Chart, chart_id: str, palette: Palette = PLAIN) -> str:
    """Columns side by side, for a trend (the macro ``columns``)."""
    _check_id(chart_id)
    return _svg("columns", chart, chart_id, palette)


def data_table(chart: Chart, chart_id: str) -> str:
    _check_id(chart_id)
    return _svg("data_table", chart, chart_id)


def figure(chart: Chart, chart_id: str, columns: bool = False, palette: Palette = PLAIN) -> str:
    """The chart and its data table, side by side in one ``<figure>`` (the page's CSS lays them out)."""
    _check_id(chart_id)
    return _svg("figure", chart, chart_id, columns, palette)
