"""Joint sessions (联合踏勘, 联合图审, 联合验收): schedule, opinions, the lead
department's consolidated result, and 联合图审's revision rounds.

The consolidated result feeds the tasks without deciding them: after a pass
each participant's reviewer approves its own task as usual (the task page
shows the session's result). A "revise" round stops the participants' task
clocks from the day the comments go out until the revised drawings come
back — the applicant's correction time does not count — and keeps that
pause on the round (`paused_task_ids`, `paused_working_days`) rather than
moving the tasks to `needs_supplement`: the tasks may still be unclaimed,
and one answer (the drawings) serves every participant at once.

The round holds every undecided participant task, including those already
stopped by a 特别程序 or a supplement request: ending that other pause
while the drawings are still out must not restart the clock
(`JointRound.objects.task_ids_held`, checked by the clock service)."""

from .common import REVISION_UPLOAD, session_tasks
from .revisions import submit_revision
from .rounds import (
    add_participant,
    approval_note,
    close_round,
    default_participants,
    record_opinion,
    schedule,
    schedule_round,
)

__all__ = [
    "REVISION_UPLOAD",
    "add_participant",
    "approval_note",
    "close_round",
    "default_participants",
    "record_opinion",
    "schedule",
    "schedule_round",
    "session_tasks",
    "submit_revision",
]
