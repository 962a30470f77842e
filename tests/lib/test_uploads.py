from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from portal.lib import uploads
from tests.feedback import files


def test_allowed_types_are_recognised_from_content() -> None:
    assert uploads.check_file(files.jpeg()).ftype == uploads.JPEG
    assert uploads.check_file(files.png()).ftype == uploads.PNG
    assert uploads.check_file(files.pdf()).ftype == uploads.PDF
    assert uploads.check_file(files.docx()).ftype == uploads.DOCX
    webp = files.upload("a.webp", files.image_bytes("WEBP"), "image/webp")
    assert uploads.check_file(webp).ftype == uploads.WEBP
    mp4 = files.upload(
        "clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video/mp4"
    )
    assert uploads.check_file(mp4).ftype == uploads.MP4


def test_heic_photo_is_accepted_and_becomes_jpeg() -> None:
    heic = files.upload("IMG_0001.HEIC", files.image_bytes("HEIF"), "image/heic")
    checked = uploads.check_file(heic)
    assert checked.ftype == uploads.HEIC
    clean = uploads.clean_image(checked)
    assert clean.mime == "image/jpeg"
    assert Image.open(io.BytesIO(clean.content)).format == "JPEG"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", files.EXECUTABLE),
        ("anh.jpg", files.HTML),
        ("hinh.svg", files.SVG),
        ("hinh.jpg", files.SVG),
        ("bang.xlsx", b"PK\x03\x04not really a zip"),
    ],
)
def test_content_not_allowed_is_refused_whatever_the_name(
    name: str, content: bytes
) -> None:
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_file(files.upload(name, content))
    assert "loại tệp không được chấp nhận" in error.value.message
    assert name in error.value.message


def test_name_that_does_not_match_content_is_refused() -> None:
    renamed = files.upload("don.pdf", files.image_bytes("PNG"), "application/pdf")
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_file(renamed)
    assert "không khớp" in error.value.message


def test_decompression_bomb_is_refused() -> None:
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_file(files.bomb_png())
    assert "bom.png" in error.value.message
    assert "điểm ảnh quá lớn" in error.value.message


def test_image_just_over_the_pixel_limit_is_refused(settings: Any) -> None:
    # Between the limit and twice it Pillow only warns: the warning must refuse too.
    settings.REPORT_IMAGE_MAX_PIXELS = 2000
    with pytest.raises(uploads.UploadRejected):
        uploads.check_file(files.jpeg())  # 64 x 48 = 3072 pixels


def test_truncated_image_is_refused() -> None:
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_file(files.truncated_jpeg())
    assert "hỏng" in error.value.message


def test_oversize_file_is_refused(settings: Any) -> None:
    settings.REPORT_MAX_FILE_SIZE = 100
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_file(files.jpeg("to.jpg"))
    assert "to.jpg" in error.value.message
    assert "100" in error.value.message


def test_sixth_file_is_refused(settings: Any) -> None:
    six = [files.jpeg(f"anh{n}.jpg") for n in range(6)]
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_files(six)
    assert "anh5.jpg" in error.value.message
    assert "tối đa 5 tệp" in error.value.message
    assert len(uploads.check_files(six[:5])) == 5


def test_total_size_is_limited(settings: Any) -> None:
    one = files.jpeg("a.jpg")
    settings.REPORT_MAX_TOTAL_SIZE = one.size + 10
    with pytest.raises(uploads.UploadRejected) as error:
        uploads.check_files([one, files.jpeg("b.jpg")])
    assert "tổng dung lượng" in error.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("C:\\Users\\An\\Ảnh\\IMG 1.jpg", "IMG 1.jpg"),
        ("a\x00b\x1f.jpg", "ab.jpg"),
        ("..", "tệp-đính-kèm"),
        ("", "tệp-đính-kèm"),
    ],
)
def test_original_names_lose_folders_and_control_characters(
    raw: str, expected: str
) -> None:
    assert uploads.safe_name(raw) == expected


def test_long_name_is_cut_to_255_keeping_the_extension() -> None:
    name = uploads.safe_name("a" * 300 + ".jpg")
    assert len(name) == 255
    assert name.endswith(".jpg")


def test_clean_image_drops_exif_gps() -> None:
    checked = uploads.check_file(files.jpeg(gps=True))
    source = Image.open(checked.upload)
    assert source.getexif().get(files.GPS_IFD)  # the test file really has GPS
    checked.upload.seek(0)
    clean = uploads.clean_image(checked)
    stored = Image.open(io.BytesIO(clean.content))
    assert not stored.getexif()
    assert b"Exif" not in clean.content
    assert Image.open(io.BytesIO(clean.thumbnail)).format == "WEBP"


def test_check_cleans_a_photo_once_into_its_stored_copy_and_a_small_thumbnail() -> None:
    upload = files.upload("anh.jpg", files.image_bytes("JPEG", size=(1200, 900)))
    checked = uploads.check_file(upload)
    assert checked.clean is not None  # made by the decode that checked it
    stored = Image.open(io.BytesIO(checked.clean.content))
    assert (stored.format, stored.size) == ("JPEG", (1200, 900))
    thumb = Image.open(io.BytesIO(checked.clean.thumbnail))
    # Shown at most 160 CSS px wide: 320 px covers 2x screens.
    assert (thumb.format, thumb.size) == ("WEBP", (320, 240))
    assert checked.stored_size == len(checked.clean.content)
    assert upload.tell() == 0  # ready to be read again
