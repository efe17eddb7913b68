"""Production settings: refuse to start without a secret key, and pass `check --deploy` with no warning."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bacuda_portal.settings.production",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
}


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env={**PRODUCTION_ENV, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "-production-like-secret-value-0123456789",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_staff_two_factor_is_on_by_default_in_production():
    result = _manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; print(settings.BACUDA_STAFF_MFA_REQUIRED, settings.SESSION_COOKIE_SECURE)",
        DJANGO_SECRET_KEY="y" * 50,
    )  # fmt: skip
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_production_sends_hsts_and_the_security_headers():
    result = _manage(
        "shell", "--no-imports", "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.X_FRAME_OPTIONS, s.SECURE_REFERRER_POLICY,"
        " 'bacuda_portal.core.security.SecurityHeadersMiddleware' in s.MIDDLEWARE)",
        DJANGO_SECRET_KEY="z" * 50,
    )  # fmt: skip
    assert result.stdout.split() == ["True", "True", "True", "DENY", "same-origin", "True"], result.stderr


def test_production_session_and_cookie_settings():
    """Secure, HTTP-only cookies; sessions that end after a working day; the failed sign-in limits; connections
    checked before reuse; the 503 page first in the chain; and no benchmark-only middleware."""
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'samesite': s.SESSION_COOKIE_SAMESITE,"
        "'age': s.SESSION_COOKIE_AGE, 'rate': s.ACCOUNT_RATE_LIMITS.get('login_failed', ''),"
        "'hsts': s.SECURE_HSTS_SECONDS, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG,"
        "'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), 'middleware': s.MIDDLEWARE,"
        "'sessions': s.SESSION_ENGINE}))"
    )
    result = _manage("shell", "--no-imports", "-c", script, DJANGO_SECRET_KEY="z" * 50)
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["samesite"] in ("Lax", "Strict")
    assert 0 < values["age"] <= 8 * 60 * 60  # a working day at most
    assert "/ip" in values["rate"] and "/key" in values["rate"]  # per address and per IP
    assert values["hsts"] >= 365 * 24 * 60 * 60 and values["ssl_redirect"] and not values["debug"]
    assert values["health_checks"] is True
    # Sessions come from the cache (Redis in production) and are written through to the database.
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert values["middleware"][0] == "bacuda_portal.core.dbdown.DatabaseUnavailableMiddleware"
    assert "bacuda_portal.core.querycount.QueryCountMiddleware" not in values["middleware"]


def test_the_query_count_header_only_when_asked_for():
    script = "from django.conf import settings as s; print(s.MIDDLEWARE[0])"
    off = _manage("shell", "--no-imports", "-c", script, DJANGO_SECRET_KEY="z" * 50)
    on = _manage("shell", "--no-imports", "-c", script, DJANGO_SECRET_KEY="z" * 50, BACUDA_QUERY_COUNT_HEADER="True")
    assert off.stdout.strip() == "bacuda_portal.core.dbdown.DatabaseUnavailableMiddleware", off.stderr
    assert on.stdout.strip() == "bacuda_portal.core.querycount.QueryCountMiddleware", on.stderr


def test_the_query_count_header_counts_the_queries(client, settings, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MIDDLEWARE = ["bacuda_portal.core.querycount.QueryCountMiddleware", *settings.MIDDLEWARE]
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(captured) == 1  # the liveness view's one query


def test_no_query_count_header_by_default(client, db):
    assert "X-Query-Count" not in client.get("/healthz")


def test_one_proxy_count_serves_every_rate_limit():
    """Sign-in (allauth), API throttles (DRF) and the contact form all read the client address the same way."""
    script = (
        "from django.conf import settings as s; print(s.BACUDA_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    behind_proxy = _manage(
        "shell", "--no-imports", "-c", script, DJANGO_SECRET_KEY="p" * 50, BACUDA_TRUSTED_PROXY_COUNT="1"
    )
    direct = _manage("shell", "--no-imports", "-c", script, DJANGO_SECRET_KEY="p" * 50)
    assert behind_proxy.stdout.split() == ["1", "1", "1"], behind_proxy.stderr
    assert direct.stdout.split() == ["0", "0", "0"], direct.stderr
