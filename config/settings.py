"""Settings, read from the environment.

With no variables set the app runs on a bare machine: SQLite in ``var/`` and a Celery
transport that keeps its queue in files. Set ``DATABASE_URL`` and ``REDIS_URL`` to run on
PostgreSQL and Redis. ``.env.example`` documents every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# Local state of the embedded run: the SQLite file, the Celery queue, uploads.
VAR_DIR = Path(env.str("DJANGO_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# The fallback key only ever serves the embedded development run; production must set one.
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="dev-only-insecure-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "congress",
    "suggestions",
    "notifications",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, beat) share the file: wait for a lock instead of
    # failing at once, and take the write lock at BEGIN so that select_for_update's
    # intent (one writer at a time) holds on SQLite too.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Short web queries: JIT compilation (hundreds of ms) never pays off, and the
    # text search's costly bigram function would make the planner ask for it. A
    # bitmap of a frequent word's matches in a million suggestions must stay exact
    # (a lossy one re-runs the bigram function on every row of its pages): 32 MB.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", env.str("DJANGO_PG_OPTIONS", default="-c jit=off -c work_mem=32MB")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

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
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))

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
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "congress.tasks.record_worker_heartbeat",
        "schedule": 60.0,
    },
    # The safety net of the outbox: copies whose broker message was lost.
    "flush-outbox": {"task": "notifications.tasks.flush_outbox", "schedule": 60.0},
    # Idempotent, so hourly is harmless and catches up after downtime.
    "send-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute=5),
    },
    "weekly-digests": {
        "task": "notifications.tasks.send_weekly_digests",
        "schedule": crontab(minute=30, hour=8, day_of_week="mon"),
    },
}

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

# --- REST framework -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Domain errors → 409/403/404/400, protected deletes → 409 (suggestions/api).
    "EXCEPTION_HANDLER": "suggestions.api.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "suggestions.api.pagination.PageNumberPagination",
    "DEFAULT_METADATA_CLASS": "suggestions.api.metadata.ApiMetadata",
    "PAGE_SIZE": 25,
}
# The OpenAPI schema at /api/v1/schema/; the docs' assets come from the sidecar
# package under /static/, never from a CDN (intranets are often offline).
SPECTACULAR_SETTINGS = {
    "TITLE": "Deputies' suggestions API",
    "DESCRIPTION": "人大代表建议办理 — the REST API of shared/API.md (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "SuggestionStatusEnum": "suggestions.models.Status",
        "AssignmentRoleEnum": "suggestions.models.AssignmentRole",
        "AdjustmentKindEnum": "suggestions.models.AdjustmentKind",
        "AccountRoleEnum": "accounts.models.Role",
        "UnitKindEnum": "congress.models.UnitKind",
    },
}

# --- Domain settings ------------------------------------------------------------------
# Days before a due date on which a unit is reminded (催办); overdue items weekly.
SUGGESTIONS_REMINDER_DAYS = env.list(
    "SUGGESTIONS_REMINDER_DAYS", cast=int, default=[15, 7, 1]
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
}
