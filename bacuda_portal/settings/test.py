"""Test settings: the base settings with fast hashing, in-memory mail and an isolated broker folder.

``DATABASE_URL`` and ``REDIS_URL`` still apply, so the same suite runs on SQLite and on PostgreSQL + Redis.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("BACUDA_TEST_EMAIL_DIR"):
    # A worker process started by a test writes its mail where the test can read it.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["BACUDA_TEST_EMAIL_DIR"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
BACUDA_STAFF_MFA_REQUIRED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bacuda-test-media-"))
# A worker process started by a test shares the test session's private files.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("BACUDA_TEST_PRIVATE_DIR") or tempfile.mkdtemp(prefix="bacuda-test-private-"))
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker process started by a test sees the same database.
    # One file per concurrent test session (xdist worker, or BACUDA_TEST_DB_SUFFIX for parallel checkouts).
    worker_suffix = os.environ.get("BACUDA_TEST_DB_SUFFIX", "") + os.environ.get("PYTEST_XDIST_WORKER", "main")
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{worker_suffix}.sqlite3")}

if CELERY_BROKER_URL.startswith("filesystem://"):
    # Each test session gets its own broker folder: nothing left over from a run or from `make run`.
    # A worker process started by a test is told the folder of the test session that started it.
    _broker = Path(os.environ.get("BACUDA_TEST_BROKER_DIR") or tempfile.mkdtemp(prefix="bacuda-test-broker-"))
    BROKER_DIR = _broker
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "queue"),
        "data_folder_out": str(_broker / "queue"),
        "control_folder": str(_broker / "control"),
        "store_processed": False,
    }
