"""全程监督 (supervision): what supervisors and leaders look at.

Owns the dashboard figures (counts by stage and state, red/yellow warnings,
working days per stage / matter / department, projects against the
100-working-day target, window figures), the daily / weekly / 10-day
reports (PDF, CSV, XLSX; stored, listed, emailed), exports of every list,
and escalation (督办) of overdue review tasks.

It reads approvals, stages, portal and queueing and writes only its own
tables (plus notification rows through approvals' notify service); nothing
in those apps imports it.
"""
