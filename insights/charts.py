"""Small SVG charts drawn on the server. No script, no style attribute and no <style>
element, so the strict CSP holds: every colour comes from classes in app.css (``chart-*``),
which follow the light, dark and print themes. Each chart names itself (``<title>``,
``<desc>``, ``role="img"``); the page puts the same numbers in a table beside it."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
HEIGHT = 160
LEFT, RIGHT, TOP, BOTTOM = 28, 10, 10, 30
SCALE_LOW, SCALE_HIGH = 1, 7


@dataclass
class Line:
    """One series: values on the 1 to 7 scale (None where there is none), a class for its
    look, and whether it is drawn dashed (so the lines differ without colour)."""

    values: list[float | None]
    css: str


def _x(index: int, count: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + inner / 2
    return LEFT + inner * index / (count - 1)


def _y(value: float, top: float = TOP, bottom: float = HEIGHT - BOTTOM) -> float:
    share = (value - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW)
    return bottom - (bottom - top) * share


def _frame(ident: str, title: str, description: str, body: list[str], height: int) -> SafeString:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text escaped above


def _scale() -> list[str]:
    """Gridlines at 1, 4 and 7 with their numbers: low, middle, high of the scale."""
    parts = []
    for value in (1, 4, 7):
        y = _y(value)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-label" x="{LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{value}</text>'
        )
    return parts


def _polyline(line: Line, count: int) -> list[str]:
    """A line through the points it has; a gap where a period has no value."""
    parts: list[str] = []
    run: list[tuple[float, float]] = []
    for index, value in enumerate([*line.values, None]):
        if value is None:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline class="chart-line {line.css}" points="{points}"/>')
            run = []
            continue
        run.append((_x(index, count), _y(value)))
    for index, value in enumerate(line.values):
        if value is not None and count <= 40:
            parts.append(
                f'<circle class="chart-dot {line.css}" cx="{_x(index, count):.1f}" '
                f'cy="{_y(value):.1f}" r="3"/>'
            )
    return parts


def _x_labels(labels: list[str], count: int, every: int = 1) -> list[str]:
    """Every ``every``-th label; the first starts at its point and the last ends at its
    point, so neither runs off the edge."""
    parts = []
    for index, label in enumerate(labels):
        if index % every:
            continue
        anchor = "middle"
        if count > 1 and index == 0:
            anchor = "start"
        elif count > 1 and index == count - 1:
            anchor = "end"
        parts.append(
            f'<text class="chart-label" x="{_x(index, count):.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    return parts


def scale_chart(
    ident: str, title: str, description: str, labels: list[str], lines: list[Line]
) -> SafeString:
    """Lines on the 1 to 7 scale over labelled points (hours after, weeks, months)."""
    count = len(labels)
    every = max(1, -(-count // 5))
    body = _scale()
    for line in lines:
        body += _polyline(line, count)
    body += _x_labels(labels, count, every)
    return _frame(ident, title, description, body, HEIGHT)


def marks_and_bars(
    ident: str,
    title: str,
    description: str,
    labels: list[str],
    lines: list[Line],
    marks: list[int],
    bars: list[int] | None = None,
) -> SafeString:
    """``scale_chart`` plus a small mark above each period with a drop signal and, when
    given, bars below the scale (how many shows) — beside the mood, on the same periods."""
    count = len(labels)
    every = max(1, -(-count // 5))
    body = _scale()
    for index, drops in enumerate(marks):
        if drops:
            x = _x(index, count)
            body.append(f'<path class="chart-drop" d="M{x:.1f},{TOP - 6} l4,6 l-4,6 l-4,-6 z"/>')
    for line in lines:
        body += _polyline(line, count)
    height = HEIGHT
    if bars is not None:
        tallest = max(bars) or 1
        band_top, band = HEIGHT - BOTTOM + 24, 40
        width = max(1.5, (WIDTH - LEFT - RIGHT) / max(count, 1) * 0.6)
        for index, value in enumerate(bars):
            if value:
                h = band * value / tallest
                x = _x(index, count) - width / 2
                body.append(
                    f'<rect class="chart-bar" x="{x:.1f}" y="{band_top + band - h:.1f}" '
                    f'width="{width:.1f}" height="{h:.1f}"/>'
                )
        body.append(
            f'<text class="chart-label" x="{LEFT - 6}" y="{band_top + band:.1f}" '
            f'text-anchor="end">0</text>'
            f'<text class="chart-label" x="{LEFT - 6}" y="{band_top + 8:.1f}" '
            f'text-anchor="end">{tallest}</text>'
        )
        height = HEIGHT + band + 24
    body += _x_labels(labels, count, every)
    return _frame(ident, title, description, body, height)
