"""Checking and cleaning uploaded files.

The type of a file is decided from its first bytes (and, for Office files, from the
parts inside the ZIP), never from the name or the content type the browser sent; the
name's extension must then agree with the content. Images are fully decoded under a
decompression-bomb guard and re-encoded, which keeps only the pixels and the
colour profile (no EXIF, XMP, IPTC or comments).
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC photos from iPhones; Pillow alone cannot decode them.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    HEIF_SUPPORTED = False

_CONTROL = {chr(i) for i in range(32)} | {"\x7f"}
MAX_NAME_LENGTH = 255
SNIFF_BYTES = 64
# Thumbnails are shown at most 160 CSS pixels wide (portal.css .attachment-thumb):
# 320 px is sharp on 2x screens, a third of the bytes of 480 px and ~8 ms less
# work per photo filed.
THUMBNAIL_SIZE = (320, 320)


@dataclass(frozen=True)
class FileType:
    mime: str
    extensions: frozenset[str]
    pillow_format: str = ""  # set for images: the format Pillow must find

    @property
    def is_image(self) -> bool:
        return bool(self.pillow_format)


JPEG = FileType("image/jpeg", frozenset({"jpg", "jpeg", "jfif"}), "JPEG")
PNG = FileType("image/png", frozenset({"png"}), "PNG")
WEBP = FileType("image/webp", frozenset({"webp"}), "WEBP")
HEIC = FileType("image/heic", frozenset({"heic", "heif"}), "HEIF")
PDF = FileType("application/pdf", frozenset({"pdf"}))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    frozenset({"docx"}),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    frozenset({"xlsx"}),
)
MP4 = FileType("video/mp4", frozenset({"mp4", "m4v"}))

_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"M4V ", b"M4VH", b"M4VP", b"dash", b"MSNV", b"3gp4", b"3gp5", b"3g2a",
}  # fmt: skip


class UploadRejected(Exception):
    """A file refused; ``message`` names the file and the reason, for people."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        self.message = _("Tệp “%(name)s”: %(reason)s") % {
            "name": name,
            "reason": reason,
        }
        super().__init__(self.message)


def safe_name(raw: str) -> str:
    """The original file name as data: no folders, no control characters, ≤255."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/")
    name = name.rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _CONTROL).strip().lstrip(".")
    if not name:
        return _("tệp-đính-kèm")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension(name: str) -> str:
    _stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def _office_type(stream: IO[bytes]) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def sniff(stream: IO[bytes]) -> FileType | None:
    """The allowed type the content is, or None (SVG, HTML, programs, ...)."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    found: FileType | None = None
    if head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found = WEBP
    elif head.startswith(b"%PDF-"):
        found = PDF
    elif head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            found = HEIC
        elif brand in _MP4_BRANDS:
            found = MP4
    elif head.startswith(b"PK\x03\x04"):
        found = _office_type(stream)
    stream.seek(0)
    return found


def _open_image(stream: IO[bytes], ftype: FileType, name: str) -> Image.Image:
    """Decode the whole image, refusing bombs, truncation and a wrong format."""
    max_pixels = settings.REPORT_IMAGE_MAX_PIXELS
    # Pillow's own guard: a warning above the limit, an error above twice it.
    Image.MAX_IMAGE_PIXELS = max_pixels
    stream.seek(0)
    # A copy in memory (images are at most REPORT_MAX_FILE_SIZE): Pillow closes the
    # file it reads, and the upload must stay open for storing.
    data = io.BytesIO(stream.read())
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(data)
            if image.format != ftype.pillow_format:
                raise UploadRejected(name, _("nội dung ảnh không đúng định dạng."))
            width, height = image.size
            if width * height > max_pixels:
                raise UploadRejected(
                    name,
                    _("ảnh có kích thước điểm ảnh quá lớn (%(w)s × %(h)s).")
                    % {"w": width, "h": height},
                )
            image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(name, _("ảnh có kích thước điểm ảnh quá lớn.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadRejected(
            name, _("ảnh bị hỏng hoặc không đầy đủ, không mở được.")
        ) from None
    return image


@dataclass
class CleanImage:
    content: bytes
    extension: str
    mime: str
    thumbnail: bytes


@dataclass
class CheckedFile:
    upload: UploadedFile
    name: str  # sanitised original name
    ftype: FileType
    size: int
    # Images: the re-encoded copy that is stored, made by the decode that checked
    # the image (a photo is decoded once, whichever channel sent it).
    clean: CleanImage | None = None

    @property
    def stored_size(self) -> int:
        return len(self.clean.content) if self.clean else self.size


def check_file(upload: UploadedFile) -> CheckedFile:
    """Size, content type against name, and (for images) a full decode, which
    also makes the clean copy that is stored (``clean``)."""
    name = safe_name(upload.name or "")
    size = upload.size or 0
    if size <= 0:
        raise UploadRejected(name, _("tệp rỗng."))
    if size > settings.REPORT_MAX_FILE_SIZE:
        raise UploadRejected(
            name,
            _("tệp lớn hơn %(max)s cho phép.")
            % {"max": filesizeformat(settings.REPORT_MAX_FILE_SIZE)},
        )
    ftype = sniff(upload)
    if ftype is None:
        raise UploadRejected(
            name,
            _(
                "loại tệp không được chấp nhận. Chỉ nhận ảnh (JPEG, PNG, WebP, HEIC), "
                "PDF, Word (DOCX), Excel (XLSX) và video MP4."
            ),
        )
    if extension(name) not in ftype.extensions:
        raise UploadRejected(
            name,
            _("phần mở rộng của tên tệp không khớp với nội dung (nội dung là %(ext)s).")
            % {"ext": ", ".join(sorted(ftype.extensions)).upper()},
        )
    checked = CheckedFile(upload=upload, name=name, ftype=ftype, size=size)
    if ftype.is_image:
        checked.clean = clean_image(checked)
    upload.seek(0)
    return checked


def check_files(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    """Every rule for one submission's files; the first failure refuses them all."""
    if len(uploads) > settings.REPORT_MAX_FILES:
        raise UploadRejected(
            uploads[settings.REPORT_MAX_FILES].name or "",
            _("mỗi phản ánh đính kèm tối đa %(count)s tệp.")
            % {"count": settings.REPORT_MAX_FILES},
        )
    checked = [check_file(upload) for upload in uploads]
    check_total(checked)
    return checked


def check_total(checked: Sequence[CheckedFile]) -> None:
    """The count and total size of files checked one by one (several sources)."""
    if len(checked) > settings.REPORT_MAX_FILES:
        raise UploadRejected(
            checked[settings.REPORT_MAX_FILES].name,
            _("mỗi phản ánh đính kèm tối đa %(count)s tệp.")
            % {"count": settings.REPORT_MAX_FILES},
        )
    total = sum(item.size for item in checked)
    if total > settings.REPORT_MAX_TOTAL_SIZE:
        raise UploadRejected(
            checked[-1].name,
            _("tổng dung lượng các tệp vượt quá %(max)s.")
            % {"max": filesizeformat(settings.REPORT_MAX_TOTAL_SIZE)},
        )


def clean_image(item: CheckedFile) -> CleanImage:
    """Re-encode without metadata and make a thumbnail.

    Only the pixels and the colour profile are written: EXIF (GPS, MakerNote),
    XMP, IPTC/Photoshop and JPEG comments (COM, which Pillow would otherwise copy
    from ``info``) are all dropped. HEIC is re-encoded as JPEG, which every browser
    shows.
    """
    image = _open_image(item.upload, item.ftype, item.name)
    icc_profile = image.info.get("icc_profile")
    # In place: a copy of a 12-megapixel photo is ~36 MB of worker memory.
    ImageOps.exif_transpose(image, in_place=True)
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if item.ftype in (JPEG, HEIC):
        if image.mode != "RGB":  # convert() copies even to the same mode
            image = image.convert("RGB")
        fmt, ext, mime = "JPEG", "jpg", JPEG.mime
        # No optimize=True: its second pass costs ~25 ms of a 1 MB photo's ~85 ms
        # for files ~7 % smaller (measured in the benchmark).
        options = {"quality": 88}
    elif item.ftype == PNG:
        fmt, ext, mime = "PNG", "png", PNG.mime
        options = {"optimize": True}
    else:
        fmt, ext, mime = "WEBP", "webp", WEBP.mime
        options = {"quality": 88}
    # Pillow's encoders fall back to image.info for some metadata (the JPEG
    # comment, XMP): an empty info leaves only what is passed here.
    image.info = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(out, fmt, **options)
    # The full image is written: the thumbnail is made from it in place, with no
    # copy. reducing_gap=1.0 halves (box filter) before the bicubic pass: ~6 ms
    # less than 2.0 for a 1200 px photo, no visible difference in a thumbnail.
    image.thumbnail(THUMBNAIL_SIZE, reducing_gap=1.0)
    thumb = image
    if thumb.mode not in ("RGB", "RGBA"):
        thumb = thumb.convert("RGBA" if "A" in thumb.getbands() else "RGB")
    thumb_out = io.BytesIO()
    # method=0 (default 4): ~5 ms less than method=2 and ~18 ms less than 4 for a
    # 480 px thumbnail, within a few per cent of their size (measured).
    thumb.save(thumb_out, "WEBP", quality=80, method=0)
    image.close()
    return CleanImage(
        content=out.getvalue(), extension=ext, mime=mime, thumbnail=thumb_out.getvalue()
    )


def sha256_of(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def random_name(ext: str) -> str:
    return f"{os.urandom(16).hex()}.{ext}"
