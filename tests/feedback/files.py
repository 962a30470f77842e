"""Small files for upload tests, made in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = False
) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    options: dict[str, object] = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[GPS_IFD] = {1: "N", 2: (11.0, 34.0, 0.0), 3: "E", 4: (108.0, 59.0, 0.0)}
        options["exif"] = exif
    image.save(out, fmt, **options)
    return out.getvalue()


def upload(
    name: str, content: bytes, content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name: str = "anh.jpg", **kwargs: object) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs))  # type: ignore[arg-type]


def png(name: str = "anh.png") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG"), "image/png")


def pdf(name: str = "don.pdf") -> SimpleUploadedFile:
    return upload(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


def docx(name: str = "don.docx") -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return upload(name, out.getvalue(), "application/octet-stream")


def bomb_png(name: str = "bom.png") -> SimpleUploadedFile:
    """A few kilobytes that decode to 200 million pixels."""
    out = io.BytesIO()
    Image.new("1", (20000, 10000)).save(out, "PNG")
    return upload(name, out.getvalue(), "image/png")


def truncated_jpeg(name: str = "hong.jpg") -> SimpleUploadedFile:
    data = image_bytes("JPEG", size=(400, 300))
    return upload(name, data[: len(data) // 2])


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>"
)
