"""Settings for the portal, all read from environment variables (see .env.example)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.lib.env import envbool, envint, envlist, envrate, envstr

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
    "csp",
    "portal",
    "accounts",
    "feedback",
    "stats",
    "open311",
]

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stats.middleware.VisitorCounterMiddleware",
    "portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
                "csp.context_processors.nonce",
                "portal.context_processors.site",
                "stats.context_processors.footer",
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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

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

# Security headers. Production sets these through the environment (see .env.example).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if envbool("TRUST_X_FORWARDED_PROTO", False):
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

# Citizen reports (issue 3): attachment limits, all overridable from the environment.
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

# Home page, statistics, visitor counters, guides (stats app, issue 5).
# Seconds the statistics figures stay cached (a status change clears them at once).
STATS_CACHE_SECONDS = envint("STATS_CACHE_SECONDS", 60)
# The province's Zalo Official Account (shown as a QR code) and Facebook page.
ZALO_OA_URL = envstr("ZALO_OA_URL", "https://zalo.me/ninhthuan.tuongtac")
FACEBOOK_PAGE_URL = envstr(
    "FACEBOOK_PAGE_URL", "https://www.facebook.com/tuongtac.ninhthuan"
)

# Full-page cache of the home and statistics pages for anonymous visitors
# (portal/lib/pagecache.py): seconds a page may be reused, 0 disables. A report
# status change or a content edit drops cached pages at once.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 5)

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

# Officials' workflow (issue 4): emails through the outbox, deadline reminders.
# EMAIL_QUEUE=1 stores emails in an outbox table sent by `manage.py send_emails`;
# 0 (default) sends them as soon as the transaction commits.
EMAIL_QUEUE = envbool("EMAIL_QUEUE", False)
# Reports due within this many days are in the agencies' daily reminder.
DEADLINE_WARNING_DAYS = envint("DEADLINE_WARNING_DAYS", 2)

# The App channel (issue 8): Open311 GeoReport v2 for partner apps, and the PWA.
# Hosts whose media_url a partner may name (photos are fetched within these limits);
# empty: partners send photos as multipart "media" uploads only.
OPEN311_MEDIA_URL_HOSTS = envlist("OPEN311_MEDIA_URL_HOSTS")
OPEN311_MEDIA_TIMEOUT = envint("OPEN311_MEDIA_TIMEOUT", 10)  # seconds
PWA_THEME_COLOR = "#c8102e"

# Reliability and security (issue 6). Tracking codes that find nothing, per IP and
# window: past the limit /tra-cuu/ and /phan-anh/<code>/ answer 429 (code guessing).
CODE_MISS_LIMIT = envint("CODE_MISS_LIMIT", 30)
CODE_MISS_WINDOW = envint("CODE_MISS_WINDOW", 600)
# Files under MEDIA_ROOT younger than this are never orphans (an upload in flight).
ORPHAN_GRACE_SECONDS = envint("ORPHAN_GRACE_SECONDS", 3600)

# Performance and scale-out (issue 7): shared object storage and the benchmark.
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
