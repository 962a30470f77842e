"""Draw the app icons (static/img/icons/*.png) from the logo with CairoSVG.

The PNGs are committed, so the portal itself needs neither CairoSVG nor the cairo
library; run `make icons` after changing static/img/logo.svg or the ICONS table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal import pwa


def icon_svg(logo: str, *, scale: float, background: str) -> str:
    """The logo centred at ``scale`` of a square, on ``background`` (or clear)."""
    offset = 100 * (1 - scale) / 2
    size = 100 * scale
    nested = logo.replace(
        "<svg ", f'<svg x="{offset}" y="{offset}" width="{size}" height="{size}" ', 1
    )
    fill = f'<rect width="100" height="100" fill="{background}"/>' if background else ""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f"{fill}{nested}</svg>"
    )


def render_icon(logo: str, size: int, *, scale: float, background: str) -> bytes:
    import cairosvg  # a development tool only: the committed PNGs are served

    png: bytes = cairosvg.svg2png(
        bytestring=icon_svg(logo, scale=scale, background=background).encode(),
        output_width=size,
        output_height=size,
    )
    return png


class Command(BaseCommand):
    help = "Draw the installable app's PNG icons from static/img/logo.svg."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=pwa.ICON_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        logo = pwa.LOGO.read_text()
        for name, (size, scale, background) in pwa.ICONS.items():
            path = out / f"{name}.png"
            path.write_bytes(
                render_icon(logo, size, scale=scale, background=background)
            )
            self.stdout.write(f"{path} ({size}x{size})")
