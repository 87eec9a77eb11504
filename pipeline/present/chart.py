"""Geometry of an indicator's chart: targets by year, one colour per document, findings ringed.

Only numbers and short strings come out; the template draws them (and escapes the strings).
The year axis is proportional to time (2025 and 2026 sit close, 2030 and 2045 far apart), and
no two texts overlap: value labels take the first free place around their point, and year
labels too close to the previous one drop to a second row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pipeline.check.thresholds import format_number

# Okabe–Ito colours (readable with colour blindness); red is kept for findings.
DOCUMENT_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#000000",
                    "#999933", "#882255")
FINDING_COLOUR = "#D00000"
# Average advance of a DejaVu Sans character, in em: enough to keep estimated boxes apart.
CHAR_EM = 0.62
VALUE_FONT = 10
TICK_FONT = 11


@dataclass(frozen=True)
class Point:
    """One target: where it is drawn and what it says."""

    year: int
    value: float
    series: int  # index of its document
    label: str  # "≥80"
    tip: str
    ringed: bool


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, frame: Box) -> bool:
        return (self.left >= frame.left and self.right <= frame.right
                and self.top >= frame.top and self.bottom <= frame.bottom)


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    anchor: str  # SVG text-anchor: start, middle, end
    size: int

    def box(self) -> Box:
        width = len(self.text) * self.size * CHAR_EM
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return Box(left, self.y - self.size * 0.8, left + width, self.y + self.size * 0.25)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    colour: str
    ringed: bool
    tip: str


@dataclass(frozen=True)
class Segment:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Series:
    colour: str
    points: str  # SVG polyline points
    legend: str
    legend_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    plot: Box
    base: float  # y of the year axis
    grid: tuple[tuple[float, str], ...]  # (y, value label)
    years: tuple[Text, ...]
    series: tuple[Series, ...]
    links: tuple[Segment, ...]  # a finding's two targets, joined in red
    markers: tuple[Marker, ...]
    labels: tuple[Text, ...]
    legend_x: float
    legend_ring_y: float

    def texts(self) -> list[Text]:
        """Every text the chart draws inside its plot, for checking they never overlap."""
        return [*self.years, *self.labels]


def nice_ceiling(value: float) -> float:
    """The next 1, 2, 2.5 or 5 times a power of ten: axis ends a reader can take in."""
    power = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


@dataclass(frozen=True)
class _Frame:
    first_year: int
    last_year: int
    low: float
    high: float
    width: int = 660
    height: int = 210
    left: int = 48
    right: int = 230  # room for the legend
    top: int = 14
    bottom: int = 40  # two rows of year labels
    pad: int = 24

    def x(self, year: int) -> float:
        start, span = self.left + self.pad, self.width - self.left - self.right - 2 * self.pad
        if self.last_year == self.first_year:
            return start + span / 2
        return start + span * (year - self.first_year) / (self.last_year - self.first_year)

    def y(self, value: float) -> float:
        span = self.height - self.top - self.bottom
        return self.top + span * (1 - (value - self.low) / (self.high - self.low))

    @property
    def base(self) -> float:
        return self.height - self.bottom

    @property
    def plot(self) -> Box:
        return Box(self.left, 0, self.width - self.right, self.height)


def _year_labels(frame: _Frame, years: list[int]) -> tuple[Text, ...]:
    """Each year under its place; one too close to the last label of its row takes the other
    row."""
    placed: list[Text] = []
    for year in years:
        for row in (0, 1):
            text = Text(frame.x(year), frame.base + 14 + row * 13, str(year), "middle",
                        TICK_FONT)
            if not any(text.box().overlaps(other.box()) for other in placed):
                placed.append(text)
                break
    return tuple(placed)


# Where a value label may sit around its point, in order of preference.
_OFFSETS = ((9, -5, "start"), (-9, -5, "end"), (9, 12, "start"), (-9, 12, "end"),
            (0, -11, "middle"), (0, 20, "middle"), (9, -17, "start"), (-9, -17, "end"),
            (9, 24, "start"), (-9, 24, "end"))


def _value_labels(points: list[tuple[float, float, str]], frame: _Frame,
                  taken: list[Box]) -> tuple[Text, ...]:
    """A label at the first place that overlaps no other label, point or year; a label with
    no free place is left out (the point's tooltip and the cards still give the figure)."""
    area = Box(frame.left + 2, 0, frame.width - frame.right - 2, frame.base - 2)
    placed: list[Text] = []
    for x, y, label in points:
        for dx, dy, anchor in _OFFSETS:
            text = Text(x + dx, y + dy, label, anchor, VALUE_FONT)
            box = text.box()
            if box.inside(area) and not any(box.overlaps(other) for other in taken):
                placed.append(text)
                taken.append(box)
                break
    return tuple(placed)


def _marker_box(x: float, y: float) -> Box:
    return Box(x - 6, y - 6, x + 6, y + 6)


def document_colour(index: int) -> str:
    return DOCUMENT_COLOURS[index % len(DOCUMENT_COLOURS)]


def build_chart(title: str, points: list[Point], legends: list[tuple[str, str]],
                finding_pairs: list[tuple[Point, Point]]) -> Chart:
    """The chart of `points`; `legends[i]` is series i's (name, colour); each pair of points
    is joined in red."""
    values = [point.value for point in points]
    low = min(0.0, *values)
    years = sorted({point.year for point in points})
    frame = _Frame(years[0], years[-1], low, nice_ceiling(max(max(values), low + 1)))
    colour = [series_colour for _name, series_colour in legends]

    def at(point: Point) -> tuple[float, float]:
        return frame.x(point.year), frame.y(point.value)

    year_texts = _year_labels(frame, years)
    taken = [*(text.box() for text in year_texts), *(_marker_box(*at(p)) for p in points)]
    shown: set[tuple[int, str]] = set()
    to_label = []
    for point in sorted(points, key=lambda p: (not p.ringed, p.year, -p.value)):
        if (point.year, point.label) not in shown:  # one label per figure and year
            shown.add((point.year, point.label))
            to_label.append((*at(point), point.label))
    series = []
    for index, (legend, _colour) in enumerate(legends):
        own = sorted((p for p in points if p.series == index), key=lambda p: p.year)
        series.append(Series(colour[index], " ".join(f"{x:.1f},{y:.1f}" for x, y in map(at, own)),
                             legend if len(legend) <= 28 else legend[:27] + "…",
                             frame.top + 8 + index * 18))
    return Chart(
        title=title, width=frame.width, height=frame.height, plot=frame.plot, base=frame.base,
        grid=tuple((frame.y(value), format_number(round(value, 2)))
                   for value in (frame.low, (frame.low + frame.high) / 2, frame.high)),
        years=year_texts, series=tuple(series),
        links=tuple(Segment(*at(first), *at(second)) for first, second in finding_pairs),
        markers=tuple(Marker(*at(point), colour[point.series], point.ringed, point.tip)
                      for point in points),
        labels=_value_labels(to_label, frame, taken),
        legend_x=frame.width - frame.right + 16,
        legend_ring_y=frame.top + 8 + len(legends) * 18,
    )
