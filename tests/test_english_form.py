"""On the English pages the report form's help texts and consent label are English."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_report_form_help_texts_and_consent_label_follow_the_language(
    client: Client,
) -> None:
    client.get("/ngon-ngu/en/?next=/")
    html = client.get("/gui-phan-anh/").content.decode()
    assert "A short summary of the issue, 10 to 200 characters." in html
    assert "I consent to state agencies processing the personal data above" in html
    assert "Tóm tắt sự việc" not in html
    assert "Tôi đồng ý cho cơ quan nhà nước" not in html
    client.get("/ngon-ngu/vi/?next=/")
    html = client.get("/gui-phan-anh/").content.decode()
    assert "Tóm tắt sự việc, từ 10 đến 200 ký tự." in html
    assert "Tôi đồng ý cho cơ quan nhà nước xử lý dữ liệu cá nhân nêu trên" in html
