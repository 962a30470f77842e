"""Serving a stored attachment: one response for the public and the admin views.

Callers check permission first; this decides type, inline or download, and headers.
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from feedback.models import Attachment
from portal.lib import uploads

THUMBNAIL_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
# Shown in the browser; anything else is sent as a download.
INLINE_TYPES = frozenset(THUMBNAIL_TYPES.values())


def download_name(attachment: Attachment, stored_name: str) -> str:
    """The sender's file name, with the extension of what is actually served."""
    stem, _dot, _ext = attachment.original_name.rpartition(".")
    stem = stem or attachment.original_name
    stored_ext = uploads.extension(stored_name)
    if uploads.extension(attachment.original_name) != stored_ext:
        return f"{stem}.{stored_ext}"
    return attachment.original_name


# A public photo may be cached by browsers and proxies, but not for long: an
# official can take it back off the public page.
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_CACHE = "private, no-store"


def attachment_response(
    attachment: Attachment, *, thumbnail: bool = False, public: bool = False
) -> FileResponse:
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404
    stored_name = str(stored.name)
    content_type = (
        THUMBNAIL_TYPES.get(uploads.extension(stored_name), "application/octet-stream")
        if thumbnail
        else attachment.content_type
    )
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_TYPES,
        filename=download_name(attachment, stored_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    if public:
        # Same URL, different answer for the reporter and officials.
        response["Vary"] = "Cookie"
    return response
