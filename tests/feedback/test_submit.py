from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from PIL import Image

from feedback import services
from feedback.models import Attachment, HeldUpload, Report, Status, StatusChange
from tests.factories import CategoryFactory
from tests.feedback import files

URL = "/gui-phan-anh/"


def files_on_disk(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def post(
    client: Client, data: dict[str, Any], attachments: list[Any] | None = None
) -> Any:
    return client.post(URL, {**data, "attachments": attachments or []})


@pytest.mark.django_db
def test_form_has_seed_fields_and_unticked_consent(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    for name in (
        "full_name", "id_number", "location", "email", "phone", "title", "content",
        "category", "attachments", "consent", "allow_publish", "captcha",
    ):  # fmt: skip
        assert name in form.fields
    html = response.content.decode()
    assert 'type="file" name="attachments"' in html and "multiple" in html
    assert 'enctype="multipart/form-data"' in html
    assert not form["consent"].value()


@pytest.mark.django_db
def test_anonymous_report_with_two_photos_is_saved_with_history_and_receipt(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    category = CategoryFactory(name="Giao thông", slug="giao-thong")
    data = {**report_form, "category": str(category.pk), "allow_publish": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, data, [files.jpeg("a.jpg"), files.png("b.png")])
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gui-phan-anh/da-gui/{report.code}/"
    assert report.reporter is None
    assert report.status == Status.NEW
    assert report.phone == "0987654321"
    assert report.category == category
    assert report.allow_publish and not report.is_published
    assert report.consent_at is not None
    change = StatusChange.objects.get(report=report)
    assert (change.from_status, change.to_status) == ("", Status.NEW)
    names = sorted(a.original_name for a in report.attachments.all())
    assert names == ["a.jpg", "b.png"]
    for attachment in report.attachments.all():
        assert attachment.file.name.startswith("reports/")
        # A generated random name, nothing of what the device sent.
        assert re.fullmatch(
            r"reports/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png)", attachment.file.name
        )
        assert (media / attachment.file.name).is_file()
        assert (media / attachment.thumbnail.name).is_file()
        assert len(attachment.sha256) == 64
    assert len(files_on_disk(media)) == 4
    assert len(mail.outbox) == 1
    assert report.code in mail.outbox[0].subject
    assert report.code in mail.outbox[0].body
    assert mail.outbox[0].to == ["binh@example.vn"]


@pytest.mark.django_db
def test_success_page_shows_code_qr_and_buttons_only_to_the_filing_session(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    post(client, report_form)
    report = Report.objects.get()
    response = client.get(f"/gui-phan-anh/da-gui/{report.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert report.code in html
    assert "Chép mã" in html and "In trang này" in html
    assert "<svg" in html and "<title>" in html
    assert f"/phan-anh/{report.code}/" in html
    assert Client().get(f"/gui-phan-anh/da-gui/{report.code}/").status_code == 404


@pytest.mark.django_db
def test_logged_in_citizen_gets_prefilled_form_and_linked_report(
    client: Client, citizen: Any, report_form: dict[str, str], media: Path
) -> None:
    client.force_login(citizen)
    form = client.get(URL).context["form"]
    assert form["full_name"].value() == citizen.full_name
    assert form["id_number"].value() == citizen.id_number
    assert form["email"].value() == citizen.email
    assert form["phone"].value() == citizen.phone
    post(client, report_form)
    assert Report.objects.get().reporter == citizen
    assert StatusChange.objects.get().actor == citizen


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "Ngắn", "Tiêu đề cần ít nhất 10 ký tự"),
        ("title", "x" * 201, "200"),
        ("content", "Quá ngắn", "Nội dung cần ít nhất 20 ký tự"),
        ("content", "x" * 10_001, "10000"),
        ("id_number", "12345", "Số CMND có 9 chữ số"),
        ("phone", "0123", "Số điện thoại không hợp lệ"),
        ("email", "khong-phai-email", "email"),
        ("full_name", "Nguyễn 123", "không được chứa chữ số"),
        ("location", "", "bắt buộc"),
        ("consent", "", "đồng ý xử lý dữ liệu cá nhân"),
    ],
)
def test_bad_field_is_refused_next_to_it_and_nothing_saved(
    client: Client,
    report_form: dict[str, str],
    media: Path,
    field: str,
    value: str,
    message: str,
) -> None:
    data = {**report_form, field: value}
    if not value:
        del data[field]
    response = post(client, data, [files.jpeg()])
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].errors[field])
    assert message.lower() in errors.lower().replace(".", ""), errors
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    # The photo that passed its checks waits in the session's holding area only.
    assert files_on_disk(media / "reports") == []
    assert [row.original_name for row in HeldUpload.objects.all()] == ["anh.jpg"]
    assert response.context["form"]["title"].value() == data.get("title")


@pytest.mark.django_db
def test_wrong_captcha_is_refused(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    response = post(client, {**report_form, "captcha_1": "WRONG"}, [files.jpeg()])
    assert "Mã xác thực không đúng" in str(response.context["form"].errors["captcha"])
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_text_is_nfc_normalised_and_stripped(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    decomposed = "  Đường Nguye\u0302\u0303n Huệ bị ngập nước  "
    post(client, {**report_form, "title": decomposed, "full_name": "  Trần  Thị Bình "})
    report = Report.objects.get()
    assert report.title == "Đường Nguyễn Huệ bị ngập nước"
    assert report.full_name == "Trần Thị Bình"


@pytest.mark.django_db
def test_script_in_title_is_stored_as_text_and_shown_escaped(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    title = "<script>alert('x')</script> ổ gà"
    post(client, {**report_form, "title": title})
    report = Report.objects.get()
    assert report.title == title
    html = client.get(f"/phan-anh/{report.code}/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.upload("anh.jpg", files.EXECUTABLE), "loại tệp không được chấp nhận"),
        (files.upload("anh.jpg", files.HTML), "loại tệp không được chấp nhận"),
        (
            files.upload("hinh.svg", files.SVG, "image/svg+xml"),
            "loại tệp không được chấp nhận",
        ),
        (files.bomb_png(), "điểm ảnh quá lớn"),
        (files.truncated_jpeg(), "hỏng"),
    ],
    ids=["exe-as-jpg", "html-as-jpg", "svg", "bomb", "truncated"],
)
def test_bad_file_refuses_the_form_naming_the_file_and_holds_the_good_one(
    client: Client, report_form: dict[str, str], media: Path, upload: Any, message: str
) -> None:
    upload.seek(0)
    response = post(client, report_form, [files.jpeg("tot.jpg"), upload])
    assert response.status_code == 200
    errors = str(response.context["form"].errors["attachments"])
    assert upload.name in errors
    assert message in errors
    assert Report.objects.count() == 0
    assert files_on_disk(media / "reports") == []
    assert [row.original_name for row in HeldUpload.objects.all()] == ["tot.jpg"]


@pytest.mark.django_db
def test_sixth_file_and_oversize_file_are_refused(
    client: Client, report_form: dict[str, str], media: Path, settings: Any
) -> None:
    six = [files.jpeg(f"anh{n}.jpg") for n in range(6)]
    response = post(client, report_form, six)
    errors = str(response.context["form"].errors["attachments"])
    assert "anh5.jpg" in errors and "tối đa 5 tệp" in errors
    assert HeldUpload.objects.count() == 5  # the first five passed and wait
    settings.REPORT_MAX_FILE_SIZE = 200
    response = post(Client(), report_form, [files.jpeg("lon.jpg")])
    errors = str(response.context["form"].errors["attachments"])
    assert "lon.jpg" in errors and "lớn hơn" in errors
    assert Report.objects.count() == 0
    assert files_on_disk(media / "reports") == []


@pytest.mark.django_db
def test_original_name_with_folders_or_300_characters_is_sanitised(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    long_name = "ổ gà " * 60 + ".jpg"
    post(
        client, report_form, [files.jpeg("../../../etc/anh.jpg"), files.jpeg(long_name)]
    )
    names = [a.original_name for a in Report.objects.get().attachments.all()]
    assert names[0] == "anh.jpg"
    assert len(names[1]) <= 255 and names[1].endswith(".jpg")
    assert all(".." not in path.as_posix() for path in files_on_disk(media))


@pytest.mark.django_db
def test_stored_jpeg_has_no_exif_gps(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    post(client, report_form, [files.jpeg("gps.jpg", gps=True)])
    attachment = Attachment.objects.get()
    stored = Image.open(media / attachment.file.name)
    assert stored.format == "JPEG"
    assert files.GPS_IFD not in stored.getexif()
    assert b"Exif" not in (media / attachment.file.name).read_bytes()


@pytest.mark.django_db
def test_pdf_and_docx_are_stored_as_sent(
    client: Client, report_form: dict[str, str], media: Path
) -> None:
    pdf, docx = files.pdf(), files.docx()
    post(client, report_form, [pdf, docx])
    stored = {a.original_name: a for a in Attachment.objects.all()}
    assert stored["don.pdf"].content_type == "application/pdf"
    assert stored["don.docx"].content_type.endswith("wordprocessingml.document")
    pdf.seek(0)
    assert (media / stored["don.pdf"].file.name).read_bytes() == pdf.read()
    assert not stored["don.pdf"].thumbnail


@pytest.mark.django_db
def test_aborted_submission_leaves_no_rows_and_no_files(
    monkeypatch: pytest.MonkeyPatch, media: Path, captcha_pass: dict[str, str]
) -> None:
    calls = {"n": 0}
    real_store = services.store_attachment

    def store_then_fail(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_store(*args, **kwargs)

    monkeypatch.setattr(services, "store_attachment", store_then_fail)
    data = {
        "full_name": "Trần Thị Bình",
        "id_number": "058190004321",
        "email": "binh@example.vn",
        "phone": "0987654321",
        "location": "Phường Mỹ Hải",
        "title": "Ổ gà lớn trên đường",
        "content": "Mặt đường có nhiều ổ gà sâu và nguy hiểm.",
    }
    with pytest.raises(OSError, match="disk full"):
        services.submit_report(
            data=data, files=[files.jpeg("a.jpg"), files.jpeg("b.jpg")], user=None
        )
    assert calls["n"] == 2  # the first file was written before the failure
    assert Report.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert StatusChange.objects.count() == 0
    assert files_on_disk(media) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_rate_limit_per_ip(
    client: Client, report_form: dict[str, str], media: Path, settings: Any
) -> None:
    settings.REPORT_RATE_LIMIT = (2, 3600)
    for _ in range(2):
        assert post(client, report_form).status_code == 302
    response = post(client, report_form)
    assert response.status_code == 200
    assert "quá nhiều phản ánh" in str(response.context["form"].non_field_errors())
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_rate_limit_per_account_across_addresses(
    client: Client,
    citizen: Any,
    report_form: dict[str, str],
    media: Path,
    settings: Any,
) -> None:
    settings.REPORT_RATE_LIMIT = (1, 3600)
    client.force_login(citizen)
    assert client.post(URL, report_form, REMOTE_ADDR="1.1.1.1").status_code == 302
    response = client.post(URL, report_form, REMOTE_ADDR="2.2.2.2")
    assert "quá nhiều phản ánh" in str(response.context["form"].non_field_errors())
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_rate_limit_zero_is_off(
    client: Client, report_form: dict[str, str], media: Path, settings: Any
) -> None:
    settings.REPORT_RATE_LIMIT = (0, 0)
    for _ in range(12):
        assert post(client, report_form).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_codes(media: Path) -> None:
    data = {
        "full_name": "Trần Thị Bình",
        "id_number": "058190004321",
        "email": "binh@example.vn",
        "phone": "0987654321",
        "location": "Phường Mỹ Hải",
        "title": "Ổ gà lớn trên đường",
        "content": "Mặt đường có nhiều ổ gà sâu và nguy hiểm.",
    }
    # SQLite allows one writer at a time (the shared-cache test database would
    # raise "table is locked"), so there the threads take turns; PostgreSQL runs
    # them truly at once.
    turn = threading.Lock() if connection.vendor == "sqlite" else None
    start = threading.Barrier(20)
    codes: list[str] = []
    errors: list[BaseException] = []

    def file_one(n: int) -> None:
        from django.db import connections

        try:
            start.wait()
            if turn is not None:
                with turn:
                    report = services.submit_report(
                        data=data, files=[files.jpeg(f"{n}.jpg")], user=None
                    )
            else:
                report = services.submit_report(
                    data=data, files=[files.jpeg(f"{n}.jpg")], user=None
                )
            codes.append(report.code)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=file_one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(codes)) == 20
    assert Report.objects.count() == 20
    assert Attachment.objects.count() == 20


@pytest.mark.django_db
def test_request_far_over_the_limits_is_refused_unread(
    client: Client, report_form: dict[str, str], media: Path, settings: Any
) -> None:
    settings.REPORT_MAX_TOTAL_SIZE = 0
    big = files.upload(
        "lon.jpg", files.image_bytes(size=(2000, 2000)) + b"\0" * 1_100_000
    )
    response = post(client, report_form, [big])
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()
    assert Report.objects.count() == 0
    assert files_on_disk(media) == []


@pytest.mark.django_db
def test_each_photo_is_decoded_once_and_its_checked_copy_is_stored(
    client: Client, report_form: dict[str, str], media: Path, decodes: list[str]
) -> None:
    response = post(
        client, report_form, [files.jpeg("a.jpg"), files.png("b.png"), files.pdf()]
    )
    assert response.status_code == 302
    assert sorted(decodes) == ["a.jpg", "b.png"]
    stored = {a.original_name: a for a in Report.objects.get().attachments.all()}
    assert Image.open(media / stored["a.jpg"].file.name).format == "JPEG"
    assert Image.open(media / stored["b.png"].thumbnail.name).format == "WEBP"


@pytest.mark.django_db
def test_a_held_photo_is_not_decoded_again_when_the_form_is_sent_again(
    client: Client, report_form: dict[str, str], media: Path, decodes: list[str]
) -> None:
    refused = post(client, {**report_form, "title": "ngắn"}, [files.jpeg("a.jpg")])
    assert refused.status_code == 200
    assert HeldUpload.objects.count() == 1
    assert post(client, report_form).status_code == 302
    assert decodes == ["a.jpg"]
    assert Report.objects.get().attachments.get().original_name == "a.jpg"
