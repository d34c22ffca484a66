"""One matter's review by its department, in parallel with the others."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from stages.models import Department, Jurisdiction, Matter

from ..rules import transition_permission
from .application import Application
from .clock import Clocked, warning_indexes


class ReviewTaskState(models.TextChoices):
    PENDING = "pending", _("待签收")
    REVIEWING = "reviewing", _("审查中")
    NEEDS_SUPPLEMENT = "needs_supplement", _("待补充材料")
    SUSPENDED = "suspended", _("特别程序中")
    APPROVED = "approved", _("通过")
    REJECTED = "rejected", _("不通过")


T = ReviewTaskState
UNDECIDED = [T.PENDING, T.REVIEWING, T.NEEDS_SUPPLEMENT, T.SUSPENDED]


class ReviewTaskQuerySet(models.QuerySet):
    def for_reviewer(self, user):
        membership = getattr(user, "staff_membership", None)
        if user.role != "reviewer" or membership is None:
            return self.none()
        scoped = self.filter(department_id=membership.department_id)
        if not membership.jurisdiction.is_city:
            scoped = scoped.filter(jurisdiction_id=membership.jurisdiction_id)
        return scoped


class ReviewTask(Clocked):
    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="tasks"
    )
    matter = models.ForeignKey(Matter, verbose_name=_("事项"), on_delete=models.PROTECT)
    # Copied from the matter and project so inboxes filter on one table.
    department = models.ForeignKey(Department, verbose_name=_("审查部门"), on_delete=models.PROTECT)
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("区域"), on_delete=models.PROTECT)
    mandatory = models.BooleanField(_("必办"), default=True)
    state = FSMField(_("状态"), default=T.PENDING, choices=T.choices, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opinion = models.TextField(_("审查意见"), blank=True)
    due_on = models.DateField(_("审查期限"), null=True, blank=True, db_index=True)
    supplement_request = models.TextField(_("补充材料要求"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("审查任务")
        verbose_name_plural = _("审查任务")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "matter"], name="one_task_per_matter")
        ]
        # A department may hold hundreds of thousands of tasks: the inbox
        # walks these in due order (benchmarks/reviewer_inbox.py), and the
        # warning sweep reads only rows not yet warned (benchmarks/warning_sweep.py).
        indexes = [
            models.Index(
                fields=["department", "due_on", "id"],
                condition=Q(state__in=[T.PENDING, T.REVIEWING]),
                name="task_inbox_open_due_idx",
            ),
            models.Index(fields=["department", "due_on", "id"], name="task_inbox_due_idx"),
            models.Index(
                fields=["department", "jurisdiction", "state"],
                condition=Q(state__in=UNDECIDED),
                name="task_inbox_undecided_idx",
            ),
            *warning_indexes("task", Q(state__in=[T.PENDING, T.REVIEWING])),
        ]

    def __str__(self):
        return f"{self.matter} · {self.application.project}"

    @transition(
        field=state,
        source=T.PENDING,
        target=T.REVIEWING,
        permission=transition_permission("decide_task"),
    )
    def claim(self, reviewer):
        self.reviewer = reviewer

    @transition(
        field=state,
        source=T.REVIEWING,
        target=T.APPROVED,
        permission=transition_permission("decide_task"),
    )
    def approve(self, opinion):
        self.opinion = opinion
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=T.REVIEWING,
        target=T.NEEDS_SUPPLEMENT,
        permission=transition_permission("decide_task"),
    )
    def request_supplement(self, request):
        self.supplement_request = request

    @transition(
        field=state,
        source=T.NEEDS_SUPPLEMENT,
        target=T.REVIEWING,
        permission=transition_permission("answer_supplement"),
    )
    def answer_supplement(self):
        pass

    @transition(
        field=state,
        source=[T.PENDING, T.REVIEWING],
        target=T.SUSPENDED,
        permission=transition_permission("decide_task"),
    )
    def suspend(self):
        pass

    @transition(
        field=state,
        source=T.SUSPENDED,
        target=T.REVIEWING,
        permission=transition_permission("decide_task"),
    )
    def resume(self):
        pass

    @transition(
        field=state,
        source=T.REVIEWING,
        target=T.REJECTED,
        permission=transition_permission("decide_task"),
    )
    def reject(self, opinion):
        self.opinion = opinion
        self.decided_at = timezone.now()
