"""Settings for the portal, all read from environment variables (see .env.example)."""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import xstatic.pkg.bootstrap
import xstatic.pkg.leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.lib.env import (
    envbool,
    envboxes,
    envint,
    envlist,
    envrate,
    envstr,
    origin_of,
)
from portal.lib.workdays import parse_office_hours

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", False)

SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_NAME = envstr("SITE_NAME", "Hệ thống Phản ánh hiện trường Ninh Thuận")
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "captcha",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "portal",
    "accounts",
    "places",
    "feedback",
    "stats",
    "open311",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.TextGZipMiddleware",
    "portal.middleware.FixedCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stats.middleware.VisitorCounterMiddleware",
    "portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.OfficialsSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "stats.context_processors.footer",
                # Last: while a page is rendered for the shared page cache, forms
                # get a placeholder instead of this visitor's CSRF token.
                "portal.lib.pagecache.context",
            ],
        },
    },
]
# Lets the captcha widget template in templates/ override the package's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite under var/ for `make run`; PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, so every app server shares them.
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, keeping one Redis client instead of one per call.
            "BACKEND": "portal.lib.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "portal"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UsernameOrEmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
# How long the account confirmation link stays valid.
ACCOUNT_CONFIRM_MAX_AGE = envint("ACCOUNT_CONFIRM_MAX_AGE", 60 * 60 * 24 * 3)

# Brute force: 5 failed logins lock the account and IP pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Beside the lockout (accounts/throttle.py): the login form asks for a captcha for
# an account after LOGIN_CAPTCHA_AFTER failures from any addresses, and from an
# address that failed on LOGIN_ADDRESS_ACCOUNTS different accounts; an address
# with more than LOGIN_ADDRESS_FAILURES failures gets 429. Per LOGIN_THROTTLE_WINDOW s.
# Registration (per address, after a right captcha) and profile changes (per
# account) may look at other accounts' emails and ID numbers this often.
UNIQUE_CHECK_RATE = envrate("UNIQUE_CHECK_RATE", "10/h")
LOGIN_CAPTCHA_AFTER = envint("LOGIN_CAPTCHA_AFTER", 3)
LOGIN_ADDRESS_ACCOUNTS = envint("LOGIN_ADDRESS_ACCOUNTS", 4)
LOGIN_ADDRESS_FAILURES = envint("LOGIN_ADDRESS_FAILURES", 50)
LOGIN_THROTTLE_WINDOW = envint("LOGIN_THROTTLE_WINDOW", 900)
# Retention (accounts/retention.py, `manage.py apply_retention` daily): months after
# a report is closed before its reporter's personal fields are erased, and days a
# sent (or failed) email stays in the outbox.
RETENTION_MONTHS = envint("RETENTION_MONTHS", 24)
OUTBOX_RETENTION_DAYS = envint("OUTBOX_RETENTION_DAYS", 30)
# Officials' second factor (accounts/two_factor.py): staff and members of these
# groups pass a TOTP code (or a backup code) before any admin or report page.
# OFFICIALS_2FA=0 turns the requirement off (a test bench, a demo).
OFFICIALS_2FA = envbool("OFFICIALS_2FA", True)
OFFICIALS_GROUPS = ["Cán bộ tiếp nhận", "Cán bộ xử lý", "Biên tập viên"]
# Wrong codes per account before the code form is refused for the window.
OFFICIALS_2FA_FAILURES = envrate("OFFICIALS_2FA_FAILURES", "5/h")
OTP_TOTP_ISSUER = SITE_NAME
# One source of the client address for the whole project (see TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "portal.lib.ratelimit.client_ip"

# Internationalisation: Vietnamese first, English second, chosen by a cookie only.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["portal.formats"]

# Static files: Bootstrap comes from the xstatic-bootstrap package.
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never routed: attachments go through permission-checked views
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: the console in development; SMTP through EMAIL_* variables in production.
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr(
    "DEFAULT_FROM_EMAIL", "Phản ánh hiện trường <noreply@localhost>"
)

# Forms and captcha.
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FLITE_PATH = shutil.which("flite")
CAPTCHA_SOX_PATH = shutil.which("sox")
CAPTCHA_IMAGE_SIZE = (150, 50)
CAPTCHA_FONT_SIZE = 32

# Submission limits: per IP and per account, "count/period" or 0 for none.
REPORT_RATE_LIMIT = envrate("REPORT_RATE_LIMIT", "10/h")

# Security headers: with DEBUG=0 every switch below is on unless the environment
# turns it off explicitly (a plain-HTTP test bench; see .env.example), so a
# production start with only SECRET_KEY and ALLOWED_HOSTS passes check --deploy.
PRODUCTION = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0
)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# How many proxies in front of the app append to X-Forwarded-For: the one source
# of the client address (portal.lib.ratelimit.client_ip, also used by axes).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# Behind a TLS-terminating proxy the scheme comes from X-Forwarded-Proto; trusted
# by default only when proxies are declared (a direct client could forge it).
if envbool("TRUST_X_FORWARDED_PROTO", TRUSTED_PROXY_COUNT > 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
# Browser features the portal never uses are switched off; geolocation stays for
# the report form's "use my location".
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), payment=(), usb=(), interest-cohort=(), "
    "geolocation=(self)"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "media-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Citizen reports: attachment limits, all overridable from the environment.
REPORT_MAX_FILES = envint("REPORT_MAX_FILES", 5)
REPORT_MAX_FILE_SIZE = envint("REPORT_MAX_FILE_SIZE", 10 * 1024 * 1024)
REPORT_MAX_TOTAL_SIZE = envint("REPORT_MAX_TOTAL_SIZE", 25 * 1024 * 1024)
# Larger images are refused as decompression bombs (a 48 MP phone photo fits).
REPORT_IMAGE_MAX_PIXELS = envint("REPORT_IMAGE_MAX_PIXELS", 60_000_000)
# The version of the report form's personal-data consent text. An account that
# agreed to this version is not asked again; a new version asks everyone again.
CONSENT_VERSION = "2026-01"
# Files that passed their checks on a form shown again with errors wait this long
# for the successful submit (per browser session, at most REPORT_MAX_TOTAL_SIZE).
HELD_UPLOAD_SECONDS = envint("HELD_UPLOAD_SECONDS", 3600)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]

# Home page, statistics, visitor counters, guides (stats app).
# Seconds the statistics figures stay cached (a status change clears them at once).
STATS_CACHE_SECONDS = envint("STATS_CACHE_SECONDS", 60)
# Seconds the public map's cluster counts are reused before one request recounts
# them (feedback.place_views): a count at the province's zoom reads most reports.
MAP_CACHE_SECONDS = envint("MAP_CACHE_SECONDS", 300)
# The province's Zalo Official Account (shown as a QR code) and Facebook page.
ZALO_OA_URL = envstr("ZALO_OA_URL", "https://zalo.me/ninhthuan.tuongtac")
FACEBOOK_PAGE_URL = envstr(
    "FACEBOOK_PAGE_URL", "https://www.facebook.com/tuongtac.ninhthuan"
)

# Full-page cache of the home and statistics pages for anonymous visitors
# (portal/lib/pagecache.py): seconds a page may be reused, 0 disables. A report
# status change or a content edit drops cached pages at once.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 5)
# A report page shared by anonymous visitors (feedback.public_pages) is checked
# against the database at most this many seconds before it is served (0: on every
# request), and kept for REPORT_PAGE_CACHE_SECONDS, which bounds how late a
# "due soon" may appear.
REPORT_PAGE_RECHECK_SECONDS = envint("REPORT_PAGE_RECHECK_SECONDS", 1)
REPORT_PAGE_CACHE_SECONDS = envint("REPORT_PAGE_CACHE_SECONDS", 60)

# Requests larger than this are answered 413 before Django reads them: the upload
# limit of a report (25 MB of files) plus room for the form fields.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 27 * 1024 * 1024)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

# Logs: one JSON object per line in production (LOG_FORMAT=json), personal data masked.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.lib.logs.RequestIdFilter"},
        "personal_data": {"()": "portal.lib.logs.PersonalDataFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "portal.lib.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": envstr("LOG_FORMAT", "plain" if DEBUG else "json"),
            "filters": ["request_id", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Replaces Django's own "django" handlers (plain text on the console when
        # DEBUG is on): everything goes through the root handler, JSON and masked.
        "django": {"level": envstr("LOG_LEVEL", "INFO")},
    },
}

# Officials' workflow: emails through the outbox, deadline reminders.
# EMAIL_QUEUE=1 stores emails in an outbox table sent by `manage.py send_emails`;
# 0 (the default with DEBUG=1) sends them as soon as the transaction commits.
# Default: queued with DEBUG=0, so no request waits for (or is timed by) a mail
# server: password reset and resend-confirmation answer in the same time whether
# or not the address is registered. Run `manage.py send_emails --loop` beside it.
EMAIL_QUEUE = envbool("EMAIL_QUEUE", not DEBUG)


# Deadlines by Vietnam's working calendar (portal/lib/workdays.py; yearly days off
# and swapped working days are edited in admin, "Lịch làm việc").
def _office_hours(name: str, default: str) -> tuple[tuple[time, time], ...]:
    try:
        return parse_office_hours(envstr(name, default))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} must look like 07:30-11:30,13:30-17:00 ({error})"
        ) from None


OFFICE_HOURS = _office_hours("OFFICE_HOURS", "07:30-11:30,13:30-17:00")
# A new report must be accepted or rejected within this many working hours.
INTAKE_WORKING_HOURS = envint("INTAKE_WORKING_HOURS", 8)
# Processing time of an urgent report (khẩn), in working hours, unless its
# category sets its own.
URGENT_WORKING_HOURS = envint("URGENT_WORKING_HOURS", 4)
# "Due soon": the deadline falls within this many working days (admin list,
# summary line, reminders, report page).
DEADLINE_WARNING_WORKING_DAYS = envint("DEADLINE_WARNING_WORKING_DAYS", 2)
# Days after the answer (or after the questionnaire) within which a reporter who is
# not satisfied may ask for a review that reopens the report.
REVIEW_WINDOW_DAYS = envint("REVIEW_WINDOW_DAYS", 7)
# Minutes after filing within which the reporter may correct or withdraw a report.
CORRECTION_MINUTES = envint("CORRECTION_MINUTES", 30)
# Photos per reporter update.
REPORTER_UPDATE_MAX_FILES = envint("REPORTER_UPDATE_MAX_FILES", 3)
# Days after the answer before an unrated report gets the one questionnaire email.
QUESTIONNAIRE_AFTER_DAYS = envint("QUESTIONNAIRE_AFTER_DAYS", 28)


# The App channel: Open311 GeoReport v2 for partner apps, and the PWA.

# The App channel: Open311 GeoReport v2 for partner apps, and the PWA.
# Hosts whose media_url a partner may name (photos are fetched within these limits);
# empty: partners send photos as multipart "media" uploads only.
OPEN311_MEDIA_URL_HOSTS = envlist("OPEN311_MEDIA_URL_HOSTS")
OPEN311_MEDIA_TIMEOUT = envint("OPEN311_MEDIA_TIMEOUT", 10)  # seconds
PWA_THEME_COLOR = "#c8102e"

# Reliability and security. Tracking codes that find nothing, per IP and
# window: past the limit /tra-cuu/ and /phan-anh/<code>/ answer 429 (code guessing).
CODE_MISS_LIMIT = envint("CODE_MISS_LIMIT", 30)
CODE_MISS_WINDOW = envint("CODE_MISS_WINDOW", 600)
# Most codes one request may look up (Open311 service_request_id=a,b,...); each
# counts as one look-up against the miss limit (feedback/lookups.py).
CODE_LOOKUP_BATCH_MAX = envint("CODE_LOOKUP_BATCH_MAX", 20)
# Files under MEDIA_ROOT younger than this are never orphans (an upload in flight).
ORPHAN_GRACE_SECONDS = envint("ORPHAN_GRACE_SECONDS", 3600)

# Performance and scale-out: shared object storage and the benchmark.
# Attachments go to an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set
# (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as boto3 reads them);
# the bucket stays private: files are still served by the permission-checked views.
AWS_STORAGE_BUCKET_NAME = envstr("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": envstr("AWS_S3_ENDPOINT_URL") or None,
            "region_name": envstr("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# BENCH=1 marks a benchmark run; only then may CAPTCHA_TEST_MODE=1 make the captcha
# accept the answer PASSED (so the load generator can file reports). Neither is
# ever set in production; without BENCH=1 the switch is ignored.
BENCH = envbool("BENCH", False)
CAPTCHA_TEST_MODE = BENCH and envbool("CAPTCHA_TEST_MODE", False)

# --- Places: the province served, its map and nearby reports -----------------------
# The province whose communes the report form offers (code of provinces-2025.csv).
PORTAL_PROVINCE_CODE = envstr("PORTAL_PROVINCE_CODE", "56")
# Where a report's coordinates may lie: boxes "south,west,north,east" separated by
# ";". The default covers mainland Khánh Hòa (with former Ninh Thuận) and the
# Trường Sa special zone; the first box frames the map.
PORTAL_BOUNDS = envboxes(
    "PORTAL_BOUNDS", "11.20,108.30,12.95,109.60;6.00,111.00,12.20,117.90"
)
# Map tiles, e.g. https://tiles.example.gov.vn/{z}/{x}/{y}.png. Empty (the default):
# no map tiles and no request to any other host; the form still works with the
# "use my location" button, the commune list and the text field.
MAP_TILE_URL = envstr("MAP_TILE_URL")
MAP_ATTRIBUTION = envstr("MAP_ATTRIBUTION")
# Nearby public reports shown before filing: radius in metres and days back.
NEARBY_RADIUS_M = envint("NEARBY_RADIUS_M", 200)
NEARBY_DAYS = envint("NEARBY_DAYS", 90)
if MAP_TILE_URL:
    # The tile server is the only other host a page may load from, and only images.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(origin_of(MAP_TILE_URL))
