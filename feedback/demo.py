"""Demo categories, agencies and reports for seed_demo (idempotent)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from feedback.models import (
    Agency,
    Category,
    Channel,
    Rating,
    ReplyTemplate,
    Report,
    Status,
    StatusChange,
    search_key,
)
from places.models import AdministrativeUnit
from portal.lib.codes import ALPHABET, PREFIX
from portal.lib.text import strip_accents

CATEGORIES = [
    "Môi trường",
    "Giao thông",
    "Đất đai",
    "Xây dựng",
    "Trật tự đô thị",
    "Y tế",
    "Giáo dục",
    "Điện - Nước",
    "An ninh trật tự",
    "Khác",
]
URGENT_CATEGORIES = {"An ninh trật tự"}

AGENCIES = [
    ("so-tnmt", "Sở Tài nguyên và Môi trường", "stnmt@example.vn"),
    ("so-gtvt", "Sở Giao thông vận tải", "sgtvt@example.vn"),
    ("so-xd", "Sở Xây dựng", "sxd@example.vn"),
    ("so-yt", "Sở Y tế", "syt@example.vn"),
    ("so-gddt", "Sở Giáo dục và Đào tạo", "sgddt@example.vn"),
    ("ubnd-prtc", "UBND thành phố Phan Rang - Tháp Chàm", "ubndtp@example.vn"),
    ("cong-an", "Công an tỉnh", "congan@example.vn"),
]

# Category -> (agency code, [(title, content)]). "{place}" is filled with a place.
ISSUES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "Môi trường": (
        "so-tnmt",
        [
            (
                "Rác thải tồn đọng nhiều ngày tại {place}",
                "Rác sinh hoạt tập kết bên lề đường đã nhiều ngày chưa được thu gom, "
                "bốc mùi hôi thối, ruồi nhặng nhiều, ảnh hưởng sức khoẻ người dân.",
            ),
            (
                "Xưởng chế biến hải sản xả nước thải ra biển gần {place}",
                "Vào ban đêm, cơ sở chế biến xả nước thải chưa qua xử lý ra bờ biển, "
                "nước có màu đen và mùi tanh nồng. Đề nghị cơ quan chức năng kiểm tra.",
            ),
            (
                "Đốt rác gây khói bụi tại {place}",
                "Một số hộ thường xuyên đốt rác, rơm rạ vào buổi chiều, khói bay vào "
                "khu dân cư, trẻ nhỏ bị ho. Mong chính quyền nhắc nhở, xử lý.",
            ),
        ],
    ),
    "Giao thông": (
        "so-gtvt",
        [
            (
                "Ổ gà lớn trên đường tại {place}",
                "Mặt đường xuất hiện nhiều ổ gà sâu, trời mưa đọng nước, người đi xe "
                "máy đã bị té ngã. Đề nghị sớm sửa chữa để bảo đảm an toàn.",
            ),
            (
                "Đèn tín hiệu giao thông không hoạt động ở {place}",
                "Đèn tín hiệu tại nút giao bị tắt từ nhiều ngày nay, giờ cao điểm xe "
                "cộ đi lộn xộn, nguy cơ tai nạn rất cao.",
            ),
            (
                "Biển báo bị che khuất tại {place}",
                "Cây xanh mọc che kín biển báo hạn chế tốc độ, tài xế không quan sát "
                "được. Đề nghị cắt tỉa cây và kiểm tra lại biển báo.",
            ),
        ],
    ),
    "Đất đai": (
        "so-tnmt",
        [
            (
                "Chậm cấp giấy chứng nhận quyền sử dụng đất tại {place}",
                "Gia đình tôi nộp hồ sơ cấp giấy chứng nhận đã quá thời hạn hẹn trả "
                "nhưng chưa nhận được kết quả, cũng không được thông báo lý do.",
            ),
            (
                "Lấn chiếm đất công làm quán tại {place}",
                "Một số hộ dựng quán tạm trên phần đất công viên, lấn ra cả vỉa hè, "
                "gây mất mỹ quan và cản trở người đi bộ.",
            ),
        ],
    ),
    "Xây dựng": (
        "so-xd",
        [
            (
                "Công trình xây dựng không che chắn tại {place}",
                "Công trình nhà ở đang thi công không có lưới che chắn, vật liệu rơi "
                "xuống đường, bụi bay sang nhà bên cạnh.",
            ),
            (
                "Xây dựng sai phép tại {place}",
                "Công trình xây thêm tầng so với giấy phép được cấp, lấn sang ranh "
                "đất nhà bên cạnh. Đề nghị kiểm tra và xử lý theo quy định.",
            ),
        ],
    ),
    "Trật tự đô thị": (
        "ubnd-prtc",
        [
            (
                "Lấn chiếm vỉa hè buôn bán tại {place}",
                "Các hộ kinh doanh bày hàng hoá kín vỉa hè, người đi bộ phải đi "
                "xuống lòng đường rất nguy hiểm, nhất là học sinh.",
            ),
            (
                "Quảng cáo rao vặt dán tràn lan tại {place}",
                "Cột điện, tường nhà bị dán quảng cáo khoan cắt bê tông, cho vay "
                "tiền dày đặc, gây mất mỹ quan đô thị.",
            ),
        ],
    ),
    "Y tế": (
        "so-yt",
        [
            (
                "Cơ sở kinh doanh thực phẩm mất vệ sinh tại {place}",
                "Quán ăn để thực phẩm sống chung với thức ăn chín, không có tủ bảo "
                "quản, nhiều khách bị đau bụng sau khi ăn.",
            ),
            (
                "Thời gian chờ khám bệnh quá lâu tại {place}",
                "Người bệnh phải chờ từ sáng sớm đến trưa mới được khám, không có "
                "hướng dẫn xếp hàng rõ ràng. Mong bệnh viện cải thiện quy trình.",
            ),
        ],
    ),
    "Giáo dục": (
        "so-gddt",
        [
            (
                "Thu các khoản ngoài quy định tại trường học ở {place}",
                "Đầu năm học, phụ huynh được yêu cầu đóng nhiều khoản không có trong "
                "danh mục thu của tỉnh. Đề nghị kiểm tra, công khai các khoản thu.",
            ),
            (
                "Phòng học xuống cấp, nguy hiểm cho học sinh tại {place}",
                "Trần phòng học bị bong tróc, nứt nhiều chỗ, mùa mưa bị dột. Phụ "
                "huynh lo lắng cho sự an toàn của các cháu.",
            ),
        ],
    ),
    "Điện - Nước": (
        "ubnd-prtc",
        [
            (
                "Mất nước sinh hoạt kéo dài tại {place}",
                "Khu vực bị mất nước liên tục ba ngày, không có thông báo trước, người "
                "dân phải mua nước bình để sinh hoạt.",
            ),
            (
                "Đèn chiếu sáng công cộng hư hỏng tại {place}",
                "Hệ thống đèn đường hư hỏng nhiều bóng, ban đêm tối om, đã xảy ra "
                "trộm cắp. Đề nghị sửa chữa sớm.",
            ),
        ],
    ),
    "An ninh trật tự": (
        "cong-an",
        [
            (
                "Thanh niên tụ tập đua xe vào ban đêm tại {place}",
                "Khoảng 23 giờ hằng đêm có nhóm thanh niên tụ tập rú ga, đua xe, gây "
                "mất an ninh trật tự và ảnh hưởng giấc ngủ người dân.",
            ),
            (
                "Karaoke gây ồn sau 22 giờ tại {place}",
                "Quán karaoke hoạt động đến khuya, âm thanh rất lớn vượt quy định, "
                "người dân đã nhắc nhở nhưng không thay đổi.",
            ),
        ],
    ),
    "Khác": (
        "ubnd-prtc",
        [
            (
                "Đề nghị bố trí thêm điểm tiếp nhận hồ sơ tại {place}",
                "Bộ phận một cửa thường xuyên quá tải, người dân phải chờ rất lâu. "
                "Kiến nghị bố trí thêm quầy hoặc tiếp nhận trực tuyến.",
            ),
        ],
    ),
}

PLACES = [
    "đường 16/4, phường Mỹ Hải, TP. Phan Rang - Tháp Chàm",
    "đường Thống Nhất, phường Thanh Sơn, TP. Phan Rang - Tháp Chàm",
    "đường Ngô Gia Tự, phường Tấn Tài, TP. Phan Rang - Tháp Chàm",
    "chợ Phan Rang, phường Kinh Dinh, TP. Phan Rang - Tháp Chàm",
    "khu phố 3, phường Đô Vinh, TP. Phan Rang - Tháp Chàm",
    "bãi biển Bình Sơn, phường Mỹ Bình, TP. Phan Rang - Tháp Chàm",
    "thôn Vĩnh Hy, xã Vĩnh Hải, huyện Ninh Hải",
    "thôn Khánh Hội, xã Tri Hải, huyện Ninh Hải",
    "thị trấn Khánh Hải, huyện Ninh Hải",
    "thôn Tân An, xã Phước Hậu, huyện Ninh Phước",
    "thị trấn Phước Dân, huyện Ninh Phước",
    "thôn Sơn Hải, xã Phước Dinh, huyện Thuận Nam",
    "thôn Phú Thọ, xã Phước Nam, huyện Thuận Nam",
    "thị trấn Tân Sơn, huyện Ninh Sơn",
    "xã Lâm Sơn, huyện Ninh Sơn",
    "thôn Ma Nới, xã Ma Nới, huyện Ninh Sơn",
    "thôn Ba Râu, xã Công Hải, huyện Thuận Bắc",
    "xã Lợi Hải, huyện Thuận Bắc",
    "xã Phước Đại, huyện Bác Ái",
    "xã Phước Bình, huyện Bác Ái",
]

# Each demo place's commune since 1 July 2025 and a point near it (approximate).
PLACE_POINTS: dict[str, tuple[str, float, float]] = {
    PLACES[0]: ("22780", 11.5560, 109.0220),
    PLACES[1]: ("22759", 11.5690, 108.9880),
    PLACES[2]: ("22759", 11.5650, 108.9960),
    PLACES[3]: ("22759", 11.5640, 108.9900),
    PLACES[4]: ("22738", 11.5980, 108.9620),
    PLACES[5]: ("22780", 11.5800, 109.0200),
    PLACES[6]: ("22846", 11.7170, 109.1930),
    PLACES[7]: ("22852", 11.6300, 109.0550),
    PLACES[8]: ("22834", 11.6050, 109.0400),
    PLACES[9]: ("22873", 11.5100, 108.9300),
    PLACES[10]: ("22870", 11.5200, 108.8800),
    PLACES[11]: ("22888", 11.4300, 109.0200),
    PLACES[12]: ("22897", 11.4200, 108.9300),
    PLACES[13]: ("22810", 11.7500, 108.8000),
    PLACES[14]: ("22813", 11.7000, 108.7300),
    PLACES[15]: ("22828", 11.6600, 108.6200),
    PLACES[16]: ("22840", 11.8300, 109.1000),
    PLACES[17]: ("22849", 11.7500, 109.0200),
    PLACES[18]: ("22801", 11.8600, 108.8600),
    PLACES[19]: ("22786", 11.9700, 108.7800),
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Thu", "Quốc"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Hà",
    "Hải",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
]
PHONE_PREFIXES = ["090", "091", "093", "097", "098", "033", "035", "077", "086"]

ANSWERS = [
    "Sau khi kiểm tra thực tế, đơn vị đã phối hợp với UBND địa phương khắc phục xong "
    "tồn tại nêu trong phản ánh. Cảm ơn ông/bà đã phản ánh.",
    "Cơ quan chức năng đã lập biên bản, yêu cầu cá nhân, tổ chức liên quan chấm dứt "
    "vi phạm và tiếp tục theo dõi, xử lý nếu tái phạm.",
    "Nội dung phản ánh đúng một phần. Đơn vị đã chỉ đạo sửa chữa và sẽ đưa hạng mục "
    "vào kế hoạch duy tu năm tới.",
]
REJECTIONS = [
    "Phản ánh trùng nội dung với một phản ánh đã được tiếp nhận trước đó.",
    "Nội dung không thuộc thẩm quyền giải quyết của các cơ quan trên cổng; đề nghị "
    "liên hệ Toà án nhân dân nơi cư trú.",
    "Thông tin phản ánh chưa đủ để xác minh (không rõ vị trí cụ thể).",
]

STATUS_WEIGHTS = [
    (Status.NEW, 12),
    (Status.ACCEPTED, 10),
    (Status.IN_PROGRESS, 18),
    (Status.RESOLVED, 50),
    (Status.REJECTED, 10),
]
SEED = 20260101


def _code(rng: random.Random) -> str:
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def seed(out: TextIO, **options: Any) -> None:
    for order, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slugify(strip_accents(name)),
            defaults={
                "name": name,
                "order": order,
                # Public order and safety reports are handled within working hours.
                "is_urgent": name in URGENT_CATEGORIES,
            },
        )
    for code, name, email in AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name": name, "email": email})
    out.write(f"  {len(CATEGORIES)} lĩnh vực, {len(AGENCIES)} cơ quan xử lý\n")
    seed_routing(out)
    # Officials first: the demo history names them as the ones who acted.
    seed_officials(out)
    created = seed_reports(options.get("reports", 300))
    out.write(f"  {created} phản ánh mẫu mới\n")
    seed_reply_templates()


# Officials pick these when answering or rejecting; stored text, not UI strings.
REPLY_TEMPLATES = [
    (
        "Đã khắc phục",
        "answer",
        "Phản ánh {ma_phan_anh} “{tieu_de}” gửi ngày {ngay_gui} đã được cơ quan "
        "kiểm tra và khắc phục ngày {ngay_hom_nay}. Cảm ơn Ông/Bà đã phản ánh.",
    ),
    (
        "Ngoài phạm vi tiếp nhận",
        "rejection",
        "Nội dung phản ánh {ma_phan_anh} không thuộc phạm vi tiếp nhận của hệ thống. "
        "Đề nghị Ông/Bà liên hệ cơ quan có thẩm quyền.",
    ),
]


def seed_reply_templates() -> None:
    for name, use, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(
            name=name, defaults={"use": use, "text": text}
        )


# People's Committees of the wards that cover the old city (commune code, agency).
COMMITTEES = [
    ("22759", "ubnd-phan-rang", "UBND phường Phan Rang"),
    ("22780", "ubnd-dong-hai", "UBND phường Đông Hải"),
    ("22738", "ubnd-do-vinh", "UBND phường Đô Vinh"),
    ("22741", "ubnd-bao-an", "UBND phường Bảo An"),
]


def seed_routing(out: TextIO) -> None:
    """Commune People's Committees as agencies and one rule per category."""
    from feedback.models import RoutingRule

    units = set(AdministrativeUnit.objects.values_list("code", flat=True))
    for commune, code, name in COMMITTEES:
        if commune in units:
            Agency.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "email": f"{code}@example.vn",
                    "commune_id": commune,
                },
            )
    if RoutingRule.objects.exists():
        return
    categories = {c.name: c for c in Category.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    for name, (agency_code, _issues) in ISSUES.items():
        RoutingRule.objects.create(
            category=categories[name], agency=agencies[agency_code], priority=100
        )
    # Urban order goes to the ward where it happens, when the ward has its UBND.
    RoutingRule.objects.create(
        category=categories["Trật tự đô thị"], to_commune_committee=True, priority=50
    )
    out.write(f"  {RoutingRule.objects.count()} quy tắc phân công\n")


def _actors() -> dict[str, Any]:
    users = {
        user.username: user
        for user in get_user_model()
        .objects.filter(username__in=["admin", "tiepnhan", "congdan"])
        .select_related()
    }
    return users


def seed_reports(count: int) -> int:
    """Create the ``count`` demo reports that do not exist yet (same ones each run)."""
    # Seeded on purpose: the same demo reports each run, so a rerun adds none.
    rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
    now = timezone.now()
    categories = {c.name: c for c in Category.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    officials = _agency_officials()
    users = _actors()
    intake = users.get("tiepnhan") or users.get("admin")
    citizen = users.get("congdan")
    units = set(AdministrativeUnit.objects.values_list("code", flat=True))
    plans = [_plan(rng, n, now) for n in range(count)]
    existing = set(
        Report.objects.filter(code__in=[p["code"] for p in plans]).values_list(
            "code", flat=True
        )
    )
    new_plans = [p for p in plans if p["code"] not in existing]
    reports: list[Report] = []
    for plan in new_plans:
        category = categories.get(plan["category"])
        agency = agencies.get(plan["agency"]) if plan["routed"] else None
        mine = citizen is not None and plan["mine"]
        person = citizen if mine else None
        report = Report(
            code=plan["code"],
            reporter=person,
            full_name=person.full_name if person else plan["full_name"],
            id_number=person.id_number if person else plan["id_number"],
            email=person.email if person else plan["email"],
            phone=person.phone if person else plan["phone"],
            location=plan["location"],
            title=plan["title"],
            content=plan["content"],
            category=category,
            agency=agency,
            status=plan["status"],
            channel=plan["channel"],
            allow_publish=plan["allow_publish"],
            is_published=plan["is_published"],
            answer=plan["answer"],
            rejection_reason=plan["rejection_reason"],
            created_at=plan["created_at"],
            consent_at=plan["created_at"],
            accepted_at=plan["accepted_at"],
            resolved_at=plan["resolved_at"],
        )
        # bulk_create skips save(): the filing defaults (urgency, intake
        # deadline) and the processing deadline are set here, as the workflow would.
        report.fill_filing_defaults()
        if plan["accepted_at"]:
            report.deadline = report.processing_deadline(plan["accepted_at"])
        report.search_text = search_key(f"{report.title}\n{report.content}")
        _place_report(report, plan["place"], units)
        reports.append(report)
    Report.objects.bulk_create(reports)
    changes: list[StatusChange] = []
    ratings: list[Rating] = []
    for report, plan in zip(reports, new_plans, strict=True):
        for from_status, to_status, when, note in plan["history"]:
            if from_status == "":
                actor = report.reporter
            elif to_status == Status.RESOLVED:
                actor = officials.get(plan["agency"]) or intake
            else:  # intake accepts, rejects and routes (accepted -> in_progress)
                actor = intake
            changes.append(
                StatusChange(
                    report=report,
                    from_status=from_status,
                    to_status=to_status,
                    actor=actor,
                    note=note,
                    created_at=when,
                )
            )
        if plan["rating"] is not None:
            ratings.append(
                Rating(
                    report=report,
                    satisfied=plan["rating"],
                    reasons=[] if plan["rating"] else [Rating.Reason.NOT_FIXED],
                    comment="" if plan["rating"] else "Sự việc vẫn còn như cũ.",
                    created_at=plan["resolved_at"] + timedelta(days=1),
                )
            )
    StatusChange.objects.bulk_create(changes)
    Rating.objects.bulk_create(ratings)
    return len(reports)


def _place_report(report: Report, place: str, units: set[str]) -> None:
    """The commune and a pin a few hundred metres around the demo place."""
    code, lat, long = PLACE_POINTS[place]
    if code not in units:
        return
    # Drawn from the report's own code, so the shared draw order stays unchanged.
    rng = random.Random(report.code)  # noqa: S311 — demo data, not secrets
    report.commune_id = code
    report.latitude = Decimal(f"{lat + rng.uniform(-0.004, 0.004):.6f}")
    report.longitude = Decimal(f"{long + rng.uniform(-0.004, 0.004):.6f}")


def _agency_officials() -> dict[str, Any]:
    from feedback.models import Official

    return {
        official.agency.code: official.user
        for official in Official.objects.select_related("agency", "user")
    }


def _plan(rng: random.Random, n: int, now: datetime) -> dict[str, Any]:
    """Everything random about demo report ``n``, drawn in a fixed order."""
    code = _code(rng)
    category = rng.choice(CATEGORIES)
    agency, issues = ISSUES[category]
    title, content = rng.choice(issues)
    place = rng.choice(PLACES)
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    status = rng.choices(statuses, weights)[0]
    # Open reports are recent; finished ones spread over the last twelve months.
    age_days = (
        rng.uniform(0, 40)
        if status in (Status.NEW, Status.ACCEPTED)
        else (rng.uniform(2, 360))
    )
    created = now - timedelta(days=age_days, minutes=rng.randint(0, 600))
    history: list[tuple[str, str, datetime, str]] = [("", Status.NEW, created, "")]
    when = created
    accepted_at = resolved_at = None
    answer = rejection_reason = ""

    def later(low: float, high: float) -> datetime:
        return min(when + timedelta(days=rng.uniform(low, high)), now)

    if status == Status.REJECTED:
        when = later(0.2, 3)
        rejection_reason = rng.choice(REJECTIONS)
        history.append((Status.NEW, Status.REJECTED, when, rejection_reason))
    elif status != Status.NEW:
        when = accepted_at = later(0.1, 3)
        history.append((Status.NEW, Status.ACCEPTED, when, ""))
        if status in (Status.IN_PROGRESS, Status.RESOLVED):
            when = later(0.1, 2)
            history.append((Status.ACCEPTED, Status.IN_PROGRESS, when, ""))
        if status == Status.RESOLVED:
            # Most are answered within the 10 working days, some late.
            when = resolved_at = later(1, rng.choice([8, 12, 25]))
            answer = rng.choice(ANSWERS)
            history.append((Status.IN_PROGRESS, Status.RESOLVED, when, answer))
    allow_publish = rng.random() < 0.7
    is_published = status == Status.RESOLVED and allow_publish and rng.random() < 0.85
    rating = (
        rng.random() < 0.75
        if status == Status.RESOLVED and rng.random() < 0.5
        else None
    )
    _family, _sep, rest = name.partition(" ")
    serial = rng.randint(0, 999999)
    return {
        "code": code,
        "category": category,
        "agency": agency,
        # Accepted reports wait for routing; an agency works from in_progress on.
        "routed": status in (Status.IN_PROGRESS, Status.RESOLVED),
        "title": title.format(place=place.split(",")[0]),
        "content": content,
        "location": place[:1].upper() + place[1:] + ", tỉnh Ninh Thuận",
        "place": place,
        "full_name": name,
        "id_number": f"058{rng.randint(0, 3)}{rng.randint(60, 99)}{serial:06d}",
        "email": f"{strip_accents(rest).lower().replace(' ', '.')}.{n}@example.vn",
        "phone": rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 9999999):07d}",
        "status": status,
        "channel": rng.choices(
            [Channel.WEB, Channel.APP, Channel.ZALO, Channel.FACEBOOK], [60, 20, 15, 5]
        )[0],
        "allow_publish": allow_publish,
        "is_published": is_published,
        "answer": answer,
        "rejection_reason": rejection_reason,
        "created_at": created,
        "accepted_at": accepted_at,
        "resolved_at": resolved_at,
        "history": history,
        "rating": rating,
        "mine": n % 15 == 3,
    }


# --- Officials' demo accounts ---------------------------------------

# (username, full name, group, agency code or None)
DEMO_OFFICIALS = [
    ("tiepnhan", "Cán bộ Tiếp Nhận", "Cán bộ tiếp nhận", None),
    ("xuly1", "Cán bộ Xử Lý Môi Trường", "Cán bộ xử lý", "so-tnmt"),
    ("xuly2", "Cán bộ Xử Lý Giao Thông", "Cán bộ xử lý", "so-gtvt"),
    ("bientap", "Biên Tập Viên", "Biên tập viên", None),
]


def seed_officials(out: TextIO) -> None:
    """Staff accounts for each officials' role, printed with the demo password."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User
    from feedback.models import Official
    from feedback.roles import sync_roles

    sync_roles()
    for username, full_name, group_name, agency_code in DEMO_OFFICIALS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.vn",
                "full_name": full_name,
                "is_staff": True,
                "is_active": True,
                "email_confirmed_at": timezone.now(),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        role = group_name
        if agency_code is not None:
            agency = Agency.objects.get(code=agency_code)
            Official.objects.update_or_create(user=user, defaults={"agency": agency})
            role = f"{group_name}, {agency.name}"
        out.write(f"  tài khoản demo: {username} / {DEMO_PASSWORD} ({role})\n")
