"""Applications by stage and state (now), with the period's flow: how many
were submitted, accepted and decided in it, and how many are overdue."""

from django.db.models import Count, F, Q

from approvals.models import Application, ApplicationState

S = ApplicationState
SHOWN_STATES = [value for value in S.values if value != S.DRAFT]
# Drafts are the applicant's own business until submitted.
DECIDED = [S.REFUSED, S.REJECTED, S.APPROVED, S.ISSUED, S.DELIVERED]

# For the stacked chart: states folded into four groups people recognise.
STATE_GROUPS = {
    "waiting": [S.SUBMITTED, S.CORRECTING],
    "reviewing": [S.IN_REVIEW, S.SUSPENDED],
    "done": [S.APPROVED, S.ISSUED, S.DELIVERED],
    "closed": [S.REFUSED, S.REJECTED, S.WITHDRAWN],
}


def stage_state_counts(scope, filters, today):
    first, after = filters.period.bounds()

    def in_period(field):
        return Q(**{f"{field}__gte": first, f"{field}__lt": after})

    applications = scope.applications(Application.objects.exclude(state=S.DRAFT))
    if filters.stage_id:
        applications = applications.filter(stage_id=filters.stage_id)
    rows = (
        applications.values(
            "stage_id",
            stage_name=F("stage__name"),
            stage_order=F("stage__order"),
            stage_number=F("stage__number"),
        )
        .annotate(
            total=Count("pk"),
            **{f"n_{state}": Count("pk", filter=Q(state=state)) for state in SHOWN_STATES},
            submitted_in_period=Count("pk", filter=in_period("submitted_at")),
            accepted_in_period=Count("pk", filter=in_period("accepted_at")),
            decided_in_period=Count("pk", filter=in_period("decided_at") & Q(state__in=DECIDED)),
            overdue=Count(
                "pk",
                filter=Q(state=S.IN_REVIEW, due_on__lt=today, paused_since__isnull=True),
            ),
        )
        .order_by("stage_order", "stage_number", "stage_id")
    )
    result = []
    for row in rows:
        row["states"] = {state: row.pop(f"n_{state}") for state in SHOWN_STATES}
        row["groups"] = {
            group: sum(row["states"][state] for state in states)
            for group, states in STATE_GROUPS.items()
        }
        result.append(row)
    return result
