"""Writes on reports: each a keyword-only function in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from feedback import held as held_files
from feedback.models import (
    Attachment,
    Channel,
    HeldUpload,
    Rating,
    Report,
    Status,
    StatusChange,
)
from feedback.signals import report_status_changed
from portal.lib import emails, uploads

logger = logging.getLogger(__name__)

ERASED_NAME = "Đã xoá"  # stored data, not UI text: the same in every language
CODE_ATTEMPTS = 5


class RatingError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _account(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def report_url(report: Report) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "feedback:detail", kwargs={"code": report.code}
    )


def _create_with_unique_code(report: Report) -> None:
    """Insert with a fresh code, retrying on the (rare) collision with a racer."""
    for attempt in range(CODE_ATTEMPTS):
        report.code = Report.new_code()
        try:
            with transaction.atomic():
                report.save(force_insert=True)
            return
        except IntegrityError:
            collided = Report.objects.filter(code=report.code).exists()
            if not collided or attempt == CODE_ATTEMPTS - 1:
                raise
            report.pk = None


def store_attachment(
    *,
    report: Report,
    item: uploads.CheckedFile,
    kind: str = Attachment.Kind.CITIZEN,
    written: list[str],
    update: Any = None,
) -> Attachment:
    """Save one checked file as an attachment: an image's clean copy (re-encoded
    without metadata when it was checked), any other file as it came.

    The names written to storage are appended to ``written`` so that the caller can
    remove them if its transaction fails: storage is not transactional.
    """
    attachment = Attachment(report=report, kind=kind, update=update)
    held_files.write_prepared(attachment, item, written)
    attachment.save()
    return attachment


def attach_held(*, report: Report, held: HeldUpload, written: list[str]) -> Attachment:
    """Turn a held (already checked and cleaned) file into the report's attachment."""
    attachment = Attachment(
        report=report,
        kind=Attachment.Kind.CITIZEN,
        original_name=held.original_name,
        content_type=held.content_type,
        size=held.size,
        sha256=held.sha256,
    )
    pairs = ((held.file, attachment.file), (held.thumbnail, attachment.thumbnail))
    for source, target in pairs:
        if not source:
            continue
        ext = uploads.extension(str(source.name))
        with source.open("rb") as body:
            target.save(uploads.random_name(ext), File(body), save=False)
        written.append(str(target.name))
    attachment.save()
    return attachment


def _filing_language() -> str:
    """The active language if the portal offers it (the reporter's), else ''."""
    active = get_language() or ""
    offered = {code for code, _name in settings.LANGUAGES}
    return active if active in offered else ""


def submit_report(
    *,
    data: Mapping[str, Any],
    files: Sequence[UploadedFile] = (),
    checked: Sequence[uploads.CheckedFile] = (),
    held: Sequence[HeldUpload] = (),
    user: Any,
    channel: str = Channel.WEB,
) -> Report:
    """File a report with its attachments and first status, all or nothing.

    ``checked`` are uploads a form already checked and cleaned (the web form's
    of this request, Open311's), and ``held`` the ones the web form kept from an
    earlier try; those leave the holding area when the report commits.
    ``files`` are raw uploads, checked here: raises uploads.UploadRejected when
    one breaks a rule. Files written to the storage are deleted again if
    anything fails before the transaction commits.
    """
    checked = [*checked, *(uploads.check_files(files) if files else [])]
    account = _account(user)
    now = timezone.now()
    consent_at = now
    if account is not None and data.get("consent"):
        # Remembered with the text's version: the next report does not ask again.
        get_user_model().objects.filter(pk=account.pk).update(
            report_consent_version=settings.CONSENT_VERSION, report_consent_at=now
        )
    elif account is not None and account.report_consent_at is not None:
        consent_at = account.report_consent_at
    written: list[str] = []
    try:
        with transaction.atomic():
            report = Report(
                reporter=account,
                full_name=data["full_name"],
                id_number=data["id_number"],
                email=data["email"],
                phone=data["phone"],
                location=data["location"],
                commune=data.get("commune"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                title=data["title"],
                content=data["content"],
                category=data.get("category"),
                allow_publish=bool(data.get("allow_publish")),
                channel=channel,
                status=Status.NEW,
                created_at=now,
                consent_at=consent_at,
                language=_filing_language(),
            )
            _create_with_unique_code(report)
            for item in checked:
                store_attachment(report=report, item=item, written=written)
            for row in held:
                attach_held(report=report, held=row, written=written)
            held_files.remove(list(held))
            change = StatusChange.objects.create(
                report=report,
                from_status="",
                to_status=Status.NEW,
                actor=account,
                created_at=now,
            )
            emails.send_after_commit(
                "report-received",
                report.email,
                {"report": report, "link": report_url(report)},
                language=report.reporter_language,
            )
            transaction.on_commit(
                lambda: report_status_changed.send(
                    sender=Report, report=report, change=change
                )
            )
        # The code only: the reporter's personal data never goes to the logs.
        logger.info(
            "Report %s filed with %d file(s)",
            report.code,
            len(checked) + len(held),
        )
    except BaseException:
        delete_files(written)
        raise
    return report


def delete_files(names: Sequence[str]) -> None:
    """Best-effort removal of files whose rows were never committed."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - best effort, the error raised matters
            logger.exception("Could not delete an orphan upload")


def rating_of_answer(report: Report) -> Rating | None:
    """The rating of the report's current answer (not of an earlier one)."""
    rating = Rating.objects.filter(report=report).first()
    if rating is None or (
        report.resolved_at is not None and rating.created_at < report.resolved_at
    ):
        return None
    return rating


@transaction.atomic
def rate_report(
    *,
    report: Report,
    satisfied: bool,
    comment: str,
    reasons: Sequence[str] = (),
) -> Rating:
    """The reporter's rating of a resolved report's answer: once per answer.

    A report reopened and answered again may be rated again: the rating then
    describes the latest answer (earlier dissatisfaction stays in its
    ReviewRequest rows).
    """
    if report.status != Status.RESOLVED:
        raise RatingError(_("Chỉ đánh giá được phản ánh đã có kết quả trả lời."))
    reasons = [] if satisfied else [r for r in reasons if r in Rating.Reason.values]
    existing = Rating.objects.select_for_update().filter(report=report).first()
    if existing is not None:
        if report.resolved_at is None or existing.created_at >= report.resolved_at:
            raise RatingError(_("Phản ánh này đã được đánh giá."))
        existing.satisfied = satisfied
        existing.comment = comment
        existing.reasons = reasons
        existing.created_at = timezone.now()
        existing.save()
        report.rating = existing
        return existing
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                report=report, satisfied=satisfied, comment=comment, reasons=reasons
            )
    except IntegrityError:
        raise RatingError(_("Phản ánh này đã được đánh giá.")) from None
    report.rating = rating
    return rating


@transaction.atomic
def anonymise_reports(*, user: Any) -> int:
    """Erase the personal fields of a person's reports; the reports stay for stats."""
    return Report.objects.filter(reporter=user).update(
        full_name=ERASED_NAME,
        id_number="",
        email="",
        phone="",
        anonymised_at=timezone.now(),
    )


def export_reports(*, user: Any) -> list[dict[str, Any]]:
    reports = (
        Report.objects.filter(reporter=user)
        .select_related("category")
        .prefetch_related("attachments", "reporter_updates")
        .order_by("created_at")
    )
    return [
        {
            "code": report.code,
            "created_at": report.created_at.isoformat(),
            "status": report.status,
            "category": report.category.name if report.category else None,
            "full_name": report.full_name,
            "id_number": report.id_number,
            "email": report.email,
            "phone": report.phone,
            "location": report.location,
            "title": report.title,
            "content": report.content,
            "allow_publish": report.allow_publish,
            "answer": report.answer,
            "attachments": [item.original_name for item in report.attachments.all()],
            "updates": [
                {
                    "kind": update.kind,
                    "created_at": update.created_at.isoformat(),
                    "text": update.text,
                }
                for update in report.reporter_updates.all()
            ],
        }
        for report in reports
    ]
