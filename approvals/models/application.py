"""An application of one project for one stage, and its state machine.

The FSM methods here only change state and the columns that belong to it;
locking, permission checks, saving, history and side effects are done by
`approvals.services`, the only callers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.models import Enterprise
from stages.configuration import Configuration
from stages.models import Jurisdiction, Stage, StageVersion

from ..rules import transition_permission
from .clock import Clocked, warning_indexes
from .project import Project
from .visibility import scoped_to


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待受理")
    CORRECTING = "correcting", _("补正中")
    REFUSED = "refused", _("不予受理")
    IN_REVIEW = "in_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序中")
    APPROVED = "approved", _("已批准待发证")
    REJECTED = "rejected", _("不予许可")
    ISSUED = "issued", _("已发证")
    DELIVERED = "delivered", _("已送达")
    WITHDRAWN = "withdrawn", _("已撤回")


class DeliveryMethod(models.TextChoices):
    """How the result reaches the applicant (免费邮寄: mailing is free)."""

    COLLECT = "collect", _("窗口领取")
    MAIL = "mail", _("免费邮寄")


S = ApplicationState
CLOSED_STATES = [S.REFUSED, S.REJECTED, S.WITHDRAWN]


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applicants: their enterprise's. Clerks and supervisors: their
        jurisdiction's (city level: all). Reviewers: where their department
        has a task."""
        scoped = scoped_to(self, user, project_path="project")
        membership = getattr(user, "staff_membership", None)
        if getattr(user, "role", None) == "reviewer" and membership is not None:
            scoped = scoped.filter(tasks__department_id=membership.department_id).distinct()
        return scoped

    def matching_ids(self, query):
        """Ids of applications whose number, project name or code, or
        enterprise name or credit code contains the text. Each piece is its
        own query served by its index (trigram ones: migration 0016), joined
        by UNION ALL: an OR across tables would make PostgreSQL scan them
        all. Orderings are cleared, since a set needs none."""
        enterprises = (
            Enterprise.objects.order_by()
            .filter(name__icontains=query)
            .values("pk")
            .union(
                Enterprise.objects.order_by().filter(credit_code=query.upper()).values("pk"),
                all=True,
            )
        )
        projects = Project.objects.order_by()
        projects = (
            projects.filter(name__icontains=query)
            .values("pk")
            .union(
                projects.filter(code__icontains=query).values("pk"),
                projects.filter(enterprise_id__in=enterprises).values("pk"),
                all=True,
            )
        )
        applications = self.order_by()
        return (
            applications.filter(number__icontains=query)
            .values("pk")
            .union(applications.filter(project_id__in=projects).values("pk"), all=True)
        )


class Application(Clocked):
    class Source(models.TextChoices):
        WEB = "web", _("网上申报")
        WINDOW = "window", _("窗口收件")

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("阶段"), on_delete=models.PROTECT, related_name="applications"
    )
    # Copied from the project so inboxes scope by jurisdiction on one table
    # (no join to projects over hundreds of thousands of rows).
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    state = FSMField(_("状态"), default=S.DRAFT, choices=S.choices, db_index=True)
    source = models.CharField(
        _("申报渠道"), max_length=10, choices=Source.choices, default=Source.WEB, db_index=True
    )
    number = models.CharField(_("申请编号"), max_length=30, unique=True, null=True, blank=True)
    stage_version = models.ForeignKey(
        StageVersion,
        verbose_name=_("配置版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("草稿跟随最新配置；提交时固定，之后修改阶段配置不影响本申请。"),
    )
    situation_answers = models.JSONField(_("情形答复"), default=dict, blank=True)
    form_data = models.JSONField(_("表单内容"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    declared_at = models.DateTimeField(
        _("承诺时间"), null=True, blank=True, help_text=_("申请人确认申请承诺书的时间。")
    )
    delivery_method = models.CharField(
        _("证照领取方式"),
        max_length=10,
        choices=DeliveryMethod.choices,
        blank=True,
        help_text=_("申请人提交时选择；窗口登记送达时默认采用。"),
    )
    delivery_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    due_on = models.DateField(_("承诺办结日期"), null=True, blank=True, db_index=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="application_inbox_idx"),
            models.Index(
                fields=["jurisdiction", "state", "submitted_at"],
                name="application_district_inbox_idx",
            ),
            *warning_indexes("application", Q(state=S.IN_REVIEW)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "stage"],
                condition=~Q(state__in=CLOSED_STATES),
                name="one_open_application_per_project_stage",
            )
        ]

    def __str__(self):
        return f"{self.number or _('草稿')} {self.project} · {self.stage}"

    def save(self, *args, **kwargs):
        if self.jurisdiction_id is None and self.project_id:
            self.jurisdiction_id = self.project.jurisdiction_id
        super().save(*args, **kwargs)

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=transition_permission("submit_application"),
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission=transition_permission("accept_application"),
    )
    def accept(self, clerk):
        self.accepted_at = timezone.now()
        self.accepted_by = clerk

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        permission=transition_permission("accept_application"),
    )
    def accept_with_deficiency(self, clerk):
        self.accepted_at = timezone.now()
        self.accepted_by = clerk

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.CORRECTING,
        permission=transition_permission("accept_application"),
    )
    def request_correction(self):
        pass

    @transition(
        field=state,
        source=S.CORRECTING,
        target=S.SUBMITTED,
        permission=transition_permission("submit_application"),
    )
    def resubmit(self):
        pass

    @transition(
        field=state,
        source=S.SUBMITTED,
        target=S.REFUSED,
        permission=transition_permission("accept_application"),
    )
    def refuse(self):
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=S.ISSUED,
        target=S.DELIVERED,
        permission=transition_permission("accept_application"),
    )
    def deliver(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.SUSPENDED,
        permission=transition_permission("suspend_application"),
    )
    def suspend(self):
        pass

    @transition(
        field=state,
        source=S.SUSPENDED,
        target=S.IN_REVIEW,
        permission=transition_permission("suspend_application"),
    )
    def resume(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.APPROVED)
    def approve(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.IN_REVIEW, target=S.REJECTED)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.APPROVED, target=S.ISSUED)
    def issue(self):
        pass

    @transition(
        field=state,
        source=[S.DRAFT, S.SUBMITTED, S.CORRECTING],
        target=S.WITHDRAWN,
        permission=transition_permission("submit_application"),
    )
    def withdraw(self):
        self.decided_at = timezone.now()

    @property
    def is_editable(self):
        return self.state == S.DRAFT

    @property
    def configuration(self):
        return Configuration(self.stage_version.content)

    def applicable_matters(self):
        return self.configuration.matters(self.situation_answers)

    def applicable_materials(self):
        return self.configuration.materials(self.situation_answers)
