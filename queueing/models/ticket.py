"""A queue number and the per-day counter that hands them out.

Numbers restart every day: the series is (service type, local date), and the
counter row for it is locked while a number is taken, so numbers are unique
and gap-free however many kiosks press at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from stages.models import Jurisdiction

from .hall import ServiceType, Window


class TicketState(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办结")
    NO_SHOW = "no_show", _("过号")


S = TicketState
AT_WINDOW = [S.CALLED, S.SERVING]


class TicketCounter(models.Model):
    """The last number handed out for one service type on one day; the row
    a taker locks (see `services.take_ticket`)."""

    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("业务类型"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    last_sequence = models.PositiveIntegerField(_("当日已发号数"), default=0)

    class Meta:
        verbose_name = _("每日号码计数")
        verbose_name_plural = _("每日号码计数")
        constraints = [
            models.UniqueConstraint(fields=["service_type", "day"], name="one_counter_per_day")
        ]

    def __str__(self):
        return f"{self.service_type_id} {self.day}: {self.last_sequence}"


class TicketQuerySet(models.QuerySet):
    def waiting_on(self, jurisdiction_id, day):
        return self.filter(jurisdiction_id=jurisdiction_id, day=day, state=S.WAITING)

    def held_by(self, clerk):
        return self.filter(clerk=clerk, state__in=AT_WINDOW)


class Ticket(models.Model):
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+"
    )
    service_type = models.ForeignKey(
        ServiceType, verbose_name=_("业务类型"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("日期"), help_text=_("取号当天（北京时间），号码每天从1开始。"))
    sequence = models.PositiveIntegerField(_("当日序号"))
    number = models.CharField(_("号码"), max_length=10)
    state = FSMField(_("状态"), default=S.WAITING, choices=S.choices)
    phone = models.CharField(
        _("手机号码"), max_length=20, blank=True, help_text=_("选填，用于叫号短信提醒。")
    )
    taken_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("首次叫号时间"), null=True, blank=True)
    # The latest call or recall: what the hall display orders by.
    announced_at = models.DateTimeField(_("最近呼叫时间"), null=True, blank=True)
    serving_started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    window = models.ForeignKey(
        Window,
        verbose_name=_("窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("窗口人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["-day", "taken_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "day", "sequence"], name="ticket_sequence_unique_per_day"
            )
        ]
        indexes = [
            # call_next: the day's waiting tickets of a hall, oldest first.
            models.Index(
                fields=["jurisdiction", "day", "taken_at"],
                condition=Q(state="waiting"),
                name="ticket_waiting_fifo",
            ),
            # The hall display: the latest calls of the day.
            models.Index(
                fields=["jurisdiction", "day", "-announced_at"], name="ticket_latest_calls"
            ),
            models.Index(fields=["clerk", "state"], name="ticket_held_by_clerk"),
        ]

    def __str__(self):
        return f"{self.number}（{self.day:%Y-%m-%d}）"

    @staticmethod
    def format_number(prefix, sequence):
        return f"{prefix}{sequence:03d}"

    def waiting_ahead(self):
        """Tickets of the same type still waiting that were taken earlier."""
        if self.state != S.WAITING:
            return 0
        return (
            Ticket.objects.waiting_on(self.jurisdiction_id, self.day)
            .filter(service_type_id=self.service_type_id, sequence__lt=self.sequence)
            .count()
        )

    # Transitions only change fields; services lock, check and save.

    @transition(field=state, source=S.WAITING, target=S.CALLED)
    def call(self, window, clerk, at):
        self.window = window
        self.clerk = clerk
        self.called_at = at
        self.announced_at = at

    @transition(field=state, source=S.CALLED, target=S.CALLED)
    def recall(self, at):
        self.announced_at = at

    @transition(field=state, source=S.CALLED, target=S.SERVING)
    def start_serving(self, at):
        self.serving_started_at = at

    @transition(field=state, source=AT_WINDOW, target=S.DONE)
    def finish(self, at):
        self.finished_at = at

    @transition(field=state, source=S.CALLED, target=S.NO_SHOW)
    def mark_no_show(self, at):
        self.finished_at = at
