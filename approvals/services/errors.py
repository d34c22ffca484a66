"""Errors a service raises for a person to read (translated)."""

from django.utils.translation import gettext as _


class ServiceError(Exception):
    def __init__(self, message, problems=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


class StateConflict(ServiceError):
    """The object is no longer in a state that allows the action: usually
    somebody else acted first (two clerks, a double click)."""

    @classmethod
    def for_object(cls, obj, last_entry=None):
        state = obj.get_state_display()
        if last_entry is not None:
            who = last_entry.actor.display_name if last_entry.actor else _("系统")
            return cls(
                _("操作未执行：当前状态已是“%(state)s”（%(who)s 于 %(when)s 处理）。")
                % {"state": state, "who": who, "when": _local(last_entry.created_at)}
            )
        return cls(_("操作未执行：当前状态“%(state)s”不允许此操作。") % {"state": state})


class SubmissionIncomplete(ServiceError):
    """The application lacks something required before it can be submitted."""


def _local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
