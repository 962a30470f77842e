"""Every form with errors leads with an error summary linking to each field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from feedback.models import Rating
from tests.factories import ReportFactory


def summary_of(html: str) -> str:
    match = re.search(r"<div class=\"error-summary[^>]*>(.*?)</div>", html, re.S)
    assert match, "no error summary on the page"
    opening = match.group(0)[: match.group(0).index(">") + 1]
    assert 'tabindex="-1"' in opening and "hidden" not in opening
    return match.group(1)


def links_of(summary: str) -> dict[str, str]:
    return dict(re.findall(r'<a href="#([^"]+)"[^>]*>([^<]+)</a>', summary))


def field_tag(html: str, field_id: str) -> str:
    match = re.search(
        rf"<(?:input|textarea|select)[^>]*\bid=\"{field_id}\"[^>]*>", html
    )
    assert match, field_id
    return match.group(0)


@pytest.mark.django_db
def test_report_form_summary_links_each_error_to_its_field(
    client: Client, report_form: dict[str, str]
) -> None:
    data = {**report_form, "title": "Ổ gà"}
    del data["consent"]
    html = client.post("/gui-phan-anh/", data).content.decode()
    summary = summary_of(html)
    assert "Có lỗi cần sửa trước khi gửi" in summary
    links = links_of(summary)
    assert links["id_title"] == "Tiêu đề cần ít nhất 10 ký tự (hiện có 4)."
    assert "đồng ý xử lý dữ liệu cá nhân" in links["id_consent"]
    for field_id in ("id_title", "id_consent"):
        tag = field_tag(html, field_id)
        assert 'aria-invalid="true"' in tag
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        assert described and f"{field_id}_error" in described.group(1).split()
        assert f'id="{field_id}_error"' in html


@pytest.mark.django_db
def test_wrong_captcha_links_to_the_answer_box(
    client: Client, report_form: dict[str, str]
) -> None:
    html = client.post(
        "/gui-phan-anh/", {**report_form, "captcha_1": "SAI"}
    ).content.decode()
    links = links_of(summary_of(html))
    assert "Mã xác thực không đúng" in links["id_captcha_1"]
    tag = field_tag(html, "id_captcha_1")
    assert 'aria-invalid="true"' in tag and "id_captcha_1_error" in tag


@pytest.mark.django_db
def test_report_form_without_errors_has_only_a_hidden_summary(client: Client) -> None:
    html = client.get("/gui-phan-anh/").content.decode()
    assert re.search(r"<div class=\"error-summary[^>]*\bhidden\b", html)
    # The client checks carry the server's own messages.
    assert 'data-msg-minlength="Tiêu đề cần ít nhất 10 ký tự (hiện có {count})."' in (
        html
    )
    assert "data-max-files=" in html and "data-msg-max-size=" in html


@pytest.mark.django_db
def test_registration_errors_are_summarised(client: Client) -> None:
    html = client.post("/dang-ky/", {"username": "", "email": "x"}).content.decode()
    links = links_of(summary_of(html))
    assert "id_username" in links and "id_email" in links
    assert 'aria-invalid="true"' in field_tag(html, "id_username")


@pytest.mark.django_db
def test_login_error_is_summarised(client: Client) -> None:
    html = client.post(
        "/dang-nhap/", {"username": "khong-co", "password": "sai-mat-khau"}
    ).content.decode()
    assert summary_of(html).strip()


@pytest.mark.django_db
def test_profile_and_password_errors_are_summarised(
    client: Client, citizen: Any
) -> None:
    client.force_login(citizen)
    html = client.post("/tai-khoan/", {"full_name": ""}).content.decode()
    assert "id_full_name" in links_of(summary_of(html))
    html = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": "sai"}
    ).content.decode()
    assert "id_new_password1" in links_of(summary_of(html))


@pytest.mark.django_db
def test_rating_without_a_choice_is_a_form_error_on_the_page(
    client: Client, citizen: Any
) -> None:
    report = ReportFactory(published=True, reporter=citizen)
    client.force_login(citizen)
    response = client.post(f"/phan-anh/{report.code}/danh-gia/", {"comment": "ok"})
    assert response.status_code == 200
    html = response.content.decode()
    links = links_of(summary_of(html))
    assert links["id_satisfied_0"] == "Vui lòng chọn mức độ hài lòng."
    assert 'aria-invalid="true"' in field_tag(html, "id_satisfied_0")
    assert not Rating.objects.exists()
