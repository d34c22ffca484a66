"""Window (综合窗口) figures over the period: numbers taken, called, served,
no-shows, waiting and serving times per hall and service type.

The definitions — what counts as waiting and serving, percentile_cont —
are `queueing.statistics`'; its `daily_statistics` answers one hall per
day, while supervision needs every visible hall over a whole period in
one query, so the same expressions are grouped differently here."""

from django.db.models import Avg, Count, DurationField, F, Q

from queueing.models import Ticket, TicketState
from queueing.statistics import CALLED, DONE, SERVE, WAIT, Percentile


def window_figures(scope, filters):
    period = filters.period
    tickets = scope.tickets(Ticket.objects.filter(day__range=(period.start, period.end)))
    return list(
        tickets.values(
            "jurisdiction_id",
            jurisdiction_name=F("jurisdiction__name"),
            jurisdiction_code=F("jurisdiction__code"),
            service_name=F("service_type__name"),
            prefix=F("service_type__prefix"),
            service_order=F("service_type__order"),
        )
        .annotate(
            taken=Count("pk"),
            called=Count("pk", filter=CALLED),
            served=Count("pk", filter=DONE),
            no_show=Count("pk", filter=Q(state=TicketState.NO_SHOW)),
            average_wait=Avg(WAIT, filter=CALLED, output_field=DurationField()),
            p90_wait=Percentile(WAIT, 0.9, filter=CALLED, output_field=DurationField()),
            average_serve=Avg(SERVE, filter=DONE, output_field=DurationField()),
            p90_serve=Percentile(SERVE, 0.9, filter=DONE, output_field=DurationField()),
        )
        .order_by("jurisdiction_code", "service_order", "prefix")
    )
