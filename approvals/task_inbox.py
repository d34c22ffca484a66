"""The department reviewer's inbox: which tasks (state tab, due filter,
search), in which order, counts per state, and the 督办 tasks shown first.

Built for a department holding hundreds of thousands of tasks: the page
runs the same queries whatever the data, each one served by an index
(migration 0015). Escalated tasks are read from the escalation side (few
rows) and pinned above every page instead of being sorted in: sorting
by "escalated" first would make every page sort the whole department."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.tabular import Table

from .forms import InboxForm
from .models import Application, ReviewTask, ReviewTaskState
from .models.clock import DUE_FILTERS, WARNING_LABELS
from .models.review_task import UNDECIDED

T = ReviewTaskState
OPEN = [T.PENDING, T.REVIEWING]  # the "待办" tab: the clock runs on these
SORTS = {
    "due": ("due_on", "pk"),
    "-due": ("-due_on", "-pk"),
    "-created": ("-created_at", "-pk"),
}


class TaskInboxForm(InboxForm):
    default_state = "open"
    field_order = ["state", "due", "q", "sort"]
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("open", _("待办")), ("", _("全部")), *T.choices],
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("due", _("审查期限（近→远）")),
            ("-due", _("审查期限（远→近）")),
            ("-created", _("分发时间（新→旧）")),
        ],
    )

    @property
    def values(self):
        return self.cleaned_data if self.is_valid() else {"state": "open"}

    def filtered(self, scoped):
        """The scoped tasks narrowed by the valid filters (unsorted)."""
        values = self.values
        tasks = scoped
        state = values.get("state")
        if state == "open":
            tasks = tasks.filter(state__in=OPEN)
        elif state:
            tasks = tasks.filter(state=state)
        if values.get("due"):
            level = DUE_FILTERS[values["due"]]
            tasks = tasks.filter(ReviewTask.warning_q(level, timezone.localdate()))
        query = values.get("q", "").strip()
        if query:
            tasks = tasks.filter(application_id__in=Application.objects.matching_ids(query))
        return tasks

    def ordering(self):
        return SORTS.get(self.values.get("sort") or "due", SORTS["due"])


class CappedPaginator(Paginator):
    """Counts at most CAP rows: nobody pages past page 500, and counting a
    department's whole history on every page view is what would grow."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP].count()

    @property
    def capped(self):
        return self.count >= self.CAP


def _open_escalations():
    """Read through the reverse relation `escalations` (supervision's
    Escalation) so approvals does not import supervision."""
    from .models import ReviewTask

    escalation = ReviewTask.escalations.field.model
    return escalation.objects.filter(task=OuterRef("pk"), resolved_at__isnull=True)


def split_escalated(tasks):
    """(the escalated tasks, with their deadline; all the others): the
    first is short and pinned above every page, the second is what pages."""
    escalations = _open_escalations()
    escalated = (
        tasks.filter(Exists(escalations))
        .annotate(escalation_deadline=Subquery(escalations.values("new_deadline")[:1]))
        .order_by("escalation_deadline", "due_on", "pk")
    )
    return escalated, tasks.filter(~Exists(escalations))


def state_counts(scoped):
    """Undecided tasks per state, one grouped query. Decided tasks are the
    department's whole history: their tabs carry no count (None)."""
    counts = dict(
        scoped.filter(state__in=UNDECIDED)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return [
        (value, label, counts.get(value, 0) if value in UNDECIDED else None)
        for value, label in T.choices
    ]


def export_table(tasks):
    """Every task the filters select (not one page, no cap), streamed."""

    def rows():
        for task in tasks.iterator(chunk_size=2000):
            application = task.application
            yield [
                task.matter.name,
                application.number,
                application.stage.name,
                application.project.name,
                application.project.enterprise.name,
                task.get_state_display(),
                task.reviewer.get_full_name() or task.reviewer.username if task.reviewer else "",
                task.due_on,
                WARNING_LABELS[task.warning_level],
                task.decided_at and timezone.localtime(task.decided_at).strftime("%Y-%m-%d %H:%M"),
            ]

    columns = [
        _("事项"),
        _("申请编号"),
        _("阶段"),
        _("项目"),
        _("建设单位"),
        _("状态"),
        _("审查人"),
        _("审查期限"),
        _("期限"),
        _("办结时间"),
    ]
    return Table("tasks", _("审查任务列表"), columns, rows(), _("没有符合条件的审查任务。"))
