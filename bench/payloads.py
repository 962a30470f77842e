"""What the benchmark uploads: a realistic photo and valid report form fields."""

from __future__ import annotations

import io
import os

from PIL import Image


def photo(size_bytes: int = 1_000_000) -> bytes:
    """A JPEG of about ``size_bytes``: noise compresses badly, like a real photo."""
    side = 600
    while True:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        if out.tell() >= size_bytes:
            return out.getvalue()
        side += 100


def form_fields() -> dict[str, str]:
    return {
        "full_name": "Nguyễn Văn Đo",
        "id_number": "058190004321",
        "location": "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm",
        "email": "bench@example.vn",
        "phone": "0987654321",
        "title": "Ổ gà lớn trên đường 16/4 (đo hiệu năng)",
        "content": "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm về đêm.",
        "consent": "on",
        "captcha_0": "bench",
        "captcha_1": "PASSED",
    }
