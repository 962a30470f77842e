"""App icons drawn from the portal's own SVG logo with Pillow.

The logo uses a small SVG subset (circles and straight-line paths), which this
module draws; anything else in the file is refused loudly rather than drawn wrong.
"""

from __future__ import annotations

import io
import re

# ElementTree parses only the project's own logo file, never uploaded content.
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image, ImageDraw

SVG_NS = "{http://www.w3.org/2000/svg}"
SUPERSAMPLE = 4  # drawn 4x larger, then scaled down: smooth edges
_TOKEN = re.compile(r"[MmLlHhVvZz]|-?\d*\.?\d+(?:e-?\d+)?")

Point = tuple[float, float]


def _path_points(d: str) -> list[list[Point]]:
    """Polygons of a path made of M, L, H, V and Z commands (absolute or relative)."""
    shapes: list[list[Point]] = []
    current: list[Point] = []
    x = y = 0.0
    command = ""
    tokens = _TOKEN.findall(d)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "Zz":
                if current:
                    shapes.append(current)
                    x, y = current[0]
                current = []
            continue
        relative = command.islower()
        op = command.upper()
        if op in ("M", "L"):
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            if op == "M" and current:
                shapes.append(current)
                current = []
            current.append((x, y))
            if op == "M":  # further pairs after a moveto are linetos
                command = "l" if relative else "L"
        elif op == "H":
            value = float(tokens[i])
            i += 1
            x = x + value if relative else value
            current.append((x, y))
        elif op == "V":
            value = float(tokens[i])
            i += 1
            y = y + value if relative else value
            current.append((x, y))
        else:
            raise ValueError(f"Unsupported SVG path command {command!r}")
    if current:
        shapes.append(current)
    return shapes


def render_svg(
    svg: str, size: int, *, scale: float = 1.0, background: str = ""
) -> bytes:
    """A ``size`` px square PNG of ``svg``, the drawing ``scale`` of the square."""
    root = ET.fromstring(svg)  # noqa: S314 - the project's own file
    min_x, min_y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), background or (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    factor = big * scale / max(width, height)
    offset = big * (1 - scale) / 2

    def at(px: float, py: float) -> Point:
        return ((px - min_x) * factor + offset, (py - min_y) * factor + offset)

    for element in root.iter():
        tag = element.tag.removeprefix(SVG_NS)
        fill = element.attrib.get("fill", "#000")
        if tag == "circle":
            cx, cy = at(float(element.attrib["cx"]), float(element.attrib["cy"]))
            r = float(element.attrib["r"]) * factor
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
        elif tag == "path":
            for polygon in _path_points(element.attrib["d"]):
                draw.polygon([at(px, py) for px, py in polygon], fill=fill)
        elif tag != "svg":
            raise ValueError(f"Unsupported SVG element {tag!r}")
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def render_file(
    path: Path, size: int, *, scale: float = 1.0, background: str = ""
) -> bytes:
    return render_svg(path.read_text(), size, scale=scale, background=background)
