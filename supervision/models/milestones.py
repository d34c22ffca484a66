"""Each project's two dates for the 100-working-day figure, summarised:
its first stage-1 submission and its construction-permit decision (the
figure's own grouping over every application was ~0.6 s of each dashboard
view at 200,000 applications).

Rebuilt whole with the duration summary (`supervision.summaries.refresh`).
Readers take a project's dates from here unless one of its stage-1 or
stage-3 applications was submitted or decided since the summary's edge:
those projects (a day's worth) are measured from their applications, so
the figure is exact whenever the summary was built. Projects submitted for
the first time since then are among them, so they need no row yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectMilestones(models.Model):
    # No database constraint: a derived table must never hold up deleting
    # a project; a row of a deleted project is simply never joined.
    project = models.OneToOneField(
        "approvals.Project",
        verbose_name=_("项目"),
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="supervision_milestones",
    )
    first_submitted = models.DateTimeField(_("首次申报立项用地规划许可"))
    permit_decided = models.DateTimeField(_("施工许可办结"), null=True)

    class Meta:
        verbose_name = _("项目节点汇总")
        verbose_name_plural = _("项目节点汇总")

    def __str__(self):
        return f"{self.project_id} {self.first_submitted:%Y-%m-%d}"
