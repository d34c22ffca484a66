"""Periodic clock work: end 特别程序 whose expected length ran out, then
raise yellow/red warnings. Safe on two beats at once."""

from celery import shared_task


@shared_task(name="approvals.sweep_deadlines")
def sweep_deadlines():
    from ..services.clock import resume_expired_suspensions
    from ..services.deficiency_reminders import sweep_deficiencies
    from ..services.warnings import sweep

    resumed = resume_expired_suspensions()
    touched = sweep()
    deficiencies = sweep_deficiencies()
    return {
        "resumed": resumed,
        **deficiencies,
        **{f"{m}.{lvl}": n for (m, lvl), n in touched.items()},
    }
