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
