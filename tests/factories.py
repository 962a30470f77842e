from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import User

# Valid CCCD numbers: province 058 (Ninh Thuận), century/sex digit, year, serial.
_id_numbers = factory.Sequence(lambda n: f"0580{90 + n % 10:02d}{n:06d}")
_phones = factory.Sequence(lambda n: f"091{n:07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"congdan{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
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


# Citizen reports (issue 3).
from feedback.models import Category, Report, Status, StatusChange  # noqa: E402


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-{n}")


class ReportFactory(factory.django.DjangoModelFactory):
    """A new report filed without an account; pass status=... for others."""

    class Meta:
        model = Report

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
    return ReportFactory(**{**defaults, **kwargs})
