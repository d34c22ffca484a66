"""The append-only transition log: the timeline on screen and the audit trail.

Works for any model and any primary key type (object_id is text), written in
the same transaction as the state change it records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TRANSITION_LABELS = {
    "submit": _("提交申请"),
    "accept": _("受理"),
    "claim": _("签收审查任务"),
    "approve": _("通过"),
    "reject": _("不通过"),
    "issue": _("发证"),
    "withdraw": _("撤回申请"),
    "accept_with_deficiency": _("容缺受理"),
    "request_correction": _("一次性告知补正"),
    "resubmit": _("补正后重新提交"),
    "refuse": _("不予受理"),
    "deliver": _("送达"),
    "suspend": _("启动特别程序"),
    "resume": _("特别程序结束，恢复计时"),
    "request_supplement": _("要求补充材料"),
    "schedule_joint_session": _("安排联合会审"),
    "joint_opinion": _("出具联合会审意见"),
    "add_joint_participant": _("邀请部门参加联合会审"),
    "request_revision": _("要求修改图纸"),
    "submit_revision": _("提交修改后的图纸"),
    "schedule_round": _("安排下一轮会审"),
    "close": _("联合会审结束"),
    "revoke": _("撤销证照"),
    "supersede": _("证照变更（新版本替代）"),
    "answer_supplement": _("已补充材料"),
}


class TransitionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(subject_type=obj._meta.label_lower, object_id=str(obj.pk))


class TransitionLog(models.Model):
    # The model label ("approvals.reviewtask") rather than a ContentType row:
    # content-type ids are cached per process and differ between databases.
    subject_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象编号"), max_length=64)
    # The application every row belongs to, so a timeline is one indexed query
    # covering the application and its tasks.
    application = models.ForeignKey(
        "approvals.Application",
        verbose_name=_("申请"),
        on_delete=models.PROTECT,
        related_name="timeline",
    )
    transition = models.CharField(_("操作"), max_length=50)
    from_state = models.CharField(_("原状态"), max_length=30)
    to_state = models.CharField(_("新状态"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("为空表示系统自动操作。"),
    )
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject_type", "object_id"])]

    def __str__(self):
        return f"{self.transition}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("TransitionLog rows are append-only.")
        super().save(*args, **kwargs)

    @property
    def transition_label(self):
        return TRANSITION_LABELS.get(self.transition, self.transition)

    @property
    def state_labels(self):
        from .application import ApplicationState
        from .review_task import ReviewTaskState

        choices = (
            ReviewTaskState if self.subject_type == "approvals.reviewtask" else ApplicationState
        )
        labels = dict(choices.choices)
        return labels.get(self.from_state, self.from_state), labels.get(
            self.to_state, self.to_state
        )
