from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("数据推送（Webhook）")

    def ready(self):
        from approvals.models import TransitionLog

        from .outbox import on_transition_logged

        # The log row is written by every transition inside its transaction,
        # so a receiver here writes the outbox rows in that same transaction
        # without approvals knowing webhooks exist. (A bulk_create of log rows
        # would bypass it; nothing writes the log that way.)
        post_save.connect(
            on_transition_logged, sender=TransitionLog, dispatch_uid="webhooks.outbox"
        )
