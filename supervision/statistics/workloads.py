"""Agent (全程代办) and intermediary (中介服务) workloads.

Agents: per agent, the projects delegated to it now (active delegations)
and their applications — all submitted ones, those still open (waiting,
correcting, in review, suspended) and those submitted in the period.

Intermediaries: per intermediary, its engagements started and finished in
the period and those in service now (started, not finished, not
cancelled), with the average working days of the finished ones (the stored
`working_days`, which count toward the project's 100 days) and their
average rating. Both scoped by the project's jurisdiction."""

from django.db.models import Avg, Count, F, Q

from approvals.models import ApplicationState, Delegation, IntermediaryEngagement

S = ApplicationState
OPEN = [S.SUBMITTED, S.CORRECTING, S.IN_REVIEW, S.SUSPENDED]


def _scoped(queryset, scope):
    if scope.jurisdiction_id is None:
        return queryset
    return queryset.filter(project__jurisdiction_id=scope.jurisdiction_id)


def agents(scope, filters):
    """[{agent_id, family_name, given_name, username, projects, applications,
    open, submitted_in_period}] busiest first."""
    first, after = filters.period.bounds()
    applications = "project__applications"
    submitted = ~Q(**{f"{applications}__state": S.DRAFT})
    rows = (
        _scoped(Delegation.objects.filter(revoked_at__isnull=True), scope)
        .values(
            "agent_id",
            family_name=F("agent__last_name"),
            given_name=F("agent__first_name"),
            username=F("agent__username"),
        )
        .annotate(
            projects=Count("project_id", distinct=True),
            applications=Count(applications, filter=submitted),
            open=Count(applications, filter=Q(**{f"{applications}__state__in": OPEN})),
            submitted_in_period=Count(
                applications,
                filter=Q(
                    **{
                        f"{applications}__submitted_at__gte": first,
                        f"{applications}__submitted_at__lt": after,
                    }
                ),
            ),
        )
        .order_by("-open", "-applications", "username")
    )
    return [
        {**row, "name": (row["family_name"] + row["given_name"]) or row["username"]} for row in rows
    ]


def intermediaries(scope, filters):
    """[{intermediary_id, name, started, finished, in_service, average_days,
    average_rating, rated}] busiest first; only intermediaries with any."""
    period = (filters.period.start, filters.period.end)
    live = Q(cancelled_at__isnull=True)
    finished = live & Q(finished_on__range=period)
    rows = (
        _scoped(IntermediaryEngagement.objects.all(), scope)
        .values("intermediary_id", name=F("intermediary__name"))
        .annotate(
            started=Count("pk", filter=live & Q(started_on__range=period)),
            finished=Count("pk", filter=finished),
            in_service=Count(
                "pk", filter=live & Q(started_on__isnull=False, finished_on__isnull=True)
            ),
            average_days=Avg("working_days", filter=finished),
            average_rating=Avg("rating", filter=finished & Q(rating__isnull=False)),
            rated=Count("rating", filter=finished),
        )
        .filter(Q(started__gt=0) | Q(finished__gt=0) | Q(in_service__gt=0))
        .order_by("-in_service", "-finished", "name", "intermediary_id")
    )
    return [
        {
            **row,
            "average_days": None if row["average_days"] is None else float(row["average_days"]),
            "average_rating": (
                None if row["average_rating"] is None else float(row["average_rating"])
            ),
        }
        for row in rows
    ]
