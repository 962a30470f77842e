"""A tiny local map tile server for tests: every /z/x/y.png answers a PNG tile."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw


def _tile() -> bytes:
    image = Image.new("RGB", (256, 256), (222, 236, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 255, 255), outline=(150, 170, 150))
    draw.line((0, 128, 255, 128), fill=(250, 250, 250), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class TileServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.url = ""


@contextmanager
def tile_server() -> Iterator[TileServer]:
    body = _tile()
    state = TileServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            parts = self.path.strip("/").removesuffix(".png").split("/")
            if len(parts) != 3 or not all(p.isdigit() for p in parts):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
