"""The site itself: settings, URLs, the Celery app, people (users, enterprises,
roles), the home page and the health check. Depends on nothing else here."""

from .celery import app as celery_app

__all__ = ("celery_app",)
