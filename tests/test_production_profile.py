from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jd9-production-like-secret-for-the-deploy-check-Wq8zP2mN5vB7xR",
    "ALLOWED_HOSTS": "phananh.example.gov.vn",
}
# What a plain-HTTP test bench sets to switch the production defaults off.
PLAIN_HTTP_BENCH = {
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SECURE_COOKIES": "0",
}
# Variables a developer's shell may carry that would hide a missing default.
SECURITY_VARIABLES = {
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_COOKIES",
    "TRUST_X_FORWARDED_PROTO",
    "TRUSTED_PROXY_COUNT",
    "STATIC_MANIFEST",
    "EMAIL_QUEUE",
    "OFFICIALS_2FA",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and k not in SECURITY_VARIABLES
            },
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_the_production_profile() -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'redirect': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'preload': s.SECURE_HSTS_PRELOAD, 'session': s.SESSION_COOKIE_SECURE, "
    "'csrf': s.CSRF_COOKIE_SECURE, 'language': s.LANGUAGE_COOKIE_SECURE, "
    "'queue': s.EMAIL_QUEUE, 'second_factor': s.OFFICIALS_2FA}))"
)


def test_debug_off_with_only_a_secret_and_hosts_is_secure_by_default() -> None:
    result = run_manage("shell", "-c", SHOW_SETTINGS, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {
        "redirect": True,
        "hsts": 31536000,
        "preload": True,
        "session": True,
        "csrf": True,
        "language": True,
        "queue": True,  # no request waits for (or is timed by) the mail server
        "second_factor": True,
    }


def test_a_plain_http_bench_turns_each_default_off_explicitly() -> None:
    result = run_manage(
        "shell", "-c", SHOW_SETTINGS, env={**PRODUCTION_ENV, **PLAIN_HTTP_BENCH}
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    del shown["queue"], shown["second_factor"]  # not about plain HTTP
    assert not any(shown.values()), shown


def test_every_production_opt_out_is_documented_in_env_example() -> None:
    documented = (ROOT / ".env.example").read_text()
    for name in [*PLAIN_HTTP_BENCH, "TRUST_X_FORWARDED_PROTO", "TRUSTED_PROXY_COUNT"]:
        assert re.search(rf"^#? ?{name}=", documented, re.M), name


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_setting_is_refused_with_its_name() -> None:
    result = run_manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/dang-ky/", "/admin/login/"])
def test_security_headers_on_public_form_and_admin_pages(
    client: Client, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if "script-src" in part)
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
