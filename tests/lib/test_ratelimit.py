from __future__ import annotations

from django.test import RequestFactory

from portal.lib import ratelimit


def test_limit_allows_count_then_refuses() -> None:
    results = [ratelimit.hit("t", "1.2.3.4", rate=(3, 60)) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_limits_are_per_identity_and_scope() -> None:
    assert ratelimit.hit("t", "a", rate=(1, 60))
    assert not ratelimit.hit("t", "a", rate=(1, 60))
    assert ratelimit.hit("t", "b", rate=(1, 60))
    assert ratelimit.hit("other", "a", rate=(1, 60))


def test_zero_rate_is_off() -> None:
    assert all(ratelimit.hit("t", "a", rate=(0, 0)) for _ in range(100))


def test_client_ip_trusts_forwarded_for_only_behind_proxies(settings) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_client_ip_ignores_a_forged_or_malformed_forwarded_for(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXY_COUNT = 1
    forged = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip"
    )
    assert ratelimit.client_ip(forged) == "10.0.0.1"
    two_proxies = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.0.0.1"
    )
    settings.TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_ip(two_proxies) == "1.2.3.4"
