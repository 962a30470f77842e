"""The suite itself: it leaves nothing in the checkout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.tools import ROOT


def test_uploads_in_tests_land_outside_the_checkout(settings: Any) -> None:
    name = default_storage.save("reports/probe.txt", ContentFile(b"probe"))
    written = Path(default_storage.path(name)).resolve()
    assert written.is_file()
    assert not written.is_relative_to(ROOT)
    assert Path(settings.MEDIA_ROOT).resolve() in written.parents
