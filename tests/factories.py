from __future__ import annotations

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
