"""Logging pieces: request ids, personal-data masking, one JSON object per line."""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# What must never reach a log in clear: emails, Vietnamese phone numbers (with or
# without +84 and separators), CMND/CCCD numbers, and password-like key=value pairs.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\w])")
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")
_SECRET = re.compile(
    r"(?i)((?:password\d?|passwd|pwd|mat_khau|secret|token)[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,}]+"
)

# Secrets and searches in URLs: confirmation and password-reset links (whoever
# reads the log could use them) and the query of officials' admin searches, which
# is typically a name, phone or ID number in a form the patterns above miss.
_TOKEN_PATH = re.compile(r"(/dang-ky/xac-nhan/|/dat-lai-mat-khau/)[^\s\"'?#]+")
_SEARCH_QUERY = re.compile(r"((?:^|[?&\s])(?:q|token|email)=)[^&\s\"'#]*")


def redact_url(text: str) -> str:
    """Drop link tokens and search terms from paths and query strings in ``text``."""
    text = _TOKEN_PATH.sub(r"\1[token]/", text)
    return _SEARCH_QUERY.sub(r"\1[redacted]", text)


def mask(text: str) -> str:
    text = redact_url(text)
    text = _SECRET.sub(r"\1***", text)
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    return _ID_NUMBER.sub("[id]", text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class PersonalDataFilter(logging.Filter):
    """Render the message once and mask personal data in it (and in tracebacks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)
