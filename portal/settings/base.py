"""Settings shared by every environment; everything that differs comes from
environment variables (DATABASE_URL, REDIS_URL, SECRET_KEY, DJANGO_DEBUG,
ALLOWED_HOSTS, EMAIL_URL, MEDIA_ROOT)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "portal",
    "stages",
    "approvals",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "queueing",
    "supervision",
    "exchange",
    "webhooks",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
                "portal.context_processors.unread_notifications",
            ],
        },
    },
]


def database(default):
    """DATABASE_URL as Django settings. On PostgreSQL without JIT: the
    supervision figures' larger plans cross its cost threshold, and
    compiling them cost seconds (measured 17 s for one) for queries that
    run in tens of milliseconds without it."""
    config = env.db("DATABASE_URL", default=default)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {"default": database(default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
# Persistent connections: without them PostgreSQL pages are ~8x slower here
# (FACTS.md: 176 vs 1,444 req/s for one get()).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Media is private: no MEDIA_URL is routed; every file is served by a view that
# checks who may see it.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "portal",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
# Sessions live in the database so a Redis outage does not log anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="一件事平台 <noreply@portal.invalid>")
# Notification emails are sent while a worker holds the delivery row's lock;
# never wait on a silent SMTP server for ever (Django's default).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 1}
# Publishing happens in on_commit hooks of web requests: fail fast when the
# broker is down (the outbox sweep re-enqueues) rather than hang the request.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Defaults for every task; quick tasks set tighter ones. The soft limit
# raises inside the task (its transaction rolls back, autoretry applies); the
# hard limit kills the child, and reject_on_worker_lost puts the message back.
# Both stay well under Redis' visibility timeout (1 h), or a long task would
# be handed to a second worker while the first still runs it.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# WeasyPrint's memory climbs over many renders (FACTS.md); recycle children.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "redeliver-outbox": {
        "task": "approvals.redeliver_outbox",
        "schedule": 60.0,
    },
    "sweep-deadlines": {
        "task": "approvals.sweep_deadlines",
        "schedule": 600.0,
    },
    "nightly-outbox-check": {
        "task": "approvals.redeliver_outbox",
        "schedule": crontab(hour=2, minute=0),
    },
    # Webhook deliveries whose message was lost (broker down at commit, a
    # retry never scheduled); each delivery is idempotent.
    "webhooks-requeue-pending": {
        "task": "webhooks.requeue_pending",
        "schedule": 60.0,
    },
    # 数据共享: rows changed since the last run, to the national tables' files.
    "exchange-export-spgl": {
        "task": "exchange.export_spgl",
        "schedule": crontab(minute=40),
    },
    # Daily / weekly / 10-day reports: due ones are created just after
    # midnight; the hourly runs catch up on anything a down worker or
    # broker missed (one report per kind+period+jurisdiction, so no doubles).
    "supervision-periodic-reports": {
        "task": "supervision.generate_periodic_reports",
        "schedule": crontab(minute=15),
    },
}

# An export (exchange/) takes only rows changed at least this long ago, so a
# transaction still open when it reads cannot slip behind its cursor.
EXCHANGE_SPGL_SETTLE_SECONDS = env.int("EXCHANGE_SPGL_SETTLE_SECONDS", default=120)

PORTAL_CERTIFICATE_FONT_DIR = BASE_DIR / "static" / "fonts"
PORTAL_PUBLIC_BASE_URL = env("PORTAL_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Every upload is scanned (approvals/services/virus_scan.py). The default
# scans nothing; set "approvals.services.virus_scan.ClamdScanner" and the
# clamd address to use ClamAV. An unreachable scanner refuses the upload.
PORTAL_VIRUS_SCANNER = env(
    "PORTAL_VIRUS_SCANNER", default="approvals.services.virus_scan.NoScanner"
)
PORTAL_CLAMD_ADDRESS = env("PORTAL_CLAMD_ADDRESS", default="tcp://127.0.0.1:3310")
PORTAL_CLAMD_TIMEOUT = env.float("PORTAL_CLAMD_TIMEOUT", default=30)
# Enterprise invitations (portal/membership.py) expire after this many seconds.
PORTAL_INVITATION_MAX_AGE = env.int("PORTAL_INVITATION_MAX_AGE", default=7 * 24 * 3600)
PORTAL_PROJECT_TARGET_WORKING_DAYS = 100
# Yellow warning when at most this fraction of a limit is left (sample value
# from catalog.yaml; some cities warn at 2 working days).
PORTAL_YELLOW_FRACTION_LEFT = env.float("PORTAL_YELLOW_FRACTION_LEFT", default=0.2)

# Text messages (portal/sms.py): the logging backend unless a gateway is
# configured; the HTTP backend POSTs JSON with the key as a bearer token.
PORTAL_SMS_BACKEND = env("PORTAL_SMS_BACKEND", default="portal.sms.LoggingSmsBackend")
PORTAL_SMS_GATEWAY_URL = env("PORTAL_SMS_GATEWAY_URL", default="")
PORTAL_SMS_API_KEY = env("PORTAL_SMS_API_KEY", default="")
PORTAL_SMS_TIMEOUT = env.float("PORTAL_SMS_TIMEOUT", default=10)
# Webhooks (webhooks/): each POST waits at most WEBHOOKS_TIMEOUT seconds;
# failures retry after 30 s, 1, 2, 4 … minutes (at most an hour apart) and
# the row is `failed` after WEBHOOKS_MAX_ATTEMPTS (about 5 hours of trying).
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10)
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=12)
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=30)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=3600)
# Credit status (portal/credit.py): the local list kept in admin, or
# "portal.credit.HttpCreditSource" to ask a credit system at PORTAL_CREDIT_URL.
PORTAL_CREDIT_SOURCE = env("PORTAL_CREDIT_SOURCE", default="portal.credit.LocalCreditList")
PORTAL_CREDIT_URL = env("PORTAL_CREDIT_URL", default="")
PORTAL_CREDIT_TOKEN = env("PORTAL_CREDIT_TOKEN", default="")
PORTAL_CREDIT_TIMEOUT = env.float("PORTAL_CREDIT_TIMEOUT", default=3)
# Seconds a credit system's answer is reused for the same credit code (0: ask
# every time); an unavailable answer is never kept.
PORTAL_CREDIT_CACHE_SECONDS = env.int("PORTAL_CREDIT_CACHE_SECONDS", default=300)
# Events listed on the notification preferences page: named here so portal
# need not import approvals (dependencies point approvals → portal).
PORTAL_NOTIFICATION_EVENTS = "approvals.notification_templates.event_choices"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

ADMIN_SITE_HEADER = _("一件事审批平台管理")

# The REST API (api/). Rates per token, per signed-in person and per
# anonymous address, counted in the cache (Redis).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.HasRequiredScopes",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.SessionRateThrottle",
        "api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env("API_TOKEN_RATE", default="600/min"),
        "user": env("API_USER_RATE", default="600/min"),
        "anon": env("API_ANON_RATE", default="60/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bodies are JSON (a material upload is multipart): form encodings cannot
    # say null, a number or a list, so a typed body would be read differently.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "一件事审批平台 API",
    "DESCRIPTION": "事项目录、项目与申请、窗口受理、部门审查、电子证照。"
    "令牌在管理后台创建：Authorization: Bearer <前缀>.<密钥>。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI / Redoc assets served from the sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "approvals.models.ApplicationState",
        "ReviewTaskStateEnum": "approvals.models.ReviewTaskState",
    },
}

# The key and certificate that sign certificate PDFs (PAdES). A deployment
# points these at its own; `manage.py ensure_signing_key` makes a
# self-signed development pair here when none exists.
_SIGNING_DIR = BASE_DIR / "var" / "signing"
PORTAL_SIGNING_KEY = env("PORTAL_SIGNING_KEY", default=str(_SIGNING_DIR / "key.pem"))
PORTAL_SIGNING_CERT = env("PORTAL_SIGNING_CERT", default=str(_SIGNING_DIR / "cert.pem"))
