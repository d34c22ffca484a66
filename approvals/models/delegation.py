"""全程代办: an enterprise delegates a project to a free agent of the
project's zone; the agent may then do everything the applicant can on it,
until the enterprise revokes the delegation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .project import Project


class Delegation(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="delegations"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办员"),
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("委托人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("委托时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("代办委托")
        verbose_name_plural = _("代办委托")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_delegation_per_project",
            )
        ]

    def __str__(self):
        return f"{self.project} → {self.agent}"

    @property
    def is_active(self):
        return self.revoked_at is None
