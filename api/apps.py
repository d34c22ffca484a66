from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("开放接口")

    def ready(self):
        # Registers the OpenAPI description of the Bearer token scheme.
        from . import schema  # noqa: F401
