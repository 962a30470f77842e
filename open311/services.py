"""Writes for partner apps: filing a report, photos named by URL, updates."""

from __future__ import annotations

import secrets
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from feedback.conversation import ConversationError, add_reporter_update
from feedback.models import Report
from feedback.services import submit_report
from open311.models import ExternalMedia, Partner, PartnerSubmission, PartnerUpdate
from portal.lib import uploads
from portal.lib.uploads import safe_name


class MediaRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UpdateRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead to a host outside the allow-list: refuse them all.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _allowed(url: str) -> bool:
    allowed = {host.lower() for host in settings.OPEN311_MEDIA_URL_HOSTS}
    return (urlsplit(url).hostname or "").lower() in allowed


def fetch_media(url: str) -> uploads.CheckedFile:
    """Download a photo from an allow-listed host, within size and time limits."""
    if not _is_web_url(url) or not _allowed(url):
        raise MediaRefused(_("máy chủ của ảnh không nằm trong danh sách cho phép"))
    limit = settings.REPORT_MAX_FILE_SIZE
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=settings.OPEN311_MEDIA_TIMEOUT) as response:
            if response.status != 200:
                raise MediaRefused(_("không tải được ảnh"))
            body = response.read(limit + 1)
    except MediaRefused:
        raise
    except (urllib.error.URLError, OSError, ValueError):
        raise MediaRefused(_("không tải được ảnh")) from None
    if len(body) > limit:
        raise MediaRefused(_("ảnh lớn hơn mức cho phép"))
    name = safe_name(urlsplit(url).path.rsplit("/", 1)[-1] or "media")
    upload = SimpleUploadedFile(name, body)
    ftype = uploads.sniff(upload)
    if ftype is not None and uploads.extension(name) not in ftype.extensions:
        # A URL's last segment is often no file name (…/photo?id=3): name it by
        # what it holds.
        upload.name = f"media.{sorted(ftype.extensions)[0]}"
    try:
        return uploads.check_file(upload)
    except uploads.UploadRejected as error:
        raise MediaRefused(error.message) from None


@dataclass
class Media:
    """Photos named by media_url: fetched (and checked) files, links kept, and
    what to say."""

    files: list[uploads.CheckedFile] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def take_media_urls(urls: Sequence[str]) -> Media:
    """Fetch the allow-listed photos; keep every other web link for officials.

    A photo that cannot be fetched never refuses the report: the citizen's report
    matters more than its picture, and an official can open the link.
    """
    media = Media()
    for raw in urls:
        url = raw.strip()
        if not url:
            continue
        if not _is_web_url(url) or len(url) > 2000:
            media.notices.append(
                _("media_url không phải đường dẫn http(s) hợp lệ nên bị bỏ qua.")
            )
            continue
        try:
            media.files.append(fetch_media(url))
        except MediaRefused as error:
            media.links.append(url)
            media.notices.append(
                _(
                    "Ảnh ở media_url chưa được tải về (%(reason)s); đường dẫn được "
                    "giữ để cán bộ tự mở."
                )
                % {"reason": error.message}
            )
    return media


def file_request(
    *,
    partner: Partner,
    data: dict[str, Any],
    files: Sequence[uploads.CheckedFile],
    links: Sequence[str] = (),
    device_id: str = "",
    account_id: str = "",
) -> PartnerSubmission:
    """File the report exactly as the web form does, with its place, the photo
    links kept for officials, and the partner that sent it.

    ``files`` were checked one by one (the uploads and the fetched photos):
    together they must still keep to the count and the total size."""
    uploads.check_total(files)
    with transaction.atomic():
        report: Report = submit_report(
            data=data, checked=files, user=None, channel=partner.channel
        )
        # The place fields are set here so that this works whichever fields the
        # web form's service already knows.
        report.commune = data.get("commune")
        report.latitude = data.get("latitude")
        report.longitude = data.get("longitude")
        report.save(update_fields=["commune", "latitude", "longitude"])
        ExternalMedia.objects.bulk_create(
            ExternalMedia(report=report, url=url) for url in links
        )
        return PartnerSubmission.objects.create(
            report=report,
            partner=partner,
            token=secrets.token_urlsafe(24),
            device_id=device_id[:100],
            account_id=account_id[:100],
        )


def post_update(
    *,
    partner: Partner,
    report: Report,
    text: str,
    external_id: str,
    media: Media | None = None,
    files: Sequence[UploadedFile] = (),
) -> PartnerUpdate:
    """The citizen's update on a report this partner filed, as a reporter update.

    Sent twice with the same ``external_id``, it is stored once and the first
    answer is given again (FixMyStreet retries until it reads an update_id).
    Raises UpdateRefused, or uploads.UploadRejected for a photo that breaks a rule.
    """
    media = media or Media()
    submission = getattr(report, "partner_submission", None)
    if submission is None or submission.partner_id != partner.pk:
        raise UpdateRefused(
            403, _("Chỉ đối tác đã gửi phản ánh này mới gửi được cập nhật cho nó.")
        )
    if external_id:
        done = PartnerUpdate.objects.filter(
            partner=partner, external_id=external_id
        ).first()
        if done is not None:
            return done
    try:
        with transaction.atomic():
            update = add_reporter_update(
                report=report,
                text=text,
                files=files,
                checked=media.files,
                by=None,
                channel=partner.channel,
            )
            ExternalMedia.objects.bulk_create(
                ExternalMedia(report=report, url=url) for url in media.links
            )
            return PartnerUpdate.objects.create(
                partner=partner, update=update, external_id=external_id
            )
    except ConversationError as error:
        raise UpdateRefused(400, error.message) from None
    except IntegrityError:
        # The same update, sent again at the same moment by a retrying client.
        return PartnerUpdate.objects.get(partner=partner, external_id=external_id)
