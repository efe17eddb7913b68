"""Base settings: development defaults that need no server (SQLite, a filesystem broker, console email).

Everything that differs between machines comes from the environment (django-environ, strict parsing).
``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL and Redis; ``production.py`` hardens the rest.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

# --- Core -------------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A development-only default; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("BACUDA_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",  # the public website's sitemap.xml
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    # Ours
    "bacuda_portal.core",
    "bacuda_portal.members",
    "bacuda_portal.website",
    "workshops.experts",
    "workshops.elearning",
    "workshops.missions",
    "workshops",
    "workshops.evaluations",
    "scholarships",
    "algorithms",
    "bacuda_portal.reports",
    "bacuda_portal.mailings",
    "bacuda_portal.notifications",
    "bacuda_portal",  # the project package: commands that span the apps (seed_demo)
]

MIDDLEWARE = [
    # While the database refuses connections, a clear 503 page instead of a bare 500 (core/dbdown.py).
    "bacuda_portal.core.dbdown.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and the other security headers on every response (static files too).
    "bacuda_portal.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bacuda_portal.members.middleware.StaffTwoFactorMiddleware",
    # The portal's 404 page in development too (core/errors.py); inert when DEBUG is off.
    "bacuda_portal.core.errors.FriendlyNotFoundMiddleware",
]
# Development: Django's technical 404 page (every URL pattern) instead of the portal's.
BACUDA_TECHNICAL_404 = env.bool("BACUDA_TECHNICAL_404", default=False)

# Benchmarks only: an X-Query-Count header on every response (core/querycount.py). Never on in production use.
BACUDA_QUERY_COUNT_HEADER = env.bool("BACUDA_QUERY_COUNT_HEADER", default=False)
if BACUDA_QUERY_COUNT_HEADER:
    MIDDLEWARE.insert(0, "bacuda_portal.core.querycount.QueryCountMiddleware")

ROOT_URLCONF = "bacuda_portal.urls"
WSGI_APPLICATION = "bacuda_portal.wsgi.application"
# Django's templates for every widget, but selects written in Python (see core/form_renderer.py).
FORM_RENDERER = "bacuda_portal.core.form_renderer.PortalFormRenderer"

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
                "bacuda_portal.navigation.main_menu_context",
                "bacuda_portal.inbox.inbox_count",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for a lock instead of failing at once. A transaction takes the
    # write lock when it begins (IMMEDIATE), so two processes never both read then try to write, which SQLite
    # answers with "database is locked" at once, whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bacuda",
        }
    }
else:
    # A file cache is shared by every process on the machine, so login rate limits hold across workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Users and authentication ----------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    # Admin permissions come from the members access layer, not from per-user permission rows.
    "bacuda_portal.members.backends.AccessLayerPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "website:home"

ACCOUNT_ADAPTER = "bacuda_portal.members.adapters.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The person is told by email when their password, email addresses or two-factor authentication change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BACUDA] "
# Failed logins: at most LOGIN_FAILURES per email address in LOGIN_FAILURE_WINDOW seconds, and 10/min per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,{}/{}s/key".format(
        env.int("BACUDA_LOGIN_FAILURES", default=5), env.int("BACUDA_LOGIN_FAILURE_WINDOW", default=300)
    ),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "BACUDA Portal"
# Staff must set up TOTP before they can use the portal (see members.middleware). Off by default in
# development so the demo works without an authenticator app; production.py turns it on.
BACUDA_STAFF_MFA_REQUIRED = env.bool("BACUDA_STAFF_MFA_REQUIRED", default=False)

# Share of a workshop's sessions a participant must attend (present or late) to receive a certificate.
BACUDA_CERTIFICATE_ATTENDANCE_SHARE = env.float("BACUDA_CERTIFICATE_ATTENDANCE_SHARE", default=0.8)
# Reports: how long the results dashboard may reuse computed figures (seconds; 0 disables). Any service change
# invalidates them at once (bacuda_portal/reports/caching.py); this bounds staleness after bulk loads only.
BACUDA_DASHBOARD_CACHE_SECONDS = env.int("BACUDA_DASHBOARD_CACHE_SECONDS", default=300)

BACUDA_INVITATION_VALIDITY = timedelta(days=env.int("BACUDA_INVITATION_VALIDITY_DAYS", default=14))

# Read from the cache (Redis in production), written through to the database: one query less per signed-in page,
# and sessions survive a cache flush.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"  # WCO headquarters
USE_I18N = True
# One written form of dates and times per language, 24-hour clock, the time zone named (bacuda_portal/formats).
FORMAT_MODULE_PATH = ["bacuda_portal.formats"]
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Public uploads only (news pictures): served by the web server in production, by Django when DEBUG.
MEDIA_URL = "/media/"
# Uploaded documents (CVs, receipts, datasets): never under a public URL; served by access-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("BACUDA_PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env.str("DJANGO_EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="BACUDA Portal <bacuda@wcoomd.org>")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# --- REST API -------------------------------------------------------------------------------------
# How many proxies of ours stand in front of the web server (1 behind the usual TLS proxy). Rate limits (sign-in,
# API throttles, contact form) key on the client's address: the one that many hops from the right of
# X-Forwarded-For. 0 (direct connections) uses REMOTE_ADDR and ignores X-Forwarded-For, which clients can forge.
BACUDA_TRUSTED_PROXY_COUNT = env.int("BACUDA_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = BACUDA_TRUSTED_PROXY_COUNT
# JSON (API bodies, JSON form fields) nested deeper than this many arrays and objects is refused with a 400 before it
# is decoded (core/safe_json.py): Python's decoder recurses per level, and a few thousand levels crash it. Our
# payloads need fewer than ten; the ceiling keeps every recursive consumer (encoder, database driver) far from
# Python's recursion limit.
BACUDA_JSON_MAX_DEPTH = env.int("BACUDA_JSON_MAX_DEPTH", default=32)
if not 1 <= BACUDA_JSON_MAX_DEPTH <= 200:
    raise ImproperlyConfigured("BACUDA_JSON_MAX_DEPTH must be between 1 and 200.")

REST_FRAMEWORK = {
    # Without it, DRF keys anonymous throttles on the whole X-Forwarded-For header, which a client can vary.
    "NUM_PROXIES": BACUDA_TRUSTED_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a missing or wrong token answers 401 with a WWW-Authenticate header. Both apply the
        # portal's one authentication policy (deactivation, staff two-factor): bacuda_portal/members/authentication.py
        "bacuda_portal.members.authentication.PortalTokenAuthentication",
        "bacuda_portal.members.authentication.PortalSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # One JSON parser for every view: depth-limited and strict (core/parsers.py). Views may narrow the list, never
    # bring DRF's own JSONParser back (tests/api/test_request_parsing.py checks every route).
    "DEFAULT_PARSER_CLASSES": [
        "bacuda_portal.core.parsers.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "bacuda_portal.core.parsers.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BACUDA Portal API",
    "DESCRIPTION": "The WCO BACUDA project's portal: Member administrations, workshops, scholarships, algorithms.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Several choice lists share field names (language, stage, status): name each one once.
    "ENUM_NAME_OVERRIDES": {
        "WorkingLanguageEnum": "workshops.enums.WorkingLanguage",
        "SpokenLanguageEnum": "workshops.experts.enums.SpokenLanguage",
        "CourseStageEnum": "workshops.elearning.enums.CourseStage",
        "AccreditationStatusEnum": "workshops.experts.enums.AccreditationStatus",
        # algorithms: three different "kind" choice lists
        "AlgorithmKindEnum": "algorithms.enums.AlgorithmKind",
        "DatasetKindEnum": "algorithms.enums.DatasetKind",
        "ModelJobKindEnum": "algorithms.enums.JobKind",
        # a nomination's decision, one at a time and in bulk (workshops.api, workshops.api_bulk)
        "NominationDecisionEnum": ["accept", "waitlist", "decline"],
    },
}

# --- Celery ---------------------------------------------------------------------------------------
# The database row is the truth about long work; the broker only carries ids. With no REDIS_URL the broker
# is kombu's filesystem transport, so a first run needs no server.
BROKER_DIR = Path(env.str("BACUDA_BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
else:
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=11 * 60)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [
    Queue("default", Exchange("default"), routing_key="default"),
    Queue("reports", Exchange("reports"), routing_key="reports"),
    Queue("models", Exchange("models"), routing_key="models"),
]
CELERY_TASK_ROUTES = {
    "reports.*": {"queue": "reports"},
    "workshops.render_certificate": {"queue": "reports"},
    "algorithms.*": {"queue": "models"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "core.beat_tick": {"task": "core.beat_tick", "schedule": 60.0},
    "core.prune_worker_heartbeats": {"task": "core.prune_worker_heartbeats", "schedule": crontab(minute=17)},
    "workshops.sweep_certificates": {"task": "workshops.sweep_certificates", "schedule": 5 * 60.0},
    # Re-queue PDF reports a lost message left queued or rendering; fail them after three attempts (reports app).
    "reports.sweep_reports": {"task": "reports.sweep_reports", "schedule": 5 * 60.0},
    # scholarships: re-queue approved letters a lost message left unsent; expire unanswered offers (the seat
    # goes to the next reserve candidate); anonymise non-selected applicants after the call's retention period.
    "scholarships.sweep_letters": {"task": "scholarships.sweep_letters", "schedule": 5 * 60.0},
    # Re-queue staff mailings a lost message or a killed worker left queued or sending (mailings app).
    "mailings.sweep_mailings": {"task": "mailings.sweep_mailings", "schedule": 5 * 60.0},
    "scholarships.expire_offers": {"task": "scholarships.expire_offers", "schedule": crontab(minute=7)},
    # Data protection: erase, in every category of the register (core/privacy.py), what has outlived its retention
    # period (the scholarships' own retention is one of them); re-queue personal data exports a lost message left.
    "core.apply_retention": {"task": "core.apply_retention", "schedule": crontab(hour=3, minute=23)},
    "core.sweep_personal_exports": {"task": "core.sweep_personal_exports", "schedule": 10 * 60.0},
    # algorithms: re-queue model jobs a dead worker or a lost message left behind, fail them after N attempts
    "algorithms.sweep_jobs": {"task": "algorithms.sweep_jobs", "schedule": 60.0},
    # algorithms: files kept for an upload's mapping step that the user never finished
    "algorithms.sweep_pending_uploads": {"task": "algorithms.sweep_pending_uploads", "schedule": crontab(minute=41)},
    # notifications: re-queue messages a lost message left unsent; the reminders (idempotent sweeps: a reminder is
    # logged once, so a second run sends nothing and a missed run is caught up); staff's daily digest.
    "notifications.sweep": {"task": "notifications.sweep", "schedule": 5 * 60.0},
    "notifications.reminders": {"task": "notifications.reminders", "schedule": crontab(minute=12)},
    "notifications.digests": {"task": "notifications.digests", "schedule": crontab(hour=6, minute=30)},
}
# How often each worker writes its heartbeat row, and when the health page calls a worker missing.
BACUDA_WORKER_HEARTBEAT_SECONDS = env.int("BACUDA_WORKER_HEARTBEAT_SECONDS", default=20)
BACUDA_WORKER_STALE_SECONDS = env.int("BACUDA_WORKER_STALE_SECONDS", default=90)

# --- Algorithms: datasets and model jobs ----------------------------------------------------------
# An uploaded dataset larger than this is refused before it is read; validation reports at most N problems.
BACUDA_DATASET_MAX_MEGABYTES = env.int("BACUDA_DATASET_MAX_MEGABYTES", default=200)
BACUDA_DATASET_MAX_PROBLEMS = env.int("BACUDA_DATASET_MAX_PROBLEMS", default=20)
# Image sets (ZIP archives): the archive's size, its number of files, its size unpacked, one picture's size
# unpacked, the compression ratio beyond which a file is taken for a zip bomb, and the pictures a class needs.
BACUDA_IMAGE_SET_MAX_MEGABYTES = env.int("BACUDA_IMAGE_SET_MAX_MEGABYTES", default=BACUDA_DATASET_MAX_MEGABYTES)
BACUDA_IMAGE_SET_MAX_FILES = env.int("BACUDA_IMAGE_SET_MAX_FILES", default=20_000)
BACUDA_IMAGE_SET_MAX_UNCOMPRESSED_MEGABYTES = env.int("BACUDA_IMAGE_SET_MAX_UNCOMPRESSED_MEGABYTES", default=2048)
BACUDA_IMAGE_SET_MAX_IMAGE_MEGABYTES = env.int("BACUDA_IMAGE_SET_MAX_IMAGE_MEGABYTES", default=30)
BACUDA_IMAGE_SET_MAX_RATIO = env.int("BACUDA_IMAGE_SET_MAX_RATIO", default=100)
BACUDA_IMAGE_SET_MIN_PER_CLASS = env.int("BACUDA_IMAGE_SET_MIN_PER_CLASS", default=5)
# A model job running longer than the soft limit (seconds) ends failed; the hard limit kills its task.
BACUDA_MODEL_JOB_SOFT_TIME_LIMIT = env.int("BACUDA_MODEL_JOB_SOFT_TIME_LIMIT", default=60 * 60)
BACUDA_MODEL_JOB_TIME_LIMIT = env.int("BACUDA_MODEL_JOB_TIME_LIMIT", default=BACUDA_MODEL_JOB_SOFT_TIME_LIMIT + 120)
# A running job writes a heartbeat every N seconds; the sweep calls it lost after STALE seconds of silence,
# re-queues it, and fails it after MAX_ATTEMPTS runs.
BACUDA_MODEL_JOB_HEARTBEAT_SECONDS = env.int("BACUDA_MODEL_JOB_HEARTBEAT_SECONDS", default=10)
BACUDA_MODEL_JOB_STALE_SECONDS = env.int("BACUDA_MODEL_JOB_STALE_SECONDS", default=120)
BACUDA_MODEL_JOB_MAX_ATTEMPTS = env.int("BACUDA_MODEL_JOB_MAX_ATTEMPTS", default=3)
# A job still queued after this many seconds has its message sent again (the broker may have lost it).
BACUDA_MODEL_JOB_RESEND_SECONDS = env.int("BACUDA_MODEL_JOB_RESEND_SECONDS", default=15 * 60)
# Where jobs write their working files (one fresh folder per run, removed afterwards).
BACUDA_MODEL_JOB_WORK_DIR = Path(env.str("BACUDA_MODEL_JOB_WORK_DIR", default=str(VAR_DIR / "jobs")))
# The engine function each kind of job calls (dotted paths; a JSON object in the environment overrides them).
BACUDA_ALGORITHM_ENGINES = {
    "date_train": "algorithms.engines.date.train",
    "date_score": "algorithms.engines.date.score",
    "date_simulate": "algorithms.engines.selection.simulation.simulate",
    "aihs_train": "algorithms.engines.aihs.train",
    "aihs_batch": "algorithms.engines.aihs.classify_batch",
    "synth": "algorithms.engines.synth.train_and_generate",
    "aihs_load": "algorithms.engines.aihs.load",
    "aihs_default": "algorithms.engines.aihs.default_model",
    "image_train": "algorithms.engines.images.train_images",
    "image_score": "algorithms.engines.images.score_images",
    "image_load": "algorithms.engines.images.load_classifier",
    **env.json("BACUDA_ALGORITHM_ENGINES", default={}),
}

# --- Public website --------------------------------------------------------------------------------
# How long anonymous visitors' pages and the home page's key figures are cached (content changes bump a
# version and make them stale at once; see bacuda_portal/website/caching.py).
BACUDA_PUBLIC_CACHE_SECONDS = env.int("BACUDA_PUBLIC_CACHE_SECONDS", default=300)
# News pictures are resized on upload to this width at most, with a thumbnail within this box.
BACUDA_NEWS_IMAGE_MAX_WIDTH = 1200
BACUDA_NEWS_THUMBNAIL_SIZE = (480, 320)
# Who receives contact-form messages (empty: every active WCO staff member).
BACUDA_CONTACT_EMAILS = env.list("BACUDA_CONTACT_EMAILS", default=[])
# Contact-form spam protection: minimum seconds between showing and sending the form; messages per IP per window.
BACUDA_CONTACT_MIN_SECONDS = env.int("BACUDA_CONTACT_MIN_SECONDS", default=3)
BACUDA_CONTACT_RATE_LIMIT = env.int("BACUDA_CONTACT_RATE_LIMIT", default=5)
BACUDA_CONTACT_RATE_WINDOW = env.int("BACUDA_CONTACT_RATE_WINDOW", default=60 * 60)
# Security headers (bacuda_portal/core/security.py): Django's own defaults, made explicit for every setting.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Data protection: retention periods ------------------------------------------------------------------------
# How long each kind of personal data is kept (the privacy notice and the staff register quote these values, and
# the daily task core.apply_retention erases what has outlived them). Each must be a whole number of at least 1:
# a typo or 0 stops the portal at start-up instead of erasing everything at 03:23. Why each default, in short:


def _retention_period(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {raw!r}.")
    return int(raw)


# Contact-form messages: a year after receipt covers the follow-up of any enquiry; they serve nothing after.
BACUDA_RETENTION_CONTACT_MESSAGE_MONTHS = _retention_period("BACUDA_RETENTION_CONTACT_MESSAGE_MONTHS", 12)
# Workshop participants' contact details (name, email, position): five years after the end of the last workshop
# they took part in: the follow-up survey runs months after a workshop, donor evaluations look back over a
# five-year project cycle, and counting each official once across workshops needs the address until then.
BACUDA_RETENTION_PARTICIPANT_YEARS = _retention_period("BACUDA_RETENTION_PARTICIPANT_YEARS", 5)
# Names on issued certificates: ten years after issue an employer can still verify a certificate; after that the
# name is pseudonymised and the PDF deleted (verification then says the holder's name was erased).
BACUDA_RETENTION_CERTIFICATE_YEARS = _retention_period("BACUDA_RETENTION_CERTIFICATE_YEARS", 10)
# Experts' profiles and CVs: five years without an assignment, a mission or an update to the profile (an expert
# not deployed for a whole project cycle is no longer in the pool; they may register again).
BACUDA_RETENTION_EXPERT_YEARS = _retention_period("BACUDA_RETENTION_EXPERT_YEARS", 5)
# Travel: itineraries, claim receipts and payment references are financial records that external audit may ask
# for: seven years after the mission ends, the period of the usual financial-record rules. An erasure request
# does not remove a paid or approved record before then (a legal obligation); it is erased at the end.
BACUDA_RETENTION_TRAVEL_YEARS = _retention_period("BACUDA_RETENTION_TRAVEL_YEARS", 7)
# Uploaded datasets (declarations hold importer and declarant identifiers) and the files derived from them
# (scored lists, synthetic data): three years after upload, enough to train, compare and re-train models; the
# administration uploads newer data meanwhile. Trained model files are kept (they hold no rows of the data).
BACUDA_RETENTION_DATASET_MONTHS = _retention_period("BACUDA_RETENTION_DATASET_MONTHS", 36)
# Scholarship applicants who were not selected: each call sets its own period (Call.retention_days, two years by
# default). Selected scholars: seven years after the call closes (the programme, its outcome and the audit of
# the grants that paid for it).
BACUDA_RETENTION_SCHOLAR_YEARS = _retention_period("BACUDA_RETENTION_SCHOLAR_YEARS", 7)
# User accounts not signed in to for three years (staff accounts excepted: the project manager closes those):
# deactivated and pseudonymised.
BACUDA_RETENTION_DORMANT_ACCOUNT_YEARS = _retention_period("BACUDA_RETENTION_DORMANT_ACCOUNT_YEARS", 3)
# A contact point's telephone and position: two years after their role ended (handover questions), then erased.
BACUDA_RETENTION_CONTACT_POINT_YEARS = _retention_period("BACUDA_RETENTION_CONTACT_POINT_YEARS", 2)
# Invitations (name and address of the person invited): ninety days after they were accepted, revoked or expired.
BACUDA_RETENTION_INVITATION_DAYS = _retention_period("BACUDA_RETENTION_INVITATION_DAYS", 90)
# Archived workshop and selection reports (PDFs that list participants and applicants by name): five years, the
# participants' period; they are deleted at once when someone they name is erased, and can be rendered again.
BACUDA_RETENTION_NAMED_REPORT_YEARS = _retention_period("BACUDA_RETENTION_NAMED_REPORT_YEARS", 5)
# Staff mailings' recipient lists (name and address of each recipient, and the delivery outcome): two years after
# the mailing was written, enough to answer "did I get it?" and to resend; then names and addresses are erased.
BACUDA_RETENTION_MAILING_RECIPIENT_MONTHS = _retention_period("BACUDA_RETENTION_MAILING_RECIPIENT_MONTHS", 24)
# A person's own data export (a ZIP of everything): a week to download it.
BACUDA_RETENTION_EXPORT_DAYS = _retention_period("BACUDA_RETENTION_EXPORT_DAYS", 7)
# Rows erased per category in one daily run (the rest wait for the next day: a first run on old data stays short).
BACUDA_RETENTION_BATCH = _retention_period("BACUDA_RETENTION_BATCH", 500)
# Who answers data-protection questions, named on the privacy notice.
BACUDA_PRIVACY_CONTACT_EMAIL = env.str("BACUDA_PRIVACY_CONTACT_EMAIL", default="bacuda@wcoomd.org")

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# The notifications' delivery log (recipient, subject and text of each message): a year, long enough to answer
# "did they get the reminder?" for a whole call or workshop cycle; then the addresses and texts are erased.
BACUDA_RETENTION_NOTIFICATION_MONTHS = _retention_period("BACUDA_RETENTION_NOTIFICATION_MONTHS", 12)
