"""Filing a report for a partner app, and fetching a photo it names by URL."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from feedback.models import Report
from feedback.services import submit_report
from open311.models import Partner, PartnerSubmission
from portal.lib.uploads import safe_name


class MediaRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead to a host outside the allow-list: refuse them all.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch_media(url: str) -> UploadedFile:
    """Download a photo from an allow-listed host, within size and time limits."""
    parts = urlsplit(url)
    allowed = {host.lower() for host in settings.OPEN311_MEDIA_URL_HOSTS}
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or host not in allowed:
        raise MediaRefused(
            _(
                "media_url không được nhận từ máy chủ này; "
                "hãy gửi ảnh dưới dạng tệp media."
            )
        )
    limit = settings.REPORT_MAX_FILE_SIZE
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=settings.OPEN311_MEDIA_TIMEOUT) as response:
            if response.status != 200:
                raise MediaRefused(_("Không tải được ảnh từ media_url."))
            body = response.read(limit + 1)
    except MediaRefused:
        raise
    except (urllib.error.URLError, OSError, ValueError):
        raise MediaRefused(_("Không tải được ảnh từ media_url.")) from None
    if len(body) > limit:
        raise MediaRefused(_("Ảnh ở media_url lớn hơn mức cho phép."))
    name = safe_name(parts.path.rsplit("/", 1)[-1] or "media")
    return SimpleUploadedFile(name, body)


def file_request(
    *,
    partner: Partner,
    data: dict[str, Any],
    files: Sequence[UploadedFile],
    device_id: str = "",
    account_id: str = "",
) -> PartnerSubmission:
    """File the report exactly as the web form does, and record the partner."""
    with transaction.atomic():
        report: Report = submit_report(
            data=data, files=files, user=None, channel=partner.channel
        )
        return PartnerSubmission.objects.create(
            report=report,
            partner=partner,
            token=secrets.token_urlsafe(24),
            device_id=device_id[:100],
            account_id=account_id[:100],
        )
