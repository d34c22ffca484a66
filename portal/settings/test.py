"""pytest: the real PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaulting
to this machine's servers); fast password hashing; mail kept in memory."""

from .base import *  # noqa: F403
from .base import BASE_DIR, database, env

DEBUG = False
DATABASES = {"default": database(default="postgres://postgres@127.0.0.1:5432/portal")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Shared by the test process and the Celery worker it starts.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))

# Static files straight from static/ (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
