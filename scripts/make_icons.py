#!/usr/bin/env python3
"""Draw the home-screen icons into static/img/ with the standard library alone.

    python3 scripts/make_icons.py

Two designs, each in four forms. The app's own: the mark of static/img/icon.svg (a soft arc
with a dot above it, white on the accent colour). The neutral one, worn in discreet mode: three
lines of a note on slate grey, which says nothing about what the app is for.

- ``<design>-192.png``, ``<design>-512.png``: purpose "any", a disc on a transparent ground
  like the favicon;
- ``<design>-maskable-192.png``, ``<design>-maskable-512.png``: purpose "maskable", the colour
  to every edge, because the launcher cuts its own shape; the mark stays well inside the safe
  zone (the central circle of 40 % of the size in radius);
- ``<design>-apple-touch.png`` (180): full bleed too, since iOS fills transparency with black.

Shapes are drawn as distance fields (every pixel's distance to the shape's edge), which gives
smooth edges without a drawing library. The files are written again byte for byte the same,
so running this with no change to the drawing changes nothing in the repository.
"""

import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "img"

# The drawing is laid out on a 64-unit square, as icon.svg is.
UNITS = 64.0
# Colours of static/css/app.css (--accent) and a quiet slate for the neutral design.
ACCENT = (0x7A, 0x4E, 0x8C)
SLATE = (0x4F, 0x5B, 0x66)
WHITE = (0xFF, 0xFF, 0xFF)

Distance = Callable[[float, float], float]


def disc(cx: float, cy: float, r: float) -> Distance:
    return lambda x, y: math.hypot(x - cx, y - cy) - r


def segment(ax: float, ay: float, bx: float, by: float, width: float) -> Distance:
    """A stroke with round caps from a to b."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy

    def distance(x: float, y: float) -> float:
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        return math.hypot(x - ax - t * dx, y - ay - t * dy) - width / 2

    return distance


def arc(cx: float, cy: float, r: float, start: float, end: float, width: float) -> Distance:
    """A stroke with round caps along the circle (cx, cy, r) between two angles (radians,
    y pointing down as on screen, start < end)."""
    ends = [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in (start, end)]

    def distance(x: float, y: float) -> float:
        angle = math.atan2(y - cy, x - cx)
        if start <= angle <= end:
            return abs(math.hypot(x - cx, y - cy) - r) - width / 2
        return min(math.hypot(x - ex, y - ey) for ex, ey in ends) - width / 2

    return distance


def union(*shapes: Distance) -> Distance:
    return lambda x, y: min(shape(x, y) for shape in shapes)


# icon.svg's curve "M14 38c6-8 30-8 36 0" is, near enough, an arc of the circle through
# (14, 38), (32, 32) and (50, 38): centre (32, 62), radius 30.
_ARC_HALF = math.asin(18 / 30)
OWN_MARK = union(
    arc(32, 62, 30, -math.pi / 2 - _ARC_HALF, -math.pi / 2 + _ARC_HALF, 5),
    disc(32, 24, 6),
)
NEUTRAL_MARK = union(
    segment(20, 23, 44, 23, 5),
    segment(20, 32, 44, 32, 5),
    segment(20, 41, 36, 41, 5),
)
DESIGNS = {"icon": (ACCENT, OWN_MARK), "neutral": (SLATE, NEUTRAL_MARK)}


def coverage(distance_in_pixels: float) -> float:
    """How much of a pixel a shape covers, from the distance of its centre to the edge."""
    return max(0.0, min(1.0, 0.5 - distance_in_pixels))


def draw(size: int, ground: tuple[int, int, int], mark: Distance, *, full_bleed: bool) -> bytes:
    """RGBA rows, each led by PNG's filter byte (0: none)."""
    scale = UNITS / size
    backdrop = (lambda x, y: -1.0) if full_bleed else disc(32, 32, 30)
    rows = bytearray()
    for py in range(size):
        rows.append(0)
        y = (py + 0.5) * scale
        for px in range(size):
            x = (px + 0.5) * scale
            alpha = coverage(backdrop(x, y) / scale)
            white = coverage(mark(x, y) / scale) if alpha else 0.0
            colour = [round(g + (w - g) * white) for g, w in zip(ground, WHITE, strict=True)]
            rows.extend((*colour, round(255 * alpha)))
    return bytes(rows)


def png(size: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (ground, mark) in DESIGNS.items():
        files = {
            f"{name}-192.png": (192, False),
            f"{name}-512.png": (512, False),
            f"{name}-maskable-192.png": (192, True),
            f"{name}-maskable-512.png": (512, True),
            f"{name}-apple-touch.png": (180, True),
        }
        for filename, (size, full_bleed) in files.items():
            data = png(size, draw(size, ground, mark, full_bleed=full_bleed))
            (OUT / filename).write_bytes(data)
            print(f"{filename}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
