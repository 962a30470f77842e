"""Re-encoding keeps the pixels and the colour profile, and nothing else.

Each test builds a real JPEG with one kind of metadata segment spliced in after
the start-of-image marker, with a marker text that must not survive.
"""

from __future__ import annotations

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from portal.lib import uploads

SECRET = b"Nguyen Van An 0912345678 <script>alert(1)</script>"


def _plain_jpeg(**options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG", **options)
    return out.getvalue()


def _with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """Splice one APPn/COM segment in right after SOI, as cameras and editors do."""
    assert jpeg[:2] == b"\xff\xd8"
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def _exif_with_maker_note() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8769)[0x927C] = SECRET  # MakerNote, in the Exif sub-IFD
    return exif.tobytes()


def _iptc() -> bytes:
    # Photoshop APP13: an 8BIM resource 0x0404 holding IPTC record 2:80 (by-line).
    record = b"\x1c\x02\x50" + struct.pack(">H", len(SECRET)) + SECRET
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    return b"Photoshop 3.0\x00" + resource


SEGMENTS = {
    "com": (0xFE, SECRET),
    "exif": (0xE1, b"Exif\x00\x00" + Image.Exif().tobytes() + SECRET),
    "xmp": (
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>"
        + SECRET
        + b"</dc:creator></x:xmpmeta>",
    ),
    "iptc": (0xED, _iptc()),
    "maker-note": (0xE1, b"Exif\x00\x00" + _exif_with_maker_note()),
}


def _clean(content: bytes) -> bytes:
    upload = SimpleUploadedFile("anh.jpg", content, content_type="image/jpeg")
    return uploads.clean_image(uploads.check_file(upload)).content


@pytest.mark.parametrize("kind", sorted(SEGMENTS))
def test_metadata_segment_is_dropped_on_re_encode(kind: str) -> None:
    marker, payload = SEGMENTS[kind]
    source = _with_segment(_plain_jpeg(), marker, payload)
    assert SECRET in source  # the attack file really carries it
    Image.open(io.BytesIO(source)).load()  # and is a valid JPEG
    stored = _clean(source)
    assert SECRET not in stored
    assert b"Photoshop" not in stored and b"ns.adobe.com/xap" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_comment_written_by_pillow_itself_is_dropped() -> None:
    stored = _clean(_plain_jpeg(comment=SECRET))
    assert SECRET not in stored
    assert "comment" not in Image.open(io.BytesIO(stored)).info


def test_colour_profile_is_kept() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = _with_segment(_plain_jpeg(icc_profile=icc), 0xFE, SECRET)
    stored = _clean(source)
    assert Image.open(io.BytesIO(stored)).info.get("icc_profile") == icc
    assert SECRET not in stored
