"""Settings, read from the environment.

With no variables set the app runs on a bare machine: SQLite in ``var/`` and a Celery
transport that keeps its queue in files. Set ``DATABASE_URL`` and ``REDIS_URL`` to run on
PostgreSQL and Redis. ``.env.example`` documents every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

from config.storage import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# Local state of the embedded run: the SQLite file, the Celery queue, uploads.
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The demo (`make run`, DJANGO_DEMO=true): debugging off, so a visitor sees the
# site's own Chinese error pages as in production, yet served over plain HTTP on this
# machine (no HTTPS redirect, HSTS or secure-only cookies), static files by
# WhiteNoise from the source folders, and a secret key made once into var/. It
# changes only defaults: production never sets it, and `check --deploy` judges
# production's settings as before.
DEMO = env.bool("DJANGO_DEMO", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=not DEMO)
# Production: HTTPS only, JSON logs. Development and the demo: plain HTTP, text logs.
_PRODUCTION = not (DEBUG or DEMO)
# Production (DEBUG off) must bring its own key; only the embedded development run
# falls back to a fixed, publicly known one, and the demo to one of its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and DEMO:
    _key_file = VAR_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.touch(mode=0o600)
        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the secret key must "
            "come from the environment: a long random string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Origins (scheme://host[:port]) whose HTTPS form posts are trusted, e.g. the public
# name of a TLS-terminating proxy.
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.Admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    # API tokens: hashed at rest, expiring when idle (accounts/tokens.py).
    "config.apps.Knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "config.apps.Axes",
    "config.apps.Otp",
    "config.apps.Totp",
    "common",
    "accounts",
    "congress",
    "suggestions",
    "notifications",
    "dashboard",
    "audit",
    "imports",
    "demo",
]

MIDDLEWARE = [
    # First: answers /healthz with no session, CSRF, host or HTTPS-redirect work.
    "congress.health.HealthCheckMiddleware",
    # A request id on every log line of the request (and in X-Request-ID).
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after the HTTPS redirect: /static/ is answered here, with no session,
    # CSRF or CSP work (the demo has no other server for it; see WHITENOISE_*).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the OTP-verified state of the user, idle session expiry.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The request for the security log's signals; logs 403 responses.
    "audit.middleware.SecurityLogMiddleware",
    # Last: turns a lockout flagged during authentication into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "suggestions.context_processors.navigation",
                "accounts.context_processors.text_size_choice",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"


def _database(url: str) -> dict:
    """A database's settings from its URL, with the options every connection to
    it takes (the primary and the read replica alike)."""
    database = environ.Env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (web, worker, beat) share the file: wait for a lock
        # instead of failing at once, and take the write lock at BEGIN so that
        # select_for_update's intent (one writer at a time) holds on SQLite too.
        database["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        return database
    # Connections are kept between requests and checked before reuse, so that a
    # database restart costs the requests made while it is down, never a restart of
    # the app; a server that does not answer fails the request after a bound.
    database["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    database["CONN_HEALTH_CHECKS"] = True
    database.setdefault("OPTIONS", {})
    database["OPTIONS"]["connect_timeout"] = env.int(
        "DJANGO_DB_CONNECT_TIMEOUT", default=5
    )
    # Short web queries: JIT compilation (hundreds of ms) never pays off, and the
    # text search's costly index function would make the planner ask for it. A
    # bitmap of a frequent word's matches in a million suggestions must stay exact
    # (a lossy one re-runs the index function on every row of its pages): 32 MB.
    # A list page reads its 25 rows with their session, congress, body, category,
    # deputy, delegation and unit around an ``id IN (…)`` of the page's keys: past
    # PostgreSQL's default of 8 joins the planner stops reordering them and
    # hash-joins the whole table (1 s at 100k rows instead of 7 ms, 3 s at 1M).
    # 10 and not more: a suggestion's detail joins 14 tables by its key, which the
    # planner searched exhaustively at 12 (110–150 ms of planning for 0.5 ms of
    # work; 20 ms at 10).
    database["OPTIONS"].setdefault(
        "options",
        env.str(
            "DJANGO_PG_OPTIONS",
            default="-c jit=off -c work_mem=32MB "
            "-c join_collapse_limit=10 -c from_collapse_limit=10",
        ),
    )
    return database


DATABASES = {
    "default": _database(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    ),
}
# A read replica of the primary (PostgreSQL streaming replication): the dashboards,
# the exports and the public pages read from it, everything else from the primary
# (common/db.py). Tests make it a mirror of the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **_database(DATABASE_REPLICA_URL),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["common.db.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Axes first: it refuses locked-out username/IP pairs before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language, long and short alike (config/formats/<lang>/).
FORMAT_MODULE_PATH = "config.formats"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns of a missing one
# WhiteNoise serves what `collectstatic` gathered into STATIC_ROOT (the image does
# it at build time); the demo and development, which never collect, are served
# from the source folders themselves.
WHITENOISE_USE_FINDERS = DEBUG or DEMO
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded letters: in MEDIA_ROOT, or with MEDIA_STORAGE_URL (s3://bucket/prefix?…)
# in an S3-compatible bucket shared by every web node (config/storage.py).
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
STORAGES = {
    "default": media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "suggestions:workbench"
LOGOUT_REDIRECT_URL = "accounts:login"
# Widgets render with the project's templates (Bootstrap classes on every input).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
# Files up to the reply letter limit (20 MB) are accepted by the upload handlers.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    # A queue in plain files: worker, beat and web share it without any server.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcast (control) messages too, or kombu writes ./control in the cwd.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# Seconds between beat's heartbeat tasks and between its outbox flushes (the fault
# tests shorten both).
CELERY_HEARTBEAT_SECONDS = env.float("CELERY_HEARTBEAT_SECONDS", default=60.0)
CELERY_OUTBOX_FLUSH_SECONDS = env.float("CELERY_OUTBOX_FLUSH_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "congress.tasks.record_worker_heartbeat",
        "schedule": CELERY_HEARTBEAT_SECONDS,
    },
    # The safety net of the outbox: copies whose broker message was lost.
    "flush-outbox": {
        "task": "notifications.tasks.flush_outbox",
        "schedule": CELERY_OUTBOX_FLUSH_SECONDS,
    },
    # The safety net of the statistics snapshots: any left stale (a lost broker
    # message, a change made outside the services) is refreshed within a minute.
    "refresh-statistics": {
        "task": "dashboard.tasks.refresh_stale_statistics",
        "schedule": 60.0,
    },
    # Idempotent, so hourly is harmless and catches up after downtime.
    "send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute=5),
    },
    # The safety net of the published counts (suggestions.models.PublishedCount).
    "recount-published": {
        "task": "suggestions.tasks.recount_published_suggestions",
        "schedule": crontab(minute=15, hour=3),
    },
    # The smart intake's vectors and centroids (suggestions.intake.index).
    "rebuild-intake-indexes": {
        "task": "suggestions.tasks.rebuild_intake_indexes",
        "schedule": crontab(minute=30, hour=2),
    },
    "weekly-digests": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(minute=30, hour=8, day_of_week="mon"),
    },
    # Idempotency keys and used form tokens live 24 hours (common/tasks.py).
    "purge-idempotency-keys": {
        "task": "common.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=45),
    },
}

# Statistics snapshots (dashboard.statistics): a stale session with at most this many
# suggestions counted is recomputed while the reader waits; a larger one is served
# stale (marked) and refreshed by a worker, STATISTICS_REFRESH_DELAY seconds after
# the change (a burst of changes makes one refresh).
STATISTICS_SYNC_LIMIT = env.int("STATISTICS_SYNC_LIMIT", default=20000)
STATISTICS_REFRESH_DELAY = env.int("STATISTICS_REFRESH_DELAY", default=2)

# Text search on PostgreSQL (suggestions.search) counts matches up to this many; a
# search with more lists the newest this many and says "more than" (at least 25).
SEARCH_COUNT_LIMIT = max(25, env.int("SEARCH_COUNT_LIMIT", default=1000))

# --- Messages -------------------------------------------------------------------------
# E-mail: EMAIL_URL (e.g. smtp+tls://user:pass@mail.example:587); by default the
# messages are written as files to var/mail so that the embedded run shows them.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="suggestions@localhost")
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.LogSmsBackend")
SMS_LOG_FILE = env.str("SMS_LOG_FILE", default=str(VAR_DIR / "sms" / "outbox.log"))

# The empty choice of every filter select: "全部", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("filter", "All")

# --- REST framework -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies are JSON; a view that takes a file (the reply with its letter)
    # adds multipart itself. The schema then declares one content type per body,
    # which is what client generators handle.
    "DEFAULT_PARSER_CLASSES": ["common.api.parsers.JSONParser"],
    # The test client sends what the API takes unless a test asks for multipart.
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Domain errors → 409/403/404/400, protected deletes → 409 (suggestions/api).
    "EXCEPTION_HANDLER": "common.api.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "suggestions.api.pagination.PageNumberPagination",
    "DEFAULT_METADATA_CLASS": "common.api.metadata.ApiMetadata",
    "PAGE_SIZE": 25,
}
# API tokens (django-rest-knox): stored as hashes; a token unused for
# DJANGO_API_TOKEN_IDLE_HOURS (a working day by default) is refused, and each use
# pushes its expiry forward (written at most once in MIN_REFRESH_INTERVAL seconds,
# so a busy client costs no write per request). A password change or a
# deactivation deletes the user's tokens (accounts/tokens.py).
API_TOKEN_IDLE = timedelta(hours=env.float("DJANGO_API_TOKEN_IDLE_HOURS", default=8))
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_IDLE,
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": min(5 * 60, API_TOKEN_IDLE.total_seconds() / 10),
    "AUTH_HEADER_PREFIX": "Token",
}
# The OpenAPI schema at /api/v1/schema/; the docs' assets come from the sidecar
# package under /static/, never from a CDN (intranets are often offline).
SPECTACULAR_SETTINGS = {
    "TITLE": "Deputies' suggestions API",
    "DESCRIPTION": "人大代表建议办理 — the REST API, v1 (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.drop_parameter_titles",
        "config.openapi.add_idempotency_key",
    ],
    "ENUM_NAME_OVERRIDES": {
        "SuggestionStatusEnum": "suggestions.models.Status",
        "AssignmentRoleEnum": "suggestions.models.AssignmentRole",
        "AdjustmentKindEnum": "suggestions.models.AdjustmentKind",
        "AccountRoleEnum": "accounts.models.Role",
        "UnitKindEnum": "congress.models.UnitKind",
        "ContactStageEnum": "congress.models.ContactStage",
        "SupervisionKindEnum": "suggestions.models.SupervisionKind",
        "RatingEnum": "suggestions.models.Rating",
    },
}

# --- Domain settings ------------------------------------------------------------------
# Days before a due date on which a unit is reminded (催办); overdue items weekly.
SUGGESTIONS_REMINDER_DAYS = env.list(
    "SUGGESTIONS_REMINDER_DAYS", cast=int, default=[15, 7, 1]
)

# --- Security -------------------------------------------------------------------------
# Behind a TLS-terminating proxy: DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
# (the header the proxy sets to "https"; it must strip the header from clients) and
# DJANGO_SECURE_SSL_REDIRECT=false if the proxy already redirects plain HTTP.
_proxy_ssl_header = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_PRODUCTION)
# Load balancers probe the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env.int(
    "DJANGO_SECURE_HSTS_SECONDS", default=31536000 if _PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # The browsers' preload list is for public domains; an intranet name cannot be
    # submitted, so not preloading is the deliberate choice, not an oversight.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies: sent over HTTPS only in production; never readable by scripts (the JS in
# static/js does not read the CSRF cookie; forms carry the token).
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
# A sign-in lasts a working day at most, and ends after an idle hour
# (accounts.middleware.IdleSessionTimeoutMiddleware).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=60 * 60)

# Content-Security-Policy (django-csp): every asset and script is a local file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): a username/IP pair is locked after 5 failures for
# 15 minutes; a success resets the count. An address is locked for every username
# after 20 failures over all usernames in the cool-off (password spraying;
# accounts.lockout.AddressLimitHandler). Staff unlock at /audit/lockouts/ (or in
# the admin, Axes → Access attempts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "accounts.lockout.AddressLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"
AXES_VERBOSE = False
# Sign-ins are in the security log (audit); axes' own access log would repeat them.
AXES_DISABLE_ACCESS_LOG = True
# How many proxies in front of the app append to X-Forwarded-For (0: use the peer's
# address). The client's address is then the entry that many places from the right.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Two-factor sign-in (django-otp, TOTP) for staff who enrol a device.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Deputies' suggestions")

# --- Health and logs ------------------------------------------------------------------
# /healthz (congress/health.py): a worker heartbeat older than this many seconds is
# "stale" (beat sends one every minute); the broker check gives up after this long.
HEALTH_HEARTBEAT_MAX_AGE = env.int("DJANGO_HEALTH_HEARTBEAT_MAX_AGE", default=300)
HEALTH_BROKER_TIMEOUT = env.float("DJANGO_HEALTH_BROKER_TIMEOUT", default=1.0)

# One JSON object a line on stdout in production (DJANGO_DEBUG=false), readable text
# while developing; DJANGO_LOG_FORMAT=json|text overrides. Every line carries the
# request id (django-log-request-id; a proxy's X-Request-ID is reused), and every
# request is logged once with its method, path, status and user.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="json" if _PRODUCTION else "text")
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOG_REQUESTS = env.bool("DJANGO_LOG_REQUESTS", default=_PRODUCTION)
NO_REQUEST_ID = "-"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "log_request_id.filters.RequestIDFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        },
        "text": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
    # Through the root's handler only (Django's own would print each line twice).
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}
# Celery's worker and beat log through the same handler in JSON (by default they
# replace the root logger's handlers with their own text format).
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
