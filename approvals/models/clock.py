"""The working-day clock (限时办结) as columns, shared by applications and
review tasks: when it started, its limit, the working days it was paused
(特别程序, corrections, supplements), the due date and the date the yellow
warning is due. Deadlines are stored and indexed so a periodic sweep finds
what crossed a threshold with one query; nothing waits in a Celery ETA."""

import math

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stages.calendar import subtract_working_days

# The inboxes' due filter: its values (kept from their first URLs) and the
# badge each selects.
DUE_FILTERS = {"overdue": "red", "soon": "yellow"}
DUE_FILTER_CHOICES = [
    ("", _("不限")),
    ("overdue", _("已超期（红牌）")),
    ("soon", _("临近期限（黄牌）")),
]
# What each badge says in lists and exports (includes/due.html on pages).
WARNING_LABELS = {"red": _("已超期"), "yellow": _("即将到期"), "": ""}


class Clocked(models.Model):
    clock_started_on = models.DateField(_("计时起始日"), null=True, blank=True)
    limit_working_days = models.PositiveSmallIntegerField(
        _("时限（工作日）"), null=True, blank=True
    )
    paused_working_days = models.PositiveSmallIntegerField(_("暂停工作日数"), default=0)
    paused_since = models.DateField(_("暂停起始日"), null=True, blank=True)
    yellow_on = models.DateField(_("黄牌预警日"), null=True, blank=True, db_index=True)
    warned_yellow_at = models.DateTimeField(_("黄牌预警时间"), null=True, blank=True)
    warned_red_at = models.DateTimeField(_("红牌预警时间"), null=True, blank=True)

    class Meta:
        abstract = True

    # What pausing, resuming and recomputing the due date change.
    CLOCK_FIELDS = [
        "paused_since",
        "paused_working_days",
        "due_on",
        "yellow_on",
        "warned_yellow_at",
        "warned_red_at",
    ]

    def start_clock(self, calendar, today, limit):
        self.clock_started_on = today
        self.limit_working_days = limit
        self.paused_working_days = 0
        self.paused_since = None
        self.recompute_due(calendar)

    def pause_clock(self, today):
        if self.paused_since is None:
            self.paused_since = today

    def resume_clock(self, calendar, today):
        """Shift the due date by exactly the working days spent paused."""
        if self.paused_since is None:
            return 0
        paused = calendar.working_days_between(self.paused_since, today)
        self.paused_working_days += paused
        self.paused_since = None
        self.recompute_due(calendar)
        return paused

    def recompute_due(self, calendar):
        total = self.limit_working_days + self.paused_working_days
        self.due_on = calendar.add_working_days(self.clock_started_on, total)
        # Yellow when at most the configured fraction of the limit is left.
        left = math.floor(self.limit_working_days * settings.PORTAL_YELLOW_FRACTION_LEFT)
        self.yellow_on = subtract_working_days(calendar, self.due_on, max(left, 1))
        # A deadline moved back out (a pause, a corrected calendar) re-arms
        # the warnings it had passed, so crossing it again warns again.
        today = calendar_today()
        if self.warned_yellow_at and self.yellow_on > today:
            self.warned_yellow_at = None
        if self.warned_red_at and self.due_on >= today:
            self.warned_red_at = None

    @property
    def is_paused(self):
        return self.paused_since is not None

    RED, YELLOW = DUE_FILTERS["overdue"], DUE_FILTERS["soon"]

    @property
    def warning_level(self):
        """The badge every list and page shows: red when overdue, yellow from
        the yellow date (at most PORTAL_YELLOW_FRACTION_LEFT of the limit
        left), "" otherwise or once decided. A stopped clock keeps the level
        it had when it stopped: its deadline moves out by the pause. The
        same rule as `warning_q`."""
        if self.due_on is None or self.decided_at is not None:
            return ""
        today = self.paused_since or calendar_today()
        if self.due_on < today:
            return self.RED
        if self.yellow_on is not None and self.yellow_on <= today:
            return self.YELLOW
        return ""

    @classmethod
    def warning_q(cls, level, today):
        """Rows showing the `level` badge on `today`, as a filter. The
        conditions on `today` come first so the date indexes serve them; a
        stopped clock is then judged on the day it stopped."""
        undecided = Q(decided_at__isnull=True)
        running = Q(paused_since__isnull=True)
        if level == cls.RED:
            return undecided & Q(due_on__lt=today) & (running | Q(due_on__lt=F("paused_since")))
        return (
            undecided
            & Q(yellow_on__lte=today)
            & (
                (running & Q(due_on__gte=today))
                | Q(yellow_on__lte=F("paused_since"), due_on__gte=F("paused_since"))
            )
        )


def warning_indexes(prefix, open_rows):
    """Partial indexes holding only the open, running rows not yet warned at
    each level: the sweep reads what crossed a threshold without walking
    the overdue rows it warned on earlier runs."""
    running = open_rows & models.Q(paused_since__isnull=True)
    return [
        models.Index(
            fields=["due_on"],
            condition=running & models.Q(warned_red_at__isnull=True),
            name=f"{prefix}_red_sweep_idx",
        ),
        models.Index(
            fields=["yellow_on"],
            condition=running & models.Q(warned_yellow_at__isnull=True),
            name=f"{prefix}_yellow_sweep_idx",
        ),
    ]


def calendar_today():
    from django.utils import timezone

    return timezone.localdate()
