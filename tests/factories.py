from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import User
from feedback.models import (
    Agency,
    Attachment,
    Category,
    Report,
    ReportEvent,
    Status,
    StatusChange,
)

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


# The reporter's personal data, fixed and recognisable, so tests can check that
# none of it leaks onto public pages, into URLs or into other people's emails.
REPORTER = {
    "full_name": "Trần Thị Bình",
    "id_number": "058190004321",
    "email": "binh@example.vn",
    "phone": "0987654321",
}

# The way the workflow reaches each status from new (one move per step).
PATHS = {
    Status.NEW: [],
    Status.ACCEPTED: [Status.ACCEPTED],
    Status.REJECTED: [Status.REJECTED],
    Status.IN_PROGRESS: [Status.ACCEPTED, Status.IN_PROGRESS],
    Status.RESOLVED: [Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED],
}


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
    """A citizen's report filed without an account, in any status the app reaches.

    It is filed as ``new`` (with its first StatusChange "" -> new) and moved on to
    ``status=...`` through Report.transition, so every step is recorded as the
    workflow records it: a resolved report was accepted, routed (to ``agency``, or
    a fresh one) and answered. ``published=True`` gives a resolved report whose
    reporter consented and whose answer an official made public. ``answer=...``
    and ``rejection_reason=...`` set the text of those moves.
    """

    class Meta:
        model = Report
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Status.RESOLVED, allow_publish=True, is_published=True
        )

    code = factory.LazyFunction(Report.new_code)
    full_name = REPORTER["full_name"]
    id_number = REPORTER["id_number"]
    email = REPORTER["email"]
    phone = REPORTER["phone"]
    location = "Đường 16/4, phường Mỹ Hải, Phan Rang - Tháp Chàm"
    title = factory.Sequence(lambda n: f"Ổ gà trên đường số {n}")
    content = "Mặt đường có nhiều ổ gà sâu, xe máy đi lại rất nguy hiểm về đêm."
    category = factory.SubFactory(CategoryFactory)
    allow_publish = True
    consent_at = factory.LazyFunction(timezone.now)
    status = Status.NEW
    is_published = False
    answer = "Đã vá ổ gà và lắp thêm đèn chiếu sáng."
    rejection_reason = "Tin rác"

    @classmethod
    def _create(
        cls, model_class: type[Report], *args: object, **kwargs: object
    ) -> Report:
        target = Status(kwargs.pop("status"))
        agency = kwargs.pop("agency", None)
        publish = bool(kwargs.pop("is_published"))
        answer = str(kwargs.pop("answer"))
        reason = str(kwargs.pop("rejection_reason"))
        if publish and not (target == Status.RESOLVED and kwargs["allow_publish"]):
            raise ValueError("only a resolved report with consent can be published")
        report = super()._create(model_class, *args, status=Status.NEW, **kwargs)
        StatusChange.objects.create(
            report=report,
            from_status="",
            to_status=Status.NEW,
            created_at=report.created_at,
        )
        for step in PATHS[target]:
            if step == Status.IN_PROGRESS:
                report.agency = agency or AgencyFactory()
            if step == Status.RESOLVED:
                report.answer = answer
            report.transition(
                step, by=None, note=reason if step == Status.REJECTED else ""
            )
        if agency is not None and report.agency_id is None:
            report.agency = agency
            report.save(update_fields=["agency"])
        if publish:
            report.is_published = True
            report.save(update_fields=["is_published", "updated_at"])
            ReportEvent.objects.create(report=report, kind=ReportEvent.Kind.PUBLISHED)
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
