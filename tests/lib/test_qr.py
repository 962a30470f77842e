"""The one QR helper: an inline SVG named for screen readers."""

from __future__ import annotations

from portal.lib.qr import qr_svg


def test_qr_is_an_inline_svg_named_by_its_escaped_label() -> None:
    svg = qr_svg("https://zalo.me/123", 'Mã QR "Zalo" <thử>')
    assert svg.startswith("<svg ")
    assert 'role="img"' in svg
    assert 'aria-label="Mã QR &quot;Zalo&quot; &lt;thử&gt;"' in svg
    assert "<thử>" not in svg


def test_qr_scale_changes_the_size_and_codes_differ_by_url() -> None:
    small = qr_svg("https://zalo.me/123", "QR", scale=2)
    large = qr_svg("https://zalo.me/123", "QR", scale=4)
    assert small != large
    assert qr_svg("https://zalo.me/456", "QR", scale=2) != small
