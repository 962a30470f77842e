from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import User

# Valid CCCD numbers: province 058 (Ninh Thuận), century/sex digit, year, serial.
_id_numbers = factory.Sequence(lambda n: f"0580{90 + n % 10:02d}{n:06d}")
_phones = factory.Sequence(lambda n: f"091{n:07d}")
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Đặng", "Chế"]
_MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức"]
_GIVEN = ["An", "Bình", "Cúc", "Dũng", "Hà", "Khánh", "Lan", "Phúc", "Thảo"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"congdan{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    full_name = factory.Sequence(
        lambda n: f"{_FAMILY[n % 7]} {_MIDDLE[n // 7 % 5]} {_GIVEN[n // 35 % 9]}"
    )
    id_number = _id_numbers
    address = "12 Lê Duẩn, Phan Rang - Tháp Chàm, Ninh Thuận"
    phone = _phones
    is_active = True
    email_confirmed_at = factory.LazyFunction(timezone.now)
    consent_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-an-toan-2026")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


# --- stats (issue 5): reports for the statistics tests -------------------------
class StatsCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.Category"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lĩnh vực thống kê {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-thong-ke-{n}")


class StatsAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "feedback.Agency"
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Cơ quan thống kê {n}")
    code = factory.Sequence(lambda n: f"co-quan-tk-{n}")


class StatsReportFactory(factory.django.DjangoModelFactory):
    """A new report filed without an account; move it on with Report.transition."""

    class Meta:
        model = "feedback.Report"

    code = factory.Sequence(lambda n: f"PA-{n:04d}-STAT"[:12])
    full_name = "Trần Thị Bình"
    id_number = "058190004321"
    email = "binh@example.vn"
    phone = "0987654321"
    location = "Đường 16/4, Phan Rang - Tháp Chàm"
    title = factory.Sequence(lambda n: f"Đèn đường hỏng số {n}")
    content = "Đèn đường không sáng từ nhiều ngày nay."
    consent_at = factory.LazyFunction(timezone.now)


# --- Officials' side (issue 4) -------------------------------------------------

from feedback.models import (  # noqa: E402
    Agency,
    Attachment,
    Category,
    Report,
    Status,
    StatusChange,
)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Cơ quan thử {n}")
    code = factory.Sequence(lambda n: f"co-quan-{n}")
    email = factory.LazyAttribute(lambda agency: f"{agency.code}@example.vn")


class ReportFactory(factory.django.DjangoModelFactory):
    """A citizen's report in status ``new``, with its first StatusChange "" -> new.

    Pass ``status=...`` (and ``agency=...``) to get a report already further along:
    the statuses in between are recorded as StatusChanges too.
    """

    class Meta:
        model = Report
        skip_postgeneration_save = True

    code = factory.LazyFunction(Report.new_code)
    full_name = factory.Sequence(lambda n: f"Trần Thị Phản Ánh {n}")
    id_number = _id_numbers
    email = factory.Sequence(lambda n: f"nguoigui{n}@example.vn")
    phone = _phones
    location = "Đường 16 Tháng 4, Phan Rang - Tháp Chàm"
    title = factory.Sequence(lambda n: f"Ổ gà trên đường số {n}")
    content = "Mặt đường có nhiều ổ gà lớn,\nrất nguy hiểm cho xe máy vào ban đêm."
    category = factory.SubFactory(CategoryFactory)
    allow_publish = True
    consent_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(
        cls, model_class: type[Report], *args: object, **kwargs: object
    ) -> Report:
        target = kwargs.pop("status", Status.NEW)
        agency = kwargs.pop("agency", None)
        report = super()._create(model_class, *args, status=Status.NEW, **kwargs)
        StatusChange.objects.create(
            report=report,
            from_status="",
            to_status=Status.NEW,
            created_at=report.created_at,
        )
        path = {
            Status.NEW: [],
            Status.ACCEPTED: [Status.ACCEPTED],
            Status.REJECTED: [Status.REJECTED],
            Status.IN_PROGRESS: [Status.ACCEPTED, Status.IN_PROGRESS],
            Status.RESOLVED: [Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED],
        }[target]
        for step in path:
            if step == Status.IN_PROGRESS:
                report.agency = agency or AgencyFactory()
            report.transition(
                step,
                by=None,
                note="Trả lời thử: đã vá ổ gà."
                if step == Status.RESOLVED
                else ("Tin rác" if step == Status.REJECTED else ""),
            )
        if agency is not None and report.agency_id is None:
            report.agency = agency
            report.save(update_fields=["agency"])
        return report


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    report = factory.SubFactory(ReportFactory)
    kind = Attachment.Kind.CITIZEN
    file = factory.django.FileField(
        filename="anh.jpg", data=b"\xff\xd8\xff\xe0fake-jpeg"
    )
    original_name = "o-ga.jpg"
    content_type = "image/jpeg"
    size = 16
    sha256 = "0" * 64


# Citizen reports (issue 3): fixed, recognisable personal data, so tests can check
# that none of it leaks onto public pages.
class CitizenReportFactory(factory.django.DjangoModelFactory):
    """A new report filed without an account; pass status=... for others."""

    class Meta:
        model = Report
        skip_postgeneration_save = True

    code = factory.LazyFunction(Report.new_code)
    full_name = "Trần Thị Bình"
    id_number = "058190004321"
    email = "binh@example.vn"
    phone = "0987654321"
    location = "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm"
    title = factory.Sequence(lambda n: f"Đường hư hỏng nặng số {n}")
    content = "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm về đêm."
    consent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def history(obj: Report, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            StatusChange.objects.create(
                report=obj, from_status="", to_status=obj.status
            )


def published_report(**kwargs: object) -> Report:
    """A resolved report whose answer is public."""
    defaults: dict[str, object] = {
        "status": Status.RESOLVED,
        "allow_publish": True,
        "is_published": True,
        "answer": "Đã vá ổ gà và lắp thêm đèn chiếu sáng.",
        "resolved_at": timezone.now(),
    }
    return CitizenReportFactory(**{**defaults, **kwargs})


# The App channel (issue 8): partner apps of the Open311 API.
class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner app with a key; the raw key is on ``partner.raw_key``."""

    class Meta:
        model = "open311.Partner"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Zalo mini-app {n}")
    channel = "zalo"
    rate_limit = 100

    @factory.post_generation
    def key(obj: Any, create: bool, extracted: object, **kwargs: object) -> None:
        obj.raw_key = obj.issue_key()
        if create:
            obj.save()
