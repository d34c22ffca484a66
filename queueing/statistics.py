"""Waiting and serving times for supervision (效能监督), computed in SQL.

Waiting time is called_at − taken_at (first call, so a recall does not
lengthen it); serving time is finished_at − called_at for tickets that were
finished (过号 tickets have no serving time)."""

from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, Q

from .models import Ticket, TicketState

WAIT = ExpressionWrapper(F("called_at") - F("taken_at"), output_field=DurationField())
SERVE = ExpressionWrapper(F("finished_at") - F("called_at"), output_field=DurationField())
CALLED = Q(called_at__isnull=False)
DONE = Q(state=TicketState.DONE)


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont (linear interpolation, like NumPy's
    default). Other databases have no such aggregate and get NULL; the
    embedded SQLite demo shows averages only."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be within [0, 1]")
        super().__init__(expression, fraction=repr(fraction), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            return "NULL", []
        return super().as_sql(compiler, connection, **extra_context)


def daily_statistics(jurisdiction, first_day, last_day=None):
    """One row per day and service type in the hall of `jurisdiction`, from
    one GROUP BY query. Each row is a dict: day, service_code, service_name,
    prefix, taken, called, served, no_show, still_waiting, average_wait,
    p90_wait, average_serve, p90_serve (times are timedeltas, None when
    there is nothing to measure)."""
    rows = (
        Ticket.objects.filter(
            jurisdiction=jurisdiction, day__range=(first_day, last_day or first_day)
        )
        .values(
            "day",
            service_code=F("service_type__code"),
            service_name=F("service_type__name"),
            prefix=F("service_type__prefix"),
            service_order=F("service_type__order"),
        )
        .annotate(
            taken=Count("pk"),
            called=Count("pk", filter=CALLED),
            served=Count("pk", filter=DONE),
            no_show=Count("pk", filter=Q(state=TicketState.NO_SHOW)),
            still_waiting=Count("pk", filter=Q(state=TicketState.WAITING)),
            average_wait=Avg(WAIT, filter=CALLED, output_field=DurationField()),
            p90_wait=Percentile(WAIT, 0.9, filter=CALLED, output_field=DurationField()),
            average_serve=Avg(SERVE, filter=DONE, output_field=DurationField()),
            p90_serve=Percentile(SERVE, 0.9, filter=DONE, output_field=DurationField()),
        )
        .order_by("day", "service_order", "prefix")
    )
    return [{key: value for key, value in row.items() if key != "service_order"} for row in rows]
