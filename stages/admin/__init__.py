"""Admin for the configuration (stages and their vocabularies) and the
working-day calendar, one module per page family."""

from . import calendar, catalogue, stage  # noqa: F401 (registers the admin pages)
