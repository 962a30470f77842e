# ruff: noqa: E501  (prose data reads better unwrapped)
"""Demo announcements, guides and links for seed_demo (filled by the stats app)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TextIO

from django.utils import timezone

from stats.models import Announcement, Guide, GuideKind, VisitCounter, WebsiteLink

# The two announcements named in the seed, then a few more.
ANNOUNCEMENTS: list[dict[str, Any]] = [
    {
        "title": "Thông báo thay đổi Cơ quan Thường trực phòng, chống mua bán người "
        "của Bộ Công an",
        "summary": "Căn cứ Công văn số 1001 / BCA - V01 ngày 07/4/2021 của Bộ Công an "
        "về việc thông báo thay đổi Cơ quan Thường trực phòng , chống mua bán người "
        "của Bộ Công an, Ban Chỉ đạo tỉnh thông báo để các cơ quan, đơn vị và nhân dân "
        "biết, liên hệ.",
        "body": "Căn cứ Công văn số 1001/BCA-V01 ngày 07/4/2021 của Bộ Công an về việc "
        "thông báo thay đổi Cơ quan Thường trực phòng, chống mua bán người của Bộ "
        "Công an.\n\nKể từ ngày Công văn có hiệu lực, Cơ quan Thường trực phòng, chống "
        "mua bán người của Bộ Công an là **Cục Cảnh sát hình sự (C02)**. Các cơ quan, "
        "đơn vị, địa phương khi có thông tin liên quan đến công tác phòng, chống mua "
        "bán người đề nghị liên hệ, trao đổi với cơ quan nêu trên.\n\n"
        "Người dân phát hiện dấu hiệu mua bán người có thể gửi phản ánh trên Hệ thống "
        "hoặc báo ngay cho cơ quan công an gần nhất.",
        "days_ago": 30,
    },
    {
        "title": "Danh sách các cơ quan, đơn vị, cá nhân trực tiếp nhận thông tin phản ánh "
        "liên quan công tác phòng, chống dịch Covid-19 trên địa bàn huyện Bác Ái",
        "summary": "Ban Chỉ đạo phòng chống Covid-19 huyện Bác Ái thông báo danh sách các "
        "cơ quan, đơn vị, cá nhân trực tiếp nhận thông tin phản ánh về phòng, chống "
        "Covid-19 trên địa bàn huyện để người dân kịp thời liên hệ.",
        "body": "Ban Chỉ đạo phòng chống Covid-19 huyện Bác Ái thông báo danh sách các "
        "cơ quan, đơn vị, cá nhân trực tiếp nhận thông tin phản ánh liên quan công tác "
        "phòng, chống dịch Covid-19 trên địa bàn huyện:\n\n"
        "| Cơ quan, đơn vị | Điện thoại |\n|---|---|\n"
        "| Trung tâm Y tế huyện Bác Ái | 0259 3xxx xxx |\n"
        "| Công an huyện Bác Ái | 0259 3xxx xxx |\n"
        "| UBND các xã | Theo danh bạ của từng xã |\n\n"
        "Người dân có thể gửi phản ánh trực tiếp trên Hệ thống Phản ánh hiện trường.",
        "days_ago": 40,
    },
    {
        "title": "Ra mắt Hệ thống Phản ánh hiện trường Ninh Thuận phiên bản mới",
        "summary": "Hệ thống được nâng cấp: gửi phản ánh kèm nhiều ảnh, theo dõi bằng mã "
        "phản ánh, xem kết quả xử lý và thống kê công khai trên điện thoại.",
        "body": "Từ nay người dân có thể gửi phản ánh kèm nhiều ảnh, theo dõi tiến độ "
        "bằng **mã phản ánh** và đánh giá kết quả xử lý.\n\n"
        "- Gửi phản ánh không cần tài khoản\n- Tra cứu bằng mã phản ánh\n"
        "- Thống kê kết quả xử lý công khai",
        "days_ago": 2,
        "pinned": True,
    },
    {
        "title": "Tạm ngừng hệ thống để bảo trì định kỳ",
        "summary": "Hệ thống tạm ngừng phục vụ từ 22 giờ đến 23 giờ ngày thứ Bảy hằng tuần "
        "để bảo trì; phản ánh gửi qua Zalo vẫn được tiếp nhận.",
        "body": "Hệ thống tạm ngừng phục vụ từ 22 giờ đến 23 giờ ngày thứ Bảy hằng tuần "
        "để bảo trì định kỳ. Trong thời gian này, phản ánh gửi qua Zalo vẫn được "
        "tiếp nhận và xử lý sau khi hệ thống hoạt động trở lại.",
        "days_ago": 10,
    },
    {
        "title": "Hướng dẫn phân loại rác thải sinh hoạt tại nguồn",
        "summary": "Sở Tài nguyên và Môi trường hướng dẫn người dân phân loại rác thải "
        "sinh hoạt thành ba nhóm: rác hữu cơ, rác tái chế và rác còn lại.",
        "body": "Người dân phân loại rác thải sinh hoạt thành ba nhóm: **rác hữu cơ**, "
        "**rác tái chế** và **rác còn lại**. Điểm tập kết rác không đúng quy định "
        "có thể phản ánh trên Hệ thống.",
        "days_ago": 20,
    },
]

_WEB_BODY = """Từ Hệ thống Phản ánh hiện trường Ninh Thuận tại địa chỉ \
https://tuongtac.ninhthuan.gov.vn thực hiện các bước:

## Đăng ký tài khoản

**Bước 1:** Chọn chức năng **Đăng ký** trên thanh Menu.

**Bước 2:** Nhập đầy đủ thông tin các trường bắt buộc (*), bao gồm:

- **Tài khoản:** Tài khoản dùng đăng nhập hệ thống
- **Mật khẩu:** Mật khẩu bảo mật tài khoản
- **Họ và tên:** Họ tên đầy đủ người đăng ký
- **CMND/CCCD:** Số chứng minh nhân dân hoặc căn cước công dân
- **Địa chỉ:** Địa chỉ của người đăng ký
- **Email:** Hộp thư điện tử người đăng ký
- **Số điện thoại:** Số điện thoại người đăng ký
- **Mã xác thực:** Nhập mã xác thực

**Bước 3:** Nhấn nút **Đăng ký** trên màn hình. Hệ thống sẽ kiểm tra và xác nhận tài \
khoản. Sau khi Hệ thống thông báo **Đăng ký tài khoản thành công** Ông/Bà có thể đăng \
nhập Hệ thống bằng tài khoản vừa tạo.

## Gửi phản ánh

**Bước 1:** Chọn chức năng **Gửi phản ánh** trên thanh Menu.

**Bước 2:** Nhập đầy đủ thông tin các trường bắt buộc (*), bao gồm:

- **Họ và tên:** Họ tên đầy đủ người đăng ký
- **CMND/CCCD:** Số chứng minh nhân dân hoặc căn cước công dân
- **Vị trí diễn ra:** Vị trí chi tiết nơi xảy ra sự việc
- **Email:** Hộp thư điện tử người đăng ký
- **Số điện thoại:** Số điện thoại người đăng ký
- **Tiêu đề:** Tóm tắt ý kiến cần phản ánh
- **Nội dung:** Miêu tả chi tiết ý kiến cần phản ánh, kiến nghị
- **Đính kèm:** Các tệp tin liên quan tới phản ánh, kiến nghị (nếu có)
- **Mã xác thực:** Nhập mã xác thực

**Bước 3:** Nhấn nút **Gửi phản ánh** trên màn hình. Hệ thống sẽ kiểm tra và xác nhận \
ý kiến phản ánh - kiến nghị. Hãy ghi lại **mã phản ánh** để tra cứu kết quả xử lý.
"""

# The App guide as first seeded (a native app); replaced by _APP_BODY on the next
# seed unless an editor has changed it since.
_OLD_APP_BODY = (
    "**Bước 1:** Tải ứng dụng *Ninh Thuận Smart* trên App Store hoặc "
    "Google Play.\n\n**Bước 2:** Đăng nhập bằng tài khoản đã đăng ký trên web "
    "(hoặc đăng ký mới ngay trên ứng dụng).\n\n**Bước 3:** Chọn **Phản ánh hiện "
    "trường**, chụp ảnh sự việc, nhập vị trí, tiêu đề và nội dung rồi nhấn **Gửi "
    "phản ánh**.\n\n**Bước 4:** Theo dõi kết quả xử lý trong mục **Phản ánh của "
    "tôi**; ứng dụng báo khi cơ quan xử lý trả lời."
)

_APP_BODY = """\
Hệ thống là một **ứng dụng web**: cài lên màn hình chính của điện thoại như một \
ứng dụng, không cần tải từ kho ứng dụng, và vẫn mở được khi mất mạng.

## Trên điện thoại Android (Chrome)

**Bước 1:** Mở trang của Hệ thống bằng **Chrome**.

**Bước 2:** Nhấn nút **⋮** (góc trên bên phải), chọn **Thêm vào màn hình chính** \
hoặc **Cài đặt ứng dụng**, rồi nhấn **Cài đặt**.

**Bước 3:** Mở ứng dụng **Phản ánh NT** từ màn hình chính.

## Trên iPhone (Safari)

**Bước 1:** Mở trang của Hệ thống bằng **Safari**.

**Bước 2:** Nhấn nút **Chia sẻ** (hình vuông có mũi tên lên), chọn \
**Thêm vào MH chính**, rồi nhấn **Thêm**.

**Bước 3:** Mở ứng dụng **Phản ánh NT** từ màn hình chính.

## Khi không có mạng

Trang **Gửi phản ánh** vẫn mở được. Điền thông tin, đính kèm ảnh rồi nhấn \
**Lưu bản nháp trên máy này**: bản nháp (kể cả ảnh) chỉ lưu trên điện thoại của \
Ông/Bà. Khi có mạng, trang báo có phản ánh chưa gửi; mở bản nháp, tích ô đồng ý, \
nhập mã xác thực và nhấn **Gửi phản ánh**. Bản nháp được xoá khỏi máy sau khi \
gửi thành công.

## Dành cho đơn vị phát triển ứng dụng

Ứng dụng Zalo, Facebook hay ứng dụng của tỉnh có thể gửi và theo dõi phản ánh \
qua [API Open311](/open311/).
"""

GUIDES: list[dict[str, Any]] = [
    {
        "slug": "huong-dan-su-dung-tren-web",
        "title": "Hướng dẫn sử dụng trên Web",
        "kind": GuideKind.WEB,
        "summary": "Đăng ký tài khoản và gửi phản ánh trên trang web của Hệ thống.",
        "body": _WEB_BODY,
    },
    {
        "slug": "huong-dan-su-dung-tren-app",
        "title": "Hướng dẫn sử dụng trên App",
        "kind": GuideKind.APP,
        "summary": "Cài Hệ thống lên điện thoại như một ứng dụng và gửi phản ánh cả khi mất mạng.",
        "body": _APP_BODY,
    },
    {
        "slug": "huong-dan-su-dung-quet-ma-qr-zalo",
        "title": "Hướng dẫn sử dụng quét mã QR ZALO",
        "kind": GuideKind.ZALO,
        "summary": "Quét mã QR bằng Zalo để quan tâm Zalo OA và gửi phản ánh qua Zalo.",
        "body": "**Bước 1:** Mở ứng dụng **Zalo** trên điện thoại, chọn biểu tượng "
        "**quét mã QR**.\n\n**Bước 2:** Quét mã QR ở trang này để mở trang Zalo "
        "Official Account của Hệ thống, nhấn **Quan tâm**.\n\n**Bước 3:** Chọn "
        "**Gửi phản ánh** trong menu của Zalo OA, nhập thông tin và gửi kèm hình "
        "ảnh.\n\n**Bước 4:** Kết quả xử lý được gửi lại qua tin nhắn Zalo.",
    },
    {
        "slug": "huong-dan-su-dung-tren-facebook",
        "title": "Hướng dẫn sử dụng trên Facebook",
        "kind": GuideKind.FACEBOOK,
        "summary": "Gửi phản ánh qua trang Facebook của Hệ thống.",
        "body": "**Bước 1:** Mở trang Facebook của Hệ thống Phản ánh hiện trường Ninh "
        "Thuận (nút bên dưới).\n\n**Bước 2:** Nhấn **Nhắn tin** và chọn **Gửi phản "
        "ánh**.\n\n**Bước 3:** Nhập họ tên, số điện thoại, vị trí và nội dung phản "
        "ánh, gửi kèm hình ảnh nếu có.\n\n**Bước 4:** Hệ thống trả lời mã phản ánh "
        "để Ông/Bà tra cứu kết quả xử lý trên trang web.",
    },
]

# Seeded texts replaced since; an editor's own text is never overwritten.
_OLD_BODIES = {"huong-dan-su-dung-tren-app": _OLD_APP_BODY}

LINKS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn"),
    ("Cổng thông tin điện tử tỉnh Ninh Thuận", "https://www.ninhthuan.gov.vn"),
    ("Cổng Dịch vụ công tỉnh Ninh Thuận", "https://dichvucong.ninhthuan.gov.vn"),
    ("Cổng thông tin điện tử Chính phủ", "https://chinhphu.vn"),
    (
        "Hệ thống tiếp nhận, trả lời phản ánh, kiến nghị",
        "https://pakn.dichvucong.gov.vn",
    ),
]


def seed(out: TextIO, **options: Any) -> None:
    now = timezone.now()
    for item in ANNOUNCEMENTS:
        published_at: datetime = now - timedelta(days=item["days_ago"])
        Announcement.objects.get_or_create(
            title=item["title"],
            defaults={
                "summary": item["summary"],
                "body": item["body"],
                "is_published": True,
                "published_at": published_at,
                "pinned": item.get("pinned", False),
            },
        )
    for order, item in enumerate(GUIDES):
        guide, created = Guide.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "kind": item["kind"],
                "summary": item["summary"],
                "body": item["body"],
                "order": order,
            },
        )
        if not created and guide.body == _OLD_BODIES.get(guide.slug):
            guide.body = item["body"]
            guide.summary = item["summary"]
            guide.save(update_fields=["body", "summary"])
    for order, (name, url) in enumerate(LINKS):
        WebsiteLink.objects.get_or_create(
            url=url, defaults={"name": name, "order": order}
        )
    # The visitor total the seed shows; never lowered once the portal has counted.
    VisitCounter.objects.get_or_create(name="visits", defaults={"total": 183_766})
    # The summary is already right (database triggers); figures cached before
    # the demo reports were written are not.
    from stats.selectors import bump_figures_version

    bump_figures_version()
    out.write(
        f"  {len(ANNOUNCEMENTS)} thông báo, {len(GUIDES)} hướng dẫn, "
        f"{len(LINKS)} liên kết website\n"
    )
