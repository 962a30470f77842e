"""Officials' answer attachments: type checked by content, stored under a new name.

A minimal check written for the officials' side; the citizen side has its own
upload checking (portal/lib/uploads.py on its branch): the lead may unify them.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_ANSWER_FILE_SIZE = 10 * 1024 * 1024
MAX_ANSWER_FILES = 5
THUMBNAIL_SIZE = (320, 320)

# Leading bytes of the file types officials may attach, and their stored form.
_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) judged from the file's first bytes, or None."""
    for signature, content_type, extension in _SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


@dataclass
class CheckedFile:
    original_name: str
    content_type: str
    extension: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def stored_name(self) -> str:
        return f"{secrets.token_hex(16)}.{self.extension}"

    def thumbnail(self) -> ContentFile[bytes] | None:
        """A small JPEG preview for images; None when Pillow cannot read it."""
        if not self.content_type.startswith("image/"):
            return None
        from PIL import Image

        try:
            with Image.open(io.BytesIO(self.data)) as image:
                image.thumbnail(THUMBNAIL_SIZE)
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=80)
        except Exception:
            return None
        return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}-thumb.jpg")


def check_answer_files(files: list[UploadedFile]) -> list[CheckedFile]:
    """Validate every file; raise ValidationError with a message per bad file."""
    if len(files) > MAX_ANSWER_FILES:
        raise ValidationError(
            _("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": MAX_ANSWER_FILES}
        )
    checked: list[CheckedFile] = []
    errors: list[str] = []
    for upload in files:
        name = (upload.name or "").rsplit("/", 1)[-1][:200]
        if (upload.size or 0) > MAX_ANSWER_FILE_SIZE:
            errors.append(
                _("Tệp “%(name)s” lớn hơn %(max)s.")
                % {"name": name, "max": filesizeformat(MAX_ANSWER_FILE_SIZE)}
            )
            continue
        upload.seek(0)
        data = upload.read()
        kind = sniff(data[:16])
        if kind is None:
            errors.append(
                _("Tệp “%(name)s” không phải ảnh JPEG, PNG, WebP hoặc tài liệu PDF.")
                % {"name": name}
            )
            continue
        checked.append(CheckedFile(name, kind[0], kind[1], data))
    if errors:
        raise ValidationError(errors)
    return checked
