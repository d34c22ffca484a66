"""Joint sessions (联合踏勘 at stage 1, 联合图审 at stage 3, 联合验收 at stage
4): the departments whose matters take part (`Matter.joint_session`) meet
once instead of one after another, each records its opinion, and the stage's
lead department closes the session with one consolidated result and minutes.

A session runs in rounds. Only 联合图审 has more than one: a round closed
with "revise" sends the consolidated comments to the applicant, the revised
drawings come back, and the lead schedules the next round. Rounds, opinions
and minutes are rows that are never rewritten once their round is closed, so
the session's history is the data itself (plus the transition log)."""

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.models import Role
from stages.models import Department

from ..rules import is_delegated_agent, is_enterprise_member, transition_permission
from .application import Application


class JointSessionKind(models.TextChoices):
    SITE_SURVEY = "site_survey", _("联合踏勘")
    DRAWING_REVIEW = "drawing_review", _("联合图审")
    ACCEPTANCE = "acceptance", _("联合验收")
    # Other "things" configured in admin may mark matters for a joint session too.
    JOINT_REVIEW = "joint_review", _("联合会审")


# The national stage numbers (国办发〔2019〕11号): 1 立项用地规划许可,
# 3 施工许可, 4 竣工验收.
KIND_BY_STAGE_NUMBER = {
    1: JointSessionKind.SITE_SURVEY,
    3: JointSessionKind.DRAWING_REVIEW,
    4: JointSessionKind.ACCEPTANCE,
}


def kind_for_stage(stage):
    if not stage.is_construction:
        return JointSessionKind.JOINT_REVIEW
    return KIND_BY_STAGE_NUMBER.get(stage.number, JointSessionKind.JOINT_REVIEW)


class JointSessionState(models.TextChoices):
    SCHEDULED = "scheduled", _("会审中，待各部门出具意见")
    REVISING = "revising", _("待申请人修改图纸")
    REVISED = "revised", _("已提交修改，待安排下一轮")
    CLOSED = "closed", _("已办结")


class JointResult(models.TextChoices):
    PASS = "pass", _("通过")
    PASS_WITH_CONDITIONS = "pass_with_conditions", _("有条件通过")
    FAIL = "fail", _("不通过")
    REVISE = "revise", _("修改后再审")


# What a participant may say; "revise" is only the lead's consolidated call.
OPINION_RESULTS = [JointResult.PASS, JointResult.PASS_WITH_CONDITIONS, JointResult.FAIL]
# How favourable a result is: the consolidated result may not be more
# favourable than the least favourable opinion (one "fail" rules out a
# pass). "Revise" and "fail" are always open to the lead.
FAVOUR = {
    JointResult.PASS: 2,
    JointResult.PASS_WITH_CONDITIONS: 1,
    JointResult.REVISE: 0,
    JointResult.FAIL: 0,
}
S = JointSessionState


def _lead_reviewer(user, department_id, jurisdiction_id):
    membership = getattr(user, "staff_membership", None)
    return (
        user.role == Role.REVIEWER
        and membership is not None
        and membership.department_id == department_id
        and membership.sees_jurisdiction(jurisdiction_id)
    )


@rules.predicate
def leads_joint_session(user, session):
    return _lead_reviewer(user, session.lead_department_id, session.application.jurisdiction_id)


@rules.predicate
def participates_in_joint_session(user, session):
    membership = getattr(user, "staff_membership", None)
    return (
        user.role == Role.REVIEWER
        and membership is not None
        and membership.sees_jurisdiction(session.application.jurisdiction_id)
        and session.participants.filter(department_id=membership.department_id).exists()
    )


@rules.predicate
def is_joint_session_applicant(user, session):
    return is_enterprise_member(user, session.application) or is_delegated_agent(
        user, session.application
    )


def may_lead_for(user, application):
    """Scheduling comes before any session: the stage's lead department."""
    return _lead_reviewer(user, application.stage.lead_department_id, application.jurisdiction_id)


rules.add_rule("lead_joint_session", leads_joint_session)
rules.add_rule("give_joint_opinion", participates_in_joint_session)
rules.add_rule("revise_for_joint_session", is_joint_session_applicant)


class JointSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviewers: sessions their department leads or takes part in, in
        their jurisdiction. Clerks and supervisors: their jurisdiction's.
        Applicants go through their application (`for_application`)."""
        membership = getattr(user, "staff_membership", None)
        if not user.is_authenticated or membership is None:
            return self.none()
        scoped = self
        if not membership.jurisdiction.is_city:
            scoped = scoped.filter(application__jurisdiction_id=membership.jurisdiction_id)
        if user.role == Role.REVIEWER:
            return scoped.filter(
                Q(lead_department_id=membership.department_id)
                | Q(participants__department_id=membership.department_id)
            ).distinct()
        if user.role in (Role.CLERK, Role.SUPERVISOR):
            return scoped
        return self.none()


class JointSession(models.Model):
    application = models.ForeignKey(
        Application,
        verbose_name=_("申请"),
        on_delete=models.CASCADE,
        related_name="joint_sessions",
    )
    kind = models.CharField(_("会审类型"), max_length=20, choices=JointSessionKind.choices)
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    state = FSMField(_("状态"), default=S.SCHEDULED, choices=S.choices, db_index=True)
    result = models.CharField(_("会审结论"), max_length=30, choices=JointResult.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = JointSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("联合会审")
        verbose_name_plural = _("联合会审")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(state="closed"),
                name="one_open_joint_session_per_application",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application}"

    @property
    def has_rounds(self):
        return self.kind == JointSessionKind.DRAWING_REVIEW

    @transition(
        field=state,
        source=S.SCHEDULED,
        target=S.REVISING,
        permission=transition_permission("lead_joint_session"),
    )
    def request_revision(self):
        pass

    @transition(
        field=state,
        source=S.REVISING,
        target=S.REVISED,
        permission=transition_permission("revise_for_joint_session"),
    )
    def submit_revision(self):
        pass

    @transition(
        field=state,
        source=S.REVISED,
        target=S.SCHEDULED,
        permission=transition_permission("lead_joint_session"),
    )
    def schedule_round(self):
        pass

    @transition(
        field=state,
        source=S.SCHEDULED,
        target=S.CLOSED,
        permission=transition_permission("lead_joint_session"),
    )
    def close(self, result, closed_at):
        self.result = result
        self.closed_at = closed_at


class JointParticipant(models.Model):
    class Reason(models.TextChoices):
        MATTER = "matter", _("事项参加联合会审")
        LEAD = "lead", _("牵头部门")
        ADDED = "added", _("牵头部门邀请")

    session = models.ForeignKey(
        JointSession,
        verbose_name=_("联合会审"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("参加部门"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("参加原因"), max_length=10, choices=Reason.choices)
    added_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联合会审参加部门")
        verbose_name_plural = _("联合会审参加部门")
        ordering = ["department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "department"], name="one_joint_participant_per_department"
            )
        ]

    def __str__(self):
        return str(self.department)


class JointRoundQuerySet(models.QuerySet):
    def awaiting_revision(self):
        return self.filter(revision_requested_on__isnull=False, revision_submitted_on__isnull=True)

    def task_ids_held(self, application_id):
        """Tasks of the application whose clocks wait for revised drawings:
        no other resume (特别程序, supplement) may restart them meanwhile."""
        rounds = self.awaiting_revision().filter(session__application_id=application_id)
        return {pk for ids in rounds.values_list("paused_task_ids", flat=True) for pk in ids}


class JointRound(models.Model):
    """One meeting of the session, and (for 联合图审) the applicant's
    revision that answers it. The revision time stops the participants'
    task clocks: the applicant's correction time does not count."""

    session = models.ForeignKey(
        JointSession, verbose_name=_("联合会审"), on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    scheduled_for = models.DateTimeField(_("会审时间"))
    place = models.CharField(_("会审地点"), max_length=200)
    note = models.TextField(_("会审安排说明"), blank=True)
    result = models.CharField(_("本轮结论"), max_length=30, choices=JointResult.choices, blank=True)
    consolidated_opinion = models.TextField(_("汇总意见"), blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("汇总人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revision_requested_on = models.DateField(_("要求修改日期"), null=True, blank=True)
    revision_submitted_on = models.DateField(_("提交修改日期"), null=True, blank=True)
    revision_note = models.TextField(_("修改说明"), blank=True)
    paused_task_ids = models.JSONField(_("暂停计时的审查任务"), default=list, blank=True)
    paused_working_days = models.PositiveSmallIntegerField(_("修改用时（工作日）"), default=0)

    objects = JointRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("会审轮次")
        verbose_name_plural = _("会审轮次")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="joint_round_number_unique")
        ]

    def __str__(self):
        return _("第%(number)d轮") % {"number": self.number}

    @property
    def is_open(self):
        return self.closed_at is None


class JointOpinion(models.Model):
    """A participant's opinion in one round; it may be corrected until the
    round closes (each version is in the transition log)."""

    round = models.ForeignKey(
        JointRound, verbose_name=_("会审轮次"), on_delete=models.CASCADE, related_name="opinions"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("意见"),
        max_length=30,
        choices=[(value, JointResult(value).label) for value in OPINION_RESULTS],
    )
    text = models.TextField(_("意见内容"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("出具时间"), auto_now=True)

    class Meta:
        verbose_name = _("部门会审意见")
        verbose_name_plural = _("部门会审意见")
        ordering = ["round", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department"], name="one_joint_opinion_per_department"
            )
        ]

    def __str__(self):
        return f"{self.department}: {self.get_result_display()}"


class JointMinutes(models.Model):
    """The minutes (会审纪要 / 联合验收意见书) of a closed round: a row
    written with the closing decision, its PDF rendered by the worker."""

    round = models.OneToOneField(
        JointRound, verbose_name=_("会审轮次"), on_delete=models.CASCADE, related_name="minutes"
    )
    pdf = models.FileField(_("PDF 文件"), upload_to="joint/minutes/", blank=True, max_length=200)
    sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("会审纪要")
        verbose_name_plural = _("会审纪要")
        ordering = ["created_at"]

    def __str__(self):
        return self.number

    @property
    def number(self):
        session = self.round.session
        return f"{session.application.number}-LH{session.pk:03d}-{self.round.number:02d}"


def revision_path(instance, filename):
    # Never the uploader's file name (path tricks, personal data in names).
    return f"joint/revisions/{instance.round_id}/{instance.sha256[:16]}.{instance.extension}"


class JointRevisionFile(models.Model):
    """Revised drawings the applicant hands back after a 联合图审 round."""

    round = models.ForeignKey(
        JointRound,
        verbose_name=_("会审轮次"),
        on_delete=models.CASCADE,
        related_name="revision_files",
    )
    file = models.FileField(_("文件"), upload_to=revision_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    extension = models.CharField(_("扩展名"), max_length=10)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("修改后图纸")
        verbose_name_plural = _("修改后图纸")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
